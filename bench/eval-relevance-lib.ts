// Joins the relevance labels with their items in the shared corpus and scores a classifier against them.
// Scoring convention (labels README): precision/recall of on_beat against off_beat; adjacent items are
// reported apart (how many leak into on_beat).
import type { Relevance } from '../src/model/types.js';
import { sha1, type LabelledItem } from '../src/beat/labels-corpus.js';

// The labels, the corpus and their join live in src/beat/labels-corpus.ts (the retrain job trains on them);
// re-exported here under the same names for the evaluations and benchmarks.
export {
  Corpus,
  decodeEntities,
  defaultLabelsFile,
  extractFeedItems,
  joinLabels,
  plainText,
  readLabels,
  sha1,
  titleKey,
  type JoinFailure,
  type Label,
  type LabelledItem,
} from '../src/beat/labels-corpus.js';

export interface Prediction {
  relevance: Relevance;
  topics: string[];
}
export type Predictor = (item: { title: string; text: string; lang: string | null; key: string }) => Prediction;

// ---------------------------------------------------------------------------------------------- metrics

export interface BinaryMetrics {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface EvalReport {
  n: number;
  overall: BinaryMetrics;
  byLang: Record<string, BinaryMetrics>;
  adjacent: { n: number; leakedOnBeat: number; predictedAdjacent: number };
  topics: { tp: number; fp: number; fn: number; microF1: number | null };
  errors: { key: string; gold: Relevance; predicted: Relevance; goldTopics: string[]; predictedTopics: string[]; title: string }[];
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

function binary(pairs: { gold: Relevance; pred: Relevance }[]): BinaryMetrics {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const { gold, pred } of pairs) {
    if (gold === 'adjacent') continue;
    const g = gold === 'on_beat';
    const p = pred === 'on_beat';
    if (g && p) tp++;
    else if (!g && p) fp++;
    else if (g && !p) fn++;
    else tn++;
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : tp + fp + fn > 0 ? 0 : null;
  return { tp, fp, fn, tn, precision, recall, f1 };
}

export function evaluate(items: LabelledItem[], predict: Predictor): EvalReport {
  const rows = items.map((it) => ({ it, pred: predict({ title: it.title, text: it.text, lang: it.label.lang, key: it.label.key }) }));
  const pairs = rows.map((r) => ({ gold: r.it.label.relevance, pred: r.pred.relevance, lang: r.it.label.lang }));
  const byLang: Record<string, BinaryMetrics> = {};
  for (const lang of [...new Set(pairs.map((p) => p.lang))].sort()) byLang[lang] = binary(pairs.filter((p) => p.lang === lang));
  const adj = rows.filter((r) => r.it.label.relevance === 'adjacent');
  let ttp = 0, tfp = 0, tfn = 0;
  for (const { it, pred } of rows) {
    const gold = new Set(it.label.topics);
    const p = new Set(pred.topics);
    for (const t of p) (gold.has(t) ? ttp++ : tfp++);
    for (const t of gold) if (!p.has(t)) tfn++;
  }
  const tp = ratio(ttp, ttp + tfp);
  const tr = ratio(ttp, ttp + tfn);
  return {
    n: items.length,
    overall: binary(pairs),
    byLang,
    adjacent: {
      n: adj.length,
      leakedOnBeat: adj.filter((r) => r.pred.relevance === 'on_beat').length,
      predictedAdjacent: adj.filter((r) => r.pred.relevance === 'adjacent').length,
    },
    topics: { tp: ttp, fp: tfp, fn: tfn, microF1: tp !== null && tr !== null && tp + tr > 0 ? (2 * tp * tr) / (tp + tr) : ttp + tfp + tfn > 0 ? 0 : null },
    errors: rows
      .filter(({ it, pred }) => it.label.relevance !== pred.relevance || (it.label.relevance === 'on_beat' && [...it.label.topics].sort().join() !== [...pred.topics].sort().join()))
      .map(({ it, pred }) => ({
        key: it.label.key,
        gold: it.label.relevance,
        predicted: pred.relevance,
        goldTopics: it.label.topics,
        predictedTopics: pred.topics,
        title: it.title,
      })),
  };
}

/** Naive baseline: on the beat when the text mentions Mexico, a cartel or the border. */
export const baselinePredictor: Predictor = ({ title, text }) => {
  const s = `${title} ${text}`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const hit = /\b(mexic\w*|cartel\w*|border\w*|frontera\w*)/.test(s);
  return { relevance: hit ? 'on_beat' : 'off_beat', topics: [] };
};

/** Compact figures for the final JSON line. */
export function figures(r: EvalReport) {
  const round = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
  const m = (b: BinaryMetrics) => ({ precision: round(b.precision), recall: round(b.recall), f1: round(b.f1), tp: b.tp, fp: b.fp, fn: b.fn });
  return {
    ...m(r.overall),
    by_lang: Object.fromEntries(Object.entries(r.byLang).map(([k, v]) => [k, m(v)])),
    adjacent_n: r.adjacent.n,
    adjacent_leaked_on_beat: r.adjacent.leakedOnBeat,
    topic_micro_f1: round(r.topics.microF1),
  };
}
