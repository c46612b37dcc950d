// Compiles rule patterns once into a token-trie-like index and matches them in one linear pass over the
// tokens. No regular expression ever runs on article text, so there is no backtracking to exploit.
//
// Pattern syntax (see docs/rules-format.md):
//   "border wall"      phrase, word-bounded, case/accent-insensitive, simple EN/ES plural inflections per word
//   "extradit*"        prefix wildcard on that word (min. 3 letters); a prefix ending in "t" also matches the
//                      Spanish "-ción" noun ("extradit*" → extradited, extraditado, extradición)
//   "=ICE"             leading "=": no inflection (exact words)
// Options (object form): caseSensitive (compare accent-stripped but case-preserved words), exact.
import { tokenize, type Token } from './normalize-text.js';

export interface PatternOptions {
  caseSensitive?: boolean;
  exact?: boolean;
}

type WordTest =
  | { kind: 'set'; values: ReadonlySet<string> }
  /** One exact form (exact and case-sensitive patterns: most gazetteer names): no Set to hold. */
  | { kind: 'one'; value: string }
  | { kind: 'prefix'; prefixes: readonly string[] };

interface PrefixEntry<T> {
  key: string;
  phrases: CompiledPhrase<T>[];
}

interface CompiledPhrase<T> {
  words: WordTest[];
  caseSensitive: boolean;
  payload: T;
  /** Insertion order: hits at one token come out in this order, however the phrases are indexed. */
  order: number;
}

/**
 * The phrases that start with one word. A long list (a gazetteer puts hundreds of "municipio de …",
 * "alcalde de …" behind one first word) is split by the word at `depth`, recursively, so a token is checked
 * against the few phrases that can match it instead of all of them.
 */
type Bucket<T> = CompiledPhrase<T>[] | SplitBucket<T>;
interface SplitBucket<T> {
  depth: number;
  by: Map<string, Bucket<T>>;
  /** Phrases too short to have a word at `depth`, or with a wildcard there. */
  rest: CompiledPhrase<T>[];
}

const SPLIT_ABOVE = 8;
const MAX_DEPTH = 8;

function buildBucket<T>(phrases: CompiledPhrase<T>[], depth: number): Bucket<T> {
  if (phrases.length <= SPLIT_ABOVE || depth > MAX_DEPTH) return phrases;
  const by = new Map<string, CompiledPhrase<T>[]>();
  const rest: CompiledPhrase<T>[] = [];
  for (const ph of phrases) {
    const w = ph.words[depth];
    if (!w || w.kind === 'prefix') {
      rest.push(ph);
      continue;
    }
    const keys = new Set<string>();
    for (const v of wordValues(w)) keys.add(ph.caseSensitive ? v.toLowerCase() : v);
    for (const k of keys) push(by, k, ph);
  }
  if (rest.length === phrases.length) return phrases;
  const built = new Map<string, Bucket<T>>();
  for (const [k, list] of by) built.set(k, buildBucket(list, depth + 1));
  return { depth, by: built, rest };
}

export interface MatchHit<T> {
  payload: T;
  /** Character offsets into the matched string. */
  start: number;
  end: number;
  /** Token offsets (end exclusive). */
  tokenStart: number;
  tokenEnd: number;
  /** Insertion order of the pattern that matched. */
  order: number;
}

export class PatternError extends Error {}

const MIN_PREFIX = 3;

/** Simple plural/inflection variants of one folded word (English and Spanish). */
export function inflections(word: string): string[] {
  const out = new Set<string>([word]);
  // Very short words and words with digits are acronyms or numbers: inflect only with "s" (FTOs, AK-47s).
  if (word.length <= 3 || /\d/.test(word)) {
    out.add(word + 's');
    return [...out];
  }
  out.add(word + 's'); // cartels, strikes, drones, sicarios
  out.add(word + 'es'); // cárteles, extradiciones, taxes (spurious forms are harmless: they never occur)
  const last = word[word.length - 1];
  if (last === 'z') out.add(word.slice(0, -1) + 'ces'); // capataz → capataces
  if (last === 'y' && !/[aeiou]y$/.test(word)) out.add(word.slice(0, -1) + 'ies'); // militia/y → ies
  return [...out];
}

interface ParsedWord {
  text: string; // folded or cased depending on caseSensitive
  prefix: boolean;
}

/** Throws PatternError when `pattern` cannot be compiled (what add() would throw), without indexing it. */
export function checkPattern(pattern: string, options: PatternOptions = {}): void {
  const text = pattern.trim();
  parsePattern(text.startsWith('=') ? text.slice(1) : text, options.caseSensitive === true);
}

function parsePattern(pattern: string, caseSensitive: boolean): ParsedWord[] {
  const words: ParsedWord[] = [];
  for (const chunk of pattern.split(/\s+/)) {
    if (chunk === '') continue;
    const wildcard = chunk.endsWith('*');
    const body = wildcard ? chunk.slice(0, -1) : chunk;
    if (body.includes('*')) throw new PatternError(`pattern "${pattern}": "*" is allowed only at the end of a word`);
    const toks = tokenize(body);
    if (toks.length === 0) {
      if (wildcard) throw new PatternError(`pattern "${pattern}": wildcard without a word`);
      continue;
    }
    toks.forEach((t, i) => {
      const isPrefix = wildcard && i === toks.length - 1;
      const text = caseSensitive ? t.cased : t.folded;
      if (isPrefix && text.length < MIN_PREFIX) {
        throw new PatternError(`pattern "${pattern}": wildcard prefix "${text}*" is shorter than ${MIN_PREFIX} letters`);
      }
      words.push({ text, prefix: isPrefix });
    });
  }
  if (words.length === 0) throw new PatternError(`pattern "${pattern}" has no words`);
  return words;
}

export class Matcher<T> {
  private readonly exactIndex = new Map<string, CompiledPhrase<T>[]>();
  /** exactIndex with its long lists split (built at the first match after an add). */
  private exactBuckets: Map<string, Bucket<T>> | null = null;
  /** Shapes of the exact keys: most words have a shape no key has, and skip the (hashing) map lookup. */
  private readonly exactShapes = new Uint8Array(SHAPES);
  /** prefix length → prefix → phrases whose first word is that prefix wildcard. */
  private readonly prefixIndex = new Map<number, Map<string, CompiledPhrase<T>[]>>();
  private prefixLengths: number[] = [];
  /** The prefix index by the first `prefixLengths[0]` letters: most words start no prefix, one lookup tells. */
  private prefixByHead: Map<string, PrefixEntry<T>[]> | null = null;
  /** Shapes of the heads in prefixByHead (rebuilt with it). */
  private readonly headShapes = new Uint8Array(SHAPES);
  private count = 0;

  add(pattern: string, payload: T, options: PatternOptions = {}): void {
    let text = pattern.trim();
    let exact = options.exact === true;
    if (text.startsWith('=')) {
      exact = true;
      text = text.slice(1);
    }
    const caseSensitive = options.caseSensitive === true;
    const parsed = parsePattern(text, caseSensitive);
    const words: WordTest[] = parsed.map((w): WordTest => {
      if (w.prefix) {
        const prefixes = [w.text];
        // English "-t-" stems and Spanish "-ción" nouns: extradit* / extradición, deportat* / deportación.
        if (!caseSensitive && w.text.endsWith('t')) prefixes.push(w.text.slice(0, -1) + 'cion');
        return { kind: 'prefix', prefixes };
      }
      if (exact || caseSensitive) return { kind: 'one', value: w.text };
      return { kind: 'set', values: new Set(inflections(w.text)) };
    });
    const phrase: CompiledPhrase<T> = { words, caseSensitive, payload, order: this.count };
    const first = words[0];
    if (first.kind !== 'prefix') {
      for (const v of wordValues(first)) {
        const key = caseSensitive ? v.toLowerCase() : v;
        push(this.exactIndex, key, phrase);
        this.exactShapes[shape(key, key.length)] = 1;
      }
      this.exactBuckets = null;
    } else {
      for (const p of first.prefixes) {
        const key = caseSensitive ? p.toLowerCase() : p;
        let byLen = this.prefixIndex.get(key.length);
        if (!byLen) {
          byLen = new Map();
          this.prefixIndex.set(key.length, byLen);
        }
        push(byLen, key, phrase);
      }
      this.prefixLengths = [...this.prefixIndex.keys()].sort((a, b) => a - b);
      this.prefixByHead = null;
    }
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** All matches (overlapping allowed), in token order. */
  match(tokens: readonly Token[]): MatchHit<T>[] {
    const hits: MatchHit<T>[] = [];
    const byHead = this.prefixHeads();
    const buckets = this.buckets();
    const headLength = this.prefixLengths[0] ?? Infinity;
    const n = tokens.length;
    for (let i = 0; i < n; i++) {
      const folded = tokens[i].folded;
      const exact = this.exactShapes[shape(folded, folded.length)] ? buckets.get(folded) : undefined;
      if (exact) this.tryBucket(exact, tokens, i, hits);
      if (folded.length < headLength || !this.headShapes[shape(folded, headLength)]) continue;
      const entries = byHead.get(folded.slice(0, headLength));
      if (!entries) continue;
      for (const e of entries) {
        if (e.key.length > folded.length) break;
        if (folded.startsWith(e.key)) this.tryPhrases(e.phrases, tokens, i, hits);
      }
    }
    return hits;
  }

  private buckets(): Map<string, Bucket<T>> {
    if (this.exactBuckets) return this.exactBuckets;
    const out = new Map<string, Bucket<T>>();
    for (const [k, list] of this.exactIndex) out.set(k, buildBucket(list, 1));
    this.exactBuckets = out;
    return out;
  }

  /** Tries the phrases of a bucket that can match at token i; their hits come out in insertion order. */
  private tryBucket(bucket: Bucket<T>, tokens: readonly Token[], i: number, hits: MatchHit<T>[]): void {
    if (Array.isArray(bucket)) {
      this.tryPhrases(bucket, tokens, i, hits);
      return;
    }
    const from = hits.length;
    this.collectSplit(bucket, tokens, i, hits);
    if (hits.length - from > 1) {
      const mine = hits.splice(from).sort((a, b) => a.order - b.order);
      for (const h of mine) hits.push(h);
    }
  }

  private collectSplit(bucket: SplitBucket<T>, tokens: readonly Token[], i: number, hits: MatchHit<T>[]): void {
    this.tryPhrases(bucket.rest, tokens, i, hits);
    const t = tokens[i + bucket.depth];
    if (!t) return;
    const sub = bucket.by.get(t.folded);
    if (!sub) return;
    if (Array.isArray(sub)) this.tryPhrases(sub, tokens, i, hits);
    else this.collectSplit(sub, tokens, i, hits);
  }

  /** Every prefix key grouped by its head, shortest key first: the order in which prefixes are tried. */
  private prefixHeads(): Map<string, PrefixEntry<T>[]> {
    if (this.prefixByHead) return this.prefixByHead;
    const byHead = new Map<string, PrefixEntry<T>[]>();
    const headLength = this.prefixLengths[0] ?? 0;
    this.headShapes.fill(0);
    for (const len of this.prefixLengths) {
      for (const [key, phrases] of this.prefixIndex.get(len)!) {
        push(byHead, key.slice(0, headLength), { key, phrases });
        this.headShapes[shape(key, headLength)] = 1;
      }
    }
    this.prefixByHead = byHead;
    return byHead;
  }

  private tryPhrases(cands: CompiledPhrase<T>[], tokens: readonly Token[], i: number, hits: MatchHit<T>[]): void {
    for (const ph of cands) {
      const len = ph.words.length;
      if (i + len > tokens.length) continue;
      let ok = true;
      for (let k = 0; k < len; k++) {
        const t = tokens[i + k];
        if (!testWord(ph.words[k], ph.caseSensitive ? t.cased : t.folded)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        hits.push({
          payload: ph.payload,
          start: tokens[i].start,
          end: tokens[i + len - 1].end,
          tokenStart: i,
          tokenEnd: i + len,
          order: ph.order,
        });
      }
    }
  }
}

const SHAPES = 1 << 14;

/**
 * A cheap 14-bit digest of s.slice(0, length) (its length, first and last code units): equal strings have equal
 * shapes, and a word whose shape no key has cannot be a key.
 */
function shape(s: string, length: number): number {
  return (length * 961 + s.charCodeAt(0) * 31 + s.charCodeAt(length - 1)) & (SHAPES - 1);
}

function testWord(w: WordTest, s: string): boolean {
  if (w.kind === 'one') return w.value === s;
  if (w.kind === 'set') return w.values.has(s);
  for (const p of w.prefixes) if (s.startsWith(p)) return true;
  return false;
}

function wordValues(w: { kind: 'set'; values: ReadonlySet<string> } | { kind: 'one'; value: string }): Iterable<string> {
  return w.kind === 'one' ? [w.value] : w.values;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const arr = m.get(k);
  if (arr) arr.push(v);
  else m.set(k, [v]);
}
