// Language-independent evidence about an article, for event clustering across outlets and languages.
import { foldText, hashString32 } from '../dedup/fingerprint.js';
import { defaultLexicon, type Lexicon } from './lexicon.js';
import { STEM_PREFIX, stemLite } from './stem.js';
import type { ArticleInput, Features, IdfFn } from './types.js';
import { defaultIdf } from './similarity.js';

export const FEATURES_VERSION = 2;
/** Title words count this many times in the term vector: titles carry the event. */
export const TITLE_WEIGHT = 2;
/**
 * Only the lead of a body counts: the event (who, what, where) is in the first sentences, and the rest of a
 * long article is topic (background, reactions, boilerplate) that makes two articles on one subject look like
 * one event. Feed descriptions rarely exceed this; full texts (SemEval) do. Also bounds feature cost.
 */
export const MAX_SUMMARY_CHARS = 600;
const MAX_SKETCH_ANCHORS = 8;
const MAX_SKETCH_TERMS = 10;
/** Keys from a translated article's English reading (Features.en), beside its own. */
const MAX_SKETCH_TRANSLATED_TERMS = 5;
/** Anchors/terms with an IDF below this (e.g. "Mexico" on a Mexico beat) are too common to be keys. */
const MIN_KEY_IDF = 1.5;

// Function words (folded) of English and Spanish; never terms, never names.
const STOP = new Set(
  (
    'a an the and or but if of to in on at by for from with without as is are was were be been being ' +
    'has have had do does did will would can could should may might must shall this that these those it its ' +
    'he she they them his her their we our you your i me my not no nor so than then there here what which ' +
    'who whom whose when where why how all any both each few more most other some such only own same too very ' +
    'just also after before over under about into through during again further once up down out off against ' +
    'between while because until said says say new s t one two amid via per vs how what why ' +
    'el la los las un una unos unas y o u e de del al a en con por para sin sobre entre hasta desde hacia ' +
    'que quien quienes cual cuales cuando donde como porque pero si no ni ya muy mas menos tambien ' +
    'es son fue fueron ser era eran ha han habia sera seran esta estan este estos esta estas ese esos esa esas ' +
    'lo le les se su sus mi mis tu tus nos nuestro nuestra ellos ellas el ella yo usted ustedes todo todos toda todas ' +
    'otro otra otros otras dijo dice segun tras ante bajo cada solo sido hay hoy ayer asi aun'
  ).split(/\s+/),
);

export { STEM_PREFIX, stemLite };

/**
 * Feed-footer boilerplate that repeats the title and names the outlet on every item ("The post … appeared
 * first on Mexico News Daily", WordPress's Spanish "La entrada … se publicó primero en …", "Continue reading",
 * "View Entire Post ›"): left in, every article of an outlet shares it and looks related to every other.
 */
const FEED_FOOTERS: readonly RegExp[] = [
  /\s*The post\s[\s\S]{0,400}?\sappeared first on\s[^.]{1,80}\.?\s*$/iu,
  /\s*La entrada\s[\s\S]{0,400}?\sse public[oó] primero en\s[^.]{1,80}\.?\s*$/iu,
  /\s*(?:Continue reading|Read more|Keep reading|Leer más|Seguir leyendo|Sigue leyendo)\b[\s\S]{0,120}$/iu,
  // A last sentence of at most five words ending in an arrow ("View Entire Post ›", "Full story »", "Ver nota →"):
  // a call to action. Only after a sentence's end, so that a Spanish closing quote («no habrá impunidad») stays.
  /(?<=[.!?…"”)]|^)\s*(?:[\p{L}'’]+\s+){0,4}[\p{L}'’]+\s*[›»→⟶▸▶]+\s*$/u,
];

export function stripFeedFooter(summary: string): string {
  let out = summary;
  for (const re of FEED_FOOTERS) out = out.replace(re, '');
  return out;
}

/**
 * The outlet's own name in a source name: "Reforma — Justicia" → "Reforma", "Reuters via Google News (…)" →
 * "Reuters", "Mexico News Daily" as it is. Null when nothing usable (under 4 characters) is left.
 */
export function outletName(source: string | null | undefined): string | null {
  const name = source?.split(/\s+[—–|-]\s+|\s+via\s+|\s*\(/u)[0]?.trim() ?? '';
  return name.length >= 4 ? name : null;
}

/**
 * The text without the outlet naming itself ("Mexico News Daily spoke to residents in Guadalajara…"): matched
 * as written (case and accents), as whole words, so that "Reforma" the paper goes and "la reforma judicial" stays.
 */
export function stripOutletName(text: string, source: string | null | undefined): string {
  const name = outletName(source);
  if (!name || !text.includes(name)) return text;
  return text.replace(outletPattern(name), ' ').replace(/\s{2,}/g, ' ').trim();
}

/** One compiled pattern per outlet name: placement strips it from every article of that outlet. */
const outletPatterns = new Map<string, RegExp>();
function outletPattern(name: string): RegExp {
  let re = outletPatterns.get(name);
  if (!re) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    re = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?:['’]s)?(?![\\p{L}\\p{N}])`, 'gu');
    if (outletPatterns.size >= 1000) outletPatterns.clear(); // bounded: names come from sources, which users add
    outletPatterns.set(name, re);
  }
  return re;
}

/** Strips a trailing " - Outlet" / " | Outlet" suffix (≤ 5 words) that aggregators append to headlines. */
export function stripOutletSuffix(title: string): string {
  const m = /^(.*\S)\s+[-–—|]\s+([^-–—|]{1,60})$/u.exec(title);
  if (m && m[2].trim().split(/\s+/).length <= 5 && m[1].length >= 15) return m[1];
  return title;
}

const NUM_RE =
  /(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)(?:\s*(%|por ciento|percent))?(?:\s+(mil millones|millones|millón|millon|million|millions|billion|billones|mil|thousand))?/giu;

const MULT: Record<string, number> = {
  mil: 1e3, thousand: 1e3, million: 1e6, millions: 1e6, millones: 1e6, millón: 1e6, millon: 1e6,
  billion: 1e9, 'mil millones': 1e9, billones: 1e12,
};

/** Normalised numbers ("10,000", "10.000", "10 mil" → "10000"; "1.5 million" → "1500000"); years and 0–2 dropped. */
export function extractNumbers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(NUM_RE)) {
    const raw = m[1];
    let v: number;
    if (/^\d{1,3}(?:[.,]\d{3})+$/.test(raw)) v = Number(raw.replace(/[.,]/g, ''));
    else v = Number(raw.replace(',', '.'));
    if (!Number.isFinite(v)) continue;
    const mult = m[3] ? MULT[m[3].toLowerCase()] ?? 1 : 1;
    const pct = m[2] ? '%' : '';
    if (!pct && !m[3] && Number.isInteger(v) && v >= 1900 && v <= 2100) continue; // years
    v = v * mult;
    if (!pct && v <= 2) continue;
    out.push(`#${Number(v.toPrecision(6))}${pct}`);
  }
  return out;
}

// Case-sensitive country abbreviations that fold to common words ("US" → "us", "EU" → "eu").
function abbreviationAnchors(text: string, lang: string | null): string[] {
  const out: string[] = [];
  for (const _ of text.matchAll(/\b(?:US|USA)\b|\bEE\.?\s?UU\.?|\bEEUU\b/g)) out.push('p:us');
  for (const _ of text.matchAll(/\bEU\b/g)) out.push(lang === 'es' ? 'p:us' : 'p:europe');
  for (const _ of text.matchAll(/\bUN\b|\bONU\b/g)) out.push('o:un');
  return out;
}

/** True when most longer words of a headline are capitalised ("Title Case Headline"). */
function isTitleCase(title: string): boolean {
  const words = title.split(/\s+/).filter((w) => /^\p{L}{4,}/u.test(w));
  if (words.length < 3) return false;
  const caps = words.filter((w) => /^\p{Lu}/u.test(w)).length;
  return caps / words.length >= 0.6;
}

/**
 * Capitalised words (names of people, organisations, places), folded. Sentence-initial words count unless
 * they are function words; headlines in Title Case contribute only all-caps acronyms (every word is
 * capitalised there, so capitals say nothing).
 */
export function extractNames(text: string, titleCase = false): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[\p{L}][\p{L}\p{M}'’]*/gu)) {
    const w = m[0].replace(/['’]s?$/u, '');
    if (!/^\p{Lu}/u.test(w)) continue;
    const isAcronym = w.length >= 2 && w === w.toUpperCase();
    if (titleCase && !isAcronym) continue;
    if (w.length < 3 && !isAcronym) continue;
    const f = foldText(w);
    if (f === '' || STOP.has(f)) continue;
    out.push(f);
  }
  return out;
}

function bump(rec: Record<string, number>, k: string, by = 1): void {
  rec[k] = (rec[k] ?? 0) + by;
}

export interface FeatureOptions {
  /** IDF used only to choose sketch keys; defaults to {@link defaultIdf}. */
  idf?: IdfFn;
  /** The beat's lexicon (concept, place and organisation anchors); defaults to the shipped beat's. */
  lexicon?: Lexicon;
}

/** Extracts {@link Features} from an article's title, summary, language, entities and time. */
export function articleFeatures(input: ArticleInput, opts: FeatureOptions = {}): Features {
  const idf = opts.idf ?? defaultIdf;
  const lexicon = opts.lexicon ?? defaultLexicon();
  const { terms, anchors } = evidence(input, input.lang, lexicon);
  const f: Features = {
    v: FEATURES_VERSION,
    lang: input.lang,
    publishedAtMs: input.publishedAt.getTime(),
    terms: capTerms(terms),
    anchors,
    sketchKeys: sketchKeys(terms, anchors, idf),
  };
  const english = input.english;
  if (english && input.lang !== 'en' && (english.title || english.summary)) {
    const e = evidence({ ...input, title: english.title, summary: english.summary }, 'en', lexicon);
    f.en = { terms: capTerms(e.terms), anchors: e.anchors };
    f.sketchKeys = featureKeys({ terms, anchors, en: { terms: e.terms, anchors: e.anchors } }, idf);
  }
  return f;
}

/**
 * The part of a body that counts: footers dropped (they name the outlet: first), then the outlet naming itself,
 * the first MAX_SUMMARY_CHARS characters.
 */
export function leadOf(summary: string, outlet?: string | null): string {
  const body = stripOutletName(stripFeedFooter(summary), outlet);
  return body.length > MAX_SUMMARY_CHARS ? body.slice(0, MAX_SUMMARY_CHARS) : body;
}

/** Terms and anchors of an article's text read as `lang`. */
function evidence(input: ArticleInput, lang: string | null, lexicon: Lexicon): Pick<Features, 'terms' | 'anchors'> {
  const title = stripOutletSuffix(input.title.trim());
  const summary = leadOf(input.summary, input.outlet);

  const terms: Record<string, number> = {};
  const anchors: Record<string, number> = {};
  const addTerms = (text: string, w: number) => {
    const toks = foldText(text).split(' ');
    for (const t of toks) {
      if (t.length < 2 || STOP.has(t) || /^\d/.test(t)) continue;
      bump(terms, stemLite(t), w);
    }
    for (const [id, n] of lexicon.match(toks)) bump(anchors, id, n * (w > 1 ? 1.5 : 1));
  };
  addTerms(title, TITLE_WEIGHT);
  if (summary) addTerms(summary, 1);

  const both = summary ? `${title}. ${summary}` : title;
  for (const e of input.entities ?? []) bump(anchors, `e:${e.id}`);
  for (const n of extractNames(title, isTitleCase(title))) bump(anchors, `n:${n}`);
  if (summary) for (const n of extractNames(summary)) bump(anchors, `n:${n}`);
  for (const n of extractNumbers(both)) bump(anchors, n);
  for (const a of abbreviationAnchors(both, lang)) bump(anchors, a);
  return { terms, anchors };
}

/**
 * Keeps the MAX_TERMS heaviest terms (title words first, ties by string): bounds the size of stored
 * features and the cost of each similarity, whatever the body length.
 */
export const MAX_TERMS = 64;
function capTerms(terms: Record<string, number>): Record<string, number> {
  const e = Object.entries(terms);
  if (e.length <= MAX_TERMS) return terms;
  e.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return Object.fromEntries(e.slice(0, MAX_TERMS));
}

/**
 * The sketch keys of an article's features: its own, and for a translated article the most specific terms of its
 * English reading too, which find English coverage whose names differ.
 */
export function featureKeys(f: Pick<Features, 'terms' | 'anchors' | 'en'>, idf: IdfFn): number[] {
  const keys = sketchKeys(f.terms, f.anchors, idf);
  if (!f.en) return keys;
  return [...new Set([...keys, ...sketchKeys(f.en.terms, {}, idf).slice(0, MAX_SKETCH_TRANSLATED_TERMS)])];
}

/** Signed 32-bit key of a term or anchor string, as stored in `story_key.key`. */
export function keyOf(item: string): number {
  return hashString32(`k:${item}`) | 0;
}

/**
 * Candidate-retrieval keys: the most specific anchors (names, numbers, entities, concepts) and the most
 * specific terms. Anchors are language-independent, so an English and a Spanish article about the same
 * event share keys; terms catch same-language coverage whose names differ.
 */
export function sketchKeys(terms: Record<string, number>, anchors: Record<string, number>, idf: IdfFn): number[] {
  const rank = (rec: Record<string, number>, max: number) =>
    Object.entries(rec)
      .map(([k, tf]) => [k, idf(k), tf] as const)
      .filter(([, i]) => i >= MIN_KEY_IDF)
      .map(([k, i, tf]) => [k, i * (1 + Math.log(tf))] as const)
      // Ties broken by the string so keys are deterministic.
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, max)
      .map(([k]) => k);
  const items = [...rank(anchors, MAX_SKETCH_ANCHORS), ...rank(terms, MAX_SKETCH_TERMS)];
  return [...new Set(items.map(keyOf))];
}
