// Event similarity between two articles' Features, in [0, 1].
//
//   text    = TF-IDF cosine of stemmed title+summary terms (sublinear tf: 1 + ln tf, weight idf²)
//   anchors = the same cosine over language-independent evidence: entities, names, numbers, places,
//             organisations and bilingual concepts (lexicon.ts)
//   base    = same language (or unknown): max(text, W_TEXT_SAME·text + W_ANCHOR_SAME·anchors) (0.6 / 0.4)
//             different languages:        W_TEXT_CROSS·text + W_ANCHOR_CROSS·anchors         (0.2 / 0.8)
//             Across languages most words cannot match, so the anchors carry the decision; the stemmed
//             terms still catch cognates and names (fentanyl/fentanilo → "fentan").
//             A non-English article with an English reading (machine translation, Features.en) is compared
//             with an English one in English: same language, the en-en threshold.
//   time    = 1 within TIME_FULL_HOURS, then exp(−(Δh − TIME_FULL_HOURS) / TIME_DECAY_HOURS); 1 if unknown
//   support = 1 if the pair shares ≥ 2 distinct items (terms/anchors), else SINGLE_EVIDENCE_FACTOR (0.5);
//             an anchor that repeats a shared term ("china" and p:china, n:china) is not a second item,
//             and the setting alone counts as one item: places ("Guadalajara" and "Mexico") and, when the caller
//             knows the beat, its daily cast ("Sheinbaum", "Estados Unidos")
//   score   = base · support · (TIME_FLOOR + (1 − TIME_FLOOR) · time)
// Time only discounts: two articles a week apart that share everything still score ~0.55 of base.
import type { Features, IdfFn } from './types.js';
import { defaultLexicon, type Lexicon } from './lexicon.js';
import { stemLite } from './stem.js';

export const W_TEXT_SAME = 0.6;
export const W_ANCHOR_SAME = 0.4;
export const W_TEXT_CROSS = 0.2;
export const W_ANCHOR_CROSS = 0.8;
export const TIME_FULL_HOURS = 24;
export const TIME_DECAY_HOURS = 48;
export const TIME_FLOOR = 0.5;

/**
 * Fallback IDF when no document-frequency statistics exist yet (new install, unit tests): specific kinds of
 * evidence (entities, names, numbers) weigh more than generic ones (concepts, places).
 */
export function defaultIdf(term: string): number {
  switch (term[0]) {
    case '#':
      return 4;
    case 'e':
    case 'n':
    case 'o':
    case 'c':
    case 'p':
      if (term[1] === ':') {
        if (term[0] === 'e') return 4.5;
        if (term[0] === 'n') return 4;
        if (term[0] === 'o') return 3;
        return 2; // c:, p:
      }
      return 3;
    default:
      return 3;
  }
}

/** BM25-style IDF, always > 0: ln(1 + (N − df + 0.5) / (df + 0.5)). */
export function bm25Idf(totalDocs: number, df: number): number {
  return Math.log(1 + (totalDocs - df + 0.5) / (df + 0.5));
}

/** Below this many documents, table IDF is blended with {@link defaultIdf} (too few to trust). */
export const MIN_DOCS_FOR_IDF = 200;

/**
 * A synchronous IDF from counts: what the DB path builds after `SELECT term, df FROM term_df WHERE
 * term = ANY($1)` for the terms of the article and its candidates (missing terms → df 0).
 */
export function idfFromCounts(totalDocs: number, df: ReadonlyMap<string, number>, fallback: IdfFn = defaultIdf): IdfFn {
  const w = Math.min(1, totalDocs / MIN_DOCS_FOR_IDF);
  return (t) => {
    const d = df.get(t) ?? 0;
    const table = bm25Idf(totalDocs, d);
    return w >= 1 ? table : w * table + (1 - w) * fallback(t);
  };
}

/** In-memory document-frequency table (eval, tests); the DB keeps the same counts in `term_df`. */
export class DocumentFrequencyTable {
  readonly df = new Map<string, number>();
  totalDocs = 0;

  /** Counts each distinct term and anchor of the article once. */
  add(f: Pick<Features, 'terms' | 'anchors'>): void {
    this.totalDocs++;
    for (const k of Object.keys(f.terms)) this.df.set(k, (this.df.get(k) ?? 0) + 1);
    for (const k of Object.keys(f.anchors)) this.df.set(k, (this.df.get(k) ?? 0) + 1);
  }

  idf: IdfFn = (t) => {
    const w = Math.min(1, this.totalDocs / MIN_DOCS_FOR_IDF);
    const table = bm25Idf(this.totalDocs, this.df.get(t) ?? 0);
    return w >= 1 ? table : w * table + (1 - w) * defaultIdf(t);
  };

  async getDocumentFrequencies(terms: readonly string[]): Promise<{ totalDocs: number; df: Map<string, number> }> {
    const df = new Map<string, number>();
    for (const t of terms) df.set(t, this.df.get(t) ?? 0);
    return { totalDocs: this.totalDocs, df };
  }
}

/**
 * Keys (terms or anchors) that count in a vector's length but never as shared: what two texts have in common
 * that says nothing for the comparison at hand (storyline links: the beat's daily cast, decide.ts).
 */
export type Unshared = (key: string) => boolean;

/** TF-IDF cosine with sublinear tf. */
export function weightedCosine(a: Record<string, number>, b: Record<string, number>, idf: IdfFn, unshared?: Unshared): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const k in a) {
    const i = idf(k);
    const wa = (1 + Math.log(a[k])) * i;
    na += wa * wa;
    const tb = b[k];
    if (tb !== undefined && !unshared?.(k)) dot += wa * (1 + Math.log(tb)) * i;
  }
  if (dot === 0) return 0;
  for (const k in b) {
    const wb = (1 + Math.log(b[k])) * idf(k);
    nb += wb * wb;
  }
  return dot / Math.sqrt(na * nb);
}

export function timeProximity(aMs: number, bMs: number): number {
  if (!Number.isFinite(aMs) || !Number.isFinite(bMs)) return 1;
  const dh = Math.abs(aMs - bMs) / 3_600_000;
  return dh <= TIME_FULL_HOURS ? 1 : Math.exp(-(dh - TIME_FULL_HOURS) / TIME_DECAY_HOURS);
}

/**
 * One shared word ("China", "NASA", "Fed") makes two short headlines look alike under cosine; events are
 * pinned down by at least two pieces of evidence, so a pair sharing fewer is discounted.
 */
export const MIN_SHARED_EVIDENCE = 2;
export const SINGLE_EVIDENCE_FACTOR = 0.5;

/**
 * Distinct shared items: terms (same language only) plus anchors; an anchor is not counted again when a
 * shared term already holds its word (a name, or a lexicon anchor one of whose forms stems to the term).
 * Items that only set the scene count as one (onlyTheSetting). `background`: the beat's daily cast, when known.
 */
export function sharedEvidence(
  a: Features,
  b: Features,
  crossLingual: boolean,
  lexicon: Lexicon = defaultLexicon(),
  unshared?: Unshared,
  background?: Unshared,
): number {
  let n = 0;
  const sharedTerms = new Set<string>();
  if (!crossLingual) for (const k in a.terms) if (k in b.terms && !unshared?.(k)) { n++; sharedTerms.add(k); }
  const sharedAnchors: string[] = [];
  for (const k in a.anchors) {
    if (!(k in b.anchors) || unshared?.(k)) continue;
    sharedAnchors.push(k);
    if (sharedTerms.size > 0 && anchorExplained(k, sharedTerms, lexicon)) continue;
    n++;
  }
  // Where, without who or what: a city and its country ("Guadalajara", "Mexico") are one piece of evidence.
  if (n >= MIN_SHARED_EVIDENCE && onlyTheSetting(sharedTerms, sharedAnchors, lexicon, background)) return 1;
  return n;
}

/**
 * Every shared item only sets the scene: a place (a lexicon place p:, a gazetteer place e:place:, a name that is
 * a word of one of those, a term that stems from one) or one of the beat's daily cast (`background`: "Sheinbaum",
 * "Estados Unidos", a cartel, a state). Two reports of one event share who or what happened, not only where and
 * among whom: articles from one city, or about one country's president, share those names whatever they report.
 */
function onlyTheSetting(terms: ReadonlySet<string>, anchors: readonly string[], lexicon: Lexicon, background?: Unshared): boolean {
  const words = new Set<string>();
  const names: string[] = [];
  for (const k of anchors) {
    if (k.startsWith('p:')) for (const w of lexicon.anchorWords(k) ?? []) words.add(w);
    else if (k.startsWith('e:place:')) for (const w of k.slice(8).split('-')) words.add(w);
    else if (background?.(k)) continue;
    else if (k.startsWith('n:')) names.push(k.slice(2));
    else return false;
  }
  const stems = new Set([...words].map(stemLite));
  for (const name of names) if (!name.split(' ').every((w) => words.has(w) || stems.has(stemLite(w)))) return false;
  for (const t of terms) if (!stems.has(t) && !background?.(t)) return false;
  return true;
}

/** The anchor repeats a shared term: a name ("n:china" and "china"), or a lexicon anchor one of whose forms stems to it ("p:china"). */
function anchorExplained(k: string, sharedTerms: ReadonlySet<string>, lexicon: Lexicon): boolean {
  if (k.startsWith('n:')) return [...sharedTerms].some((t) => k.slice(2).startsWith(t));
  const stems = k[1] === ':' ? lexicon.anchorStems(k) : undefined;
  if (!stems) return false;
  for (const t of sharedTerms) if (stems.has(t)) return true;
  return false;
}

export interface SimilarityDetail {
  score: number;
  text: number;
  anchors: number;
  time: number;
  crossLingual: boolean;
  /** The languages compared: "en-en" when a translated article's English reading met an English one. */
  pair: string | null;
}

/**
 * The key of a language pair in {@link ClusterOptions.pairThresholds}: "en-en", "es-es", … for one language,
 * "cross" for two different ones; null when either language is unknown (the join threshold applies).
 */
export function languagePair(a: string | null, b: string | null): string | null {
  if (!a || !b) return null;
  return a === b ? `${a}-${a}` : 'cross';
}

/**
 * The pair as compared: a non-English article with an English reading (Features.en) meets an English article
 * in English, as two English articles do; any other pair as it is.
 */
export function comparable(a: Features, b: Features): [Features, Features] {
  if (a.lang == null || b.lang == null || a.lang === b.lang) return [a, b];
  if (b.lang === 'en' && a.en) return [{ ...a, lang: 'en', terms: a.en.terms, anchors: a.en.anchors }, b];
  if (a.lang === 'en' && b.en) return [a, { ...b, lang: 'en', terms: b.en.terms, anchors: b.en.anchors }];
  return [a, b];
}

/**
 * `lexicon`: the one the features were extracted with (its anchors' stems); defaults to the shipped beat's.
 * `background`: the beat's daily cast (sharedEvidence), when the caller knows the beat.
 */
export function similarityDetail(x: Features, y: Features, idf: IdfFn, lexicon?: Lexicon, unshared?: Unshared, background?: Unshared): SimilarityDetail {
  const [a, b] = comparable(x, y);
  const text = weightedCosine(a.terms, b.terms, idf, unshared);
  const anchors = weightedCosine(a.anchors, b.anchors, idf, unshared);
  const crossLingual = a.lang != null && b.lang != null && a.lang !== b.lang;
  // Same language: anchors may only add evidence. Terms already contain the names, and a headline in
  // Title Case has no name anchors at all, which must not pull its score down.
  const base = crossLingual
    ? W_TEXT_CROSS * text + W_ANCHOR_CROSS * anchors
    : Math.max(text, W_TEXT_SAME * text + W_ANCHOR_SAME * anchors);
  const time = timeProximity(a.publishedAtMs, b.publishedAtMs);
  const shared = sharedEvidence(a, b, crossLingual, lexicon, unshared, background);
  const support = shared >= MIN_SHARED_EVIDENCE ? 1 : SINGLE_EVIDENCE_FACTOR;
  const score = Math.min(1, Math.max(0, base * support * (TIME_FLOOR + (1 - TIME_FLOOR) * time)));
  const pair = languagePair(a.lang, b.lang);
  return { score, text, anchors, time, crossLingual, pair };
}

/** Event similarity in [0, 1] (see the header for the formula and weights). */
export function similarity(a: Features, b: Features, idf: IdfFn, lexicon?: Lexicon): number {
  return similarityDetail(a, b, idf, lexicon).score;
}
