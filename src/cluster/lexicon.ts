// Matching a beat's bilingual lexicon (surface forms → shared concept ids, so that an English and a Spanish
// article about the same event share evidence). The entries are beat data, held by the rules file
// (src/beat/lexicon-data.ts, docs/rules-format.md); this is the language-independent machinery.
// Forms are matched on folded text (lower-case, no accents, punctuation → space), as 1–4 word phrases;
// the longest match wins.
import { defaultLexiconEntries } from '../beat/rules.js';
import { MAX_LEXICON_PHRASE_WORDS, type LexiconEntry } from '../beat/lexicon-data.js';
import { stemLite } from './stem.js';

export type { LexiconEntry };

export const MAX_PHRASE_WORDS = MAX_LEXICON_PHRASE_WORDS;

/** A lexicon compiled for matching: built once per set of entries, read-only afterwards. */
export class Lexicon {
  /** folded phrase → concept id. Later entries do not override earlier ones. */
  readonly phrases = new Map<string, string>();
  /** First words of multi-word forms: only these positions need the (allocating) phrase lookups. */
  readonly phraseStarts = new Set<string>();
  private stems: Map<string, Set<string>> | null = null;

  constructor(readonly entries: readonly LexiconEntry[]) {
    for (const e of entries) {
      for (const f of e.forms) {
        if (!this.phrases.has(f)) this.phrases.set(f, e.id);
        if (f.includes(' ')) this.phraseStarts.add(f.slice(0, f.indexOf(' ')));
      }
    }
  }

  /**
   * Concept ids found in a folded token sequence, longest phrase first, with counts.
   * `tokens` must be folded (see foldText).
   */
  match(tokens: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    for (let i = 0; i < tokens.length; ) {
      let matched = 0;
      const maxN = this.phraseStarts.has(tokens[i]) ? Math.min(MAX_PHRASE_WORDS, tokens.length - i) : 1;
      for (let n = maxN; n >= 1; n--) {
        const id = this.phrases.get(n === 1 ? tokens[i] : tokens.slice(i, i + n).join(' '));
        if (id) {
          out.set(id, (out.get(id) ?? 0) + 1);
          matched = n;
          break;
        }
      }
      i += matched || 1;
    }
    return out;
  }

  private words: Map<string, Set<string>> | null = null;
  /**
   * Anchor id → the words of its forms (of two letters or more), and initials written as one word: "u s" (how
   * "U.S." folds) is also "us" (how "US" folds).
   */
  anchorWords(id: string): Set<string> | undefined {
    if (!this.words) {
      this.words = new Map();
      const joined = (f: string) => (f.split(' ').every((w) => w.length <= 2) ? [f.replace(/ /g, '')] : []);
      for (const e of this.entries) this.words.set(e.id, new Set([...formWords(e), ...e.forms.flatMap(joined)].filter((w) => w.length >= 2)));
    }
    return this.words.get(id);
  }

  /** Anchor id → the stems of its forms' words (what an article's terms hold for that anchor). */
  anchorStems(id: string): Set<string> | undefined {
    if (!this.stems) {
      this.stems = new Map();
      for (const e of this.entries) this.stems.set(e.id, new Set(formWords(e).map(stemLite)));
    }
    return this.stems.get(id);
  }
}

/** The words of an entry's forms, of two letters or more. */
function formWords(e: LexiconEntry): string[] {
  return e.forms.flatMap((f) => f.split(' ')).filter((w) => w.length >= 2);
}

let shipped: Lexicon | null = null;
/** The shipped beat's lexicon: for callers that pass none (the evaluation, benches, unit tests). */
export function defaultLexicon(): Lexicon {
  return (shipped ??= new Lexicon(defaultLexiconEntries()));
}

/** {@link Lexicon.match} over the shipped lexicon unless one is given. */
export function matchLexicon(tokens: readonly string[], lexicon: Lexicon = defaultLexicon()): Map<string, number> {
  return lexicon.match(tokens);
}
