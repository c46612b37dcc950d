// Distinctive terms and names of each press side of a story. Pure.
//
// Terms: each article's lead (title + the first 600 characters of its summary, as clustering reads it) is
// folded (foldText) and cut into terms: a phrase of the bilingual lexicon becomes its concept id, so that
// "strikes" and "ataques" count as one term (c:strike) and are distinctive only if one press uses the
// concept and the other does not; any other word becomes its light stem (stemLite: "extradition" and
// "extradición" → "extra"). Function words, numbers and the words of the names the article mentions (those
// are listed apart) are dropped. Counts are document frequencies (articles using the term), so that one
// long article cannot dominate.
//
// Score: the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), the prior
// being the story's pooled frequency of the term, divided by its standard error: a term every article of
// both presses uses scores about 0; a term most of one side's articles use and none of the other's scores
// high, more so with more articles. A term is kept when it scores at least MIN_TERM_SCORE and the other press's
// share of articles using it is under half this side's (frequent here, rare there).
import { stemLite, stripFeedFooter, MAX_SUMMARY_CHARS } from '../cluster/features.js';
import { defaultLexicon, MAX_PHRASE_WORDS } from '../cluster/lexicon.js';
import { foldText } from '../dedup/fingerprint.js';
import type { PressName, PressTerm } from './types.js';

// Function words (folded) of English and Spanish, and words every report of the beat uses.
const STOP = new Set(
  (
    'a an the and or but if of to in on at by for from with without as is are was were be been being has have had do does did ' +
    'will would can could should may might must this that these those it its he she they them his her their we our you your i ' +
    'me my not no nor so than then there here what which who whom whose when where why how all any both each few more most other ' +
    'some such only own same too very just also after before over under about into through during again further once up down ' +
    'out off against between while because until said says say new one two amid via per vs mr ms us year years week day days ' +
    'el la los las un una unos unas y o u e de del al en con por para sin sobre entre hasta desde hacia que quien quienes cual ' +
    'cuales cuando donde como porque pero si ni ya muy mas menos tambien es son fue fueron ser era eran ha han habia sera seran ' +
    'esta estan este estos estas ese esos esa esas lo le les se su sus mi mis tu tus nos nuestro nuestra ellos ellas ella yo ' +
    'usted ustedes todo todos toda todas otro otra otros otras dijo dice segun tras ante bajo cada solo sido hay hoy ayer asi aun ' +
    'ano anos dia dias semana puede pueden hace hizo contra durante mediante aunque sino cualquier habra would could'
  ).split(/\s+/),
);

export interface TermArticle {
  title: string;
  summary: string;
  /** Folded words of the names it mentions: not terms (names are counted apart). */
  nameWords?: ReadonlySet<string>;
}

export interface TermHit {
  key: string;
  surface: string;
}

/** The terms of one article, in order (repeats kept): lexicon concepts (longest phrase first) or light stems. */
export function articleTerms(a: TermArticle): TermHit[] {
  const text = `${a.title} ${stripFeedFooter(a.summary).slice(0, MAX_SUMMARY_CHARS)}`;
  const folded = foldText(text);
  const toks = folded === '' ? [] : folded.split(' ');
  const lexicon = defaultLexicon();
  const map = lexicon.phrases;
  const out: TermHit[] = [];
  for (let i = 0; i < toks.length; ) {
    const maxN = lexicon.phraseStarts.has(toks[i]!) ? Math.min(MAX_PHRASE_WORDS, toks.length - i) : 1;
    let used = 0;
    for (let n = maxN; n >= 1; n--) {
      const phrase = n === 1 ? toks[i]! : toks.slice(i, i + n).join(' ');
      const id = map.get(phrase);
      if (id) {
        out.push({ key: id, surface: phrase });
        used = n;
        break;
      }
    }
    if (used) {
      i += used;
      continue;
    }
    const t = toks[i]!;
    i++;
    if (t.length < 3 || STOP.has(t) || /^\d+$/.test(t) || a.nameWords?.has(t)) continue;
    out.push({ key: `s:${stemLite(t)}`, surface: t });
  }
  return out;
}

/** One press side's articles, as terms (per article) for scoring. */
export interface SideDocs {
  docs: TermHit[][];
}

interface Tally {
  df: Map<string, number>;
  surfaces: Map<string, Map<string, number>>;
  n: number;
}

function tally(docs: TermHit[][]): Tally {
  const df = new Map<string, number>();
  const surfaces = new Map<string, Map<string, number>>();
  for (const d of docs) {
    const seen = new Set<string>();
    for (const h of d) {
      const s = surfaces.get(h.key) ?? new Map<string, number>();
      s.set(h.surface, (s.get(h.surface) ?? 0) + 1);
      surfaces.set(h.key, s);
      if (seen.has(h.key)) continue;
      seen.add(h.key);
      df.set(h.key, (df.get(h.key) ?? 0) + 1);
    }
  }
  return { df, surfaces, n: docs.length };
}

/** Prior strength (pseudo-articles) of the informative Dirichlet prior. */
const PRIOR = 2;
/** A term below this z-score is not distinctive (when the other press has articles). */
export const MIN_TERM_SCORE = 1;
export const MAX_TERMS_PER_SIDE = 8;
/** The other press "rarely" uses a term when its share of articles using it is under this fraction of this side's. */
const RARE_SHARE = 0.5;

function mostFrequent(m: Map<string, number> | undefined, fallback: string): string {
  let best = fallback;
  let n = -1;
  for (const [s, c] of m ?? []) if (c > n || (c === n && s < best)) [best, n] = [s, c];
  return best;
}

/**
 * The distinctive terms of `side` against `other` (log-odds z-score with the pooled prior), best first.
 * A term must be used by at least 2 of the side's articles when it has 3 or more. When the other press has
 * no article, nothing is "distinctive against" it: the side's most used terms are given (same score).
 */
export function distinctiveTerms(side: TermHit[][], other: TermHit[][], max = MAX_TERMS_PER_SIDE): PressTerm[] {
  if (side.length === 0) return [];
  const a = tally(side);
  const b = tally(other);
  const minDf = a.n >= 3 ? 2 : 1;
  const total = a.n + b.n;
  const out: PressTerm[] = [];
  for (const [key, ya] of a.df) {
    if (ya < minDf) continue;
    const yb = b.df.get(key) ?? 0;
    const alpha = Math.min(PRIOR - 0.01, Math.max(0.01, (PRIOR * (ya + yb)) / total));
    const rest = PRIOR - alpha;
    const delta = Math.log((ya + alpha) / (a.n - ya + rest)) - Math.log((yb + alpha) / (b.n - yb + rest));
    const z = delta / Math.sqrt(1 / (ya + alpha) + 1 / (yb + alpha));
    // Rare in the other press: its share of articles using the term is under half this side's.
    if (b.n > 0 && (z < MIN_TERM_SCORE || yb / b.n >= RARE_SHARE * (ya / a.n))) continue;
    out.push({ term: mostFrequent(a.surfaces.get(key), key), key, score: Math.round(z * 1000) / 1000, articles: ya, otherArticles: yb });
  }
  out.sort((x, y) => y.score - x.score || y.articles - x.articles || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
  return out.slice(0, max);
}

export interface NameMention {
  id: string;
  name: string;
  kind: string;
}

export const NAME_KINDS: ReadonlySet<string> = new Set(['person', 'organization', 'cartel']);
export const MAX_NAMES_PER_SIDE = 10;

/** The people and organisations a side names (articles naming each), most named first, with the other press's count. */
export function sideNames(side: NameMention[][], other: NameMention[][], max = MAX_NAMES_PER_SIDE): PressName[] {
  const count = (docs: NameMention[][]) => {
    const m = new Map<string, { e: NameMention; n: number }>();
    for (const d of docs) {
      for (const id of new Set(d.filter((e) => NAME_KINDS.has(e.kind)).map((e) => e.id))) {
        const e = d.find((x) => x.id === id)!;
        const cur = m.get(id);
        if (cur) cur.n++;
        else m.set(id, { e, n: 1 });
      }
    }
    return m;
  };
  const a = count(side);
  const b = count(other);
  return [...a.values()]
    .map(({ e, n }) => ({ id: e.id, name: e.name, kind: e.kind, articles: n, otherArticles: b.get(e.id)?.n ?? 0 }))
    .sort((x, y) => y.articles - x.articles || x.otherArticles - y.otherArticles || (x.name < y.name ? -1 : 1))
    .slice(0, max);
}

/** Folded words of the names an article mentions (its entities' matched forms), not to be counted as terms. */
export function nameWords(entities: ReadonlyArray<{ kind: string; matched: string; name: string }>): Set<string> {
  const out = new Set<string>();
  for (const e of entities) {
    if (!NAME_KINDS.has(e.kind)) continue;
    for (const w of foldText(`${e.matched} ${e.name}`).split(' ')) if (w) out.add(w);
  }
  return out;
}
