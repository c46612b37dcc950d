// The learnable part of the beat: a small logistic model fitted from labelled articles (the dev labels a
// user supplies, and an editor's corrections). It never replaces the rules: it reads their verdict as a
// feature and may only move an article across the on-beat line when it is confident, and its evidence says so.
// Training is deterministic (full-batch gradient descent from zero, sorted features, no randomness): the same
// examples give the same weights and the same version.
import { createHash } from 'node:crypto';
import type { Relevance } from '../model/types.js';
import type { Token } from './normalize-text.js';
import type { Rules } from './rules.js';

export interface TrainingExample {
  /** Stable id of the example (label key, or `article:<id>` for a correction). */
  key: string;
  title: string;
  text: string;
  lang: string | null;
  relevance: Relevance;
  /** Where it comes from (an outlet name, `correction`): leave-one-outlet-out groups by it. */
  group: string;
}

export interface BeatModel {
  kind: 'frontera-beat-model';
  /** Content hash of the model: part of every classification's version stamp. */
  version: string;
  /** Version of the rules it was fitted against. */
  rulesVersion: string;
  examples: number;
  /** Feature → weight (features: `w:<stem>` words, `rules:<relevance>` the rules' verdict, `lang:<xx>`). */
  weights: Record<string, number>;
  bias: number;
}

/** What the model reads of an article: the rules' verdict and the stems of its words. */
export interface ModelInput {
  rulesRelevance: Relevance;
  lang: string | null;
  tokens: readonly Token[];
  /** The rules' evidence: which rule kinds fired, in which field. */
  evidence: readonly { rule: string; field: string; weight: number }[];
}

/** When the model may overrule the rules: promote above `promote`, demote below `demote`. */
export const MODEL_PROMOTE = 0.85;
export const MODEL_DEMOTE = 0.05;

const STEM = 6;
const MIN_WORD = 3;
const EPOCHS = 300;
const RATE = 0.5;
const L2 = 0.01;
/** A word feature is kept when it occurs in at least this many training examples. */
const MIN_DF = 2;

function stem(folded: string): string | null {
  if (folded.length < MIN_WORD || /^\d+$/.test(folded)) return null;
  return folded.length > STEM ? folded.slice(0, STEM) : folded;
}

/** The distinct features of one article. */
export function modelFeatures(input: ModelInput): string[] {
  const f = new Set<string>([`rules:${input.rulesRelevance}`, `lang:${input.lang ?? 'xx'}`]);
  for (const e of input.evidence) f.add(`r:${ruleKind(e.rule)}:${e.field}`);
  for (const t of input.tokens) {
    const s = stem(t.folded);
    if (s) f.add(`w:${s}`);
  }
  return [...f];
}

/** "topic:cartel-violence/pattern:x" → "topic:cartel-violence"; "entity:cartel:cjng" stays whole. */
function ruleKind(rule: string): string {
  const slash = rule.indexOf('/');
  return slash < 0 ? rule : rule.slice(0, slash);
}

/** Probability that the article is on the beat. */
export function modelProbability(model: BeatModel, features: readonly string[]): number {
  let z = model.bias;
  for (const f of features) z += model.weights[f] ?? 0;
  return 1 / (1 + Math.exp(-z));
}

/**
 * Fits the model from examples whose features the caller computes (`featurize`: the classifier without a model,
 * so the model learns what the rules miss; see train.ts). Deterministic.
 */
export function fitBeatModel(
  rules: Rules,
  examples: TrainingExample[],
  featurize: (ex: TrainingExample) => string[],
): BeatModel {
  const sorted = [...examples].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rows = sorted.map((ex) => ({ f: featurize(ex), y: ex.relevance === 'on_beat' ? 1 : 0 }));
  const df = new Map<string, number>();
  for (const r of rows) for (const f of r.f) df.set(f, (df.get(f) ?? 0) + 1);
  const vocab = [...df.entries()].filter(([f, n]) => n >= MIN_DF || !f.startsWith('w:')).map(([f]) => f).sort();
  const index = new Map(vocab.map((f, i) => [f, i]));
  const X = rows.map((r) => r.f.map((f) => index.get(f)).filter((i): i is number => i !== undefined));
  const w = new Float64Array(vocab.length);
  let b = 0;
  const n = Math.max(rows.length, 1);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const grad = new Float64Array(vocab.length);
    let gb = 0;
    for (let i = 0; i < rows.length; i++) {
      let z = b;
      for (const j of X[i]) z += w[j];
      const err = 1 / (1 + Math.exp(-z)) - rows[i].y;
      gb += err;
      for (const j of X[i]) grad[j] += err;
    }
    for (let j = 0; j < w.length; j++) w[j] -= RATE * (grad[j] / n + L2 * w[j]);
    b -= RATE * (gb / n);
  }
  const weights: Record<string, number> = {};
  for (let j = 0; j < vocab.length; j++) {
    const v = Math.round(w[j] * 1e4) / 1e4;
    if (v !== 0) weights[vocab[j]] = v;
  }
  const bias = Math.round(b * 1e4) / 1e4;
  const version = createHash('sha256').update(JSON.stringify({ rules: rules.rulesVersion, bias, weights })).digest('hex').slice(0, 8);
  return { kind: 'frontera-beat-model', version, rulesVersion: rules.rulesVersion, examples: rows.length, weights, bias };
}

/** Validates a model read from storage; throws on anything else. */
export function parseBeatModel(data: unknown): BeatModel {
  const m = data as Partial<BeatModel> | null;
  if (
    !m || m.kind !== 'frontera-beat-model' || typeof m.version !== 'string' || typeof m.rulesVersion !== 'string' ||
    typeof m.bias !== 'number' || typeof m.weights !== 'object' || m.weights === null ||
    Object.values(m.weights).some((v) => typeof v !== 'number' || !Number.isFinite(v))
  ) {
    throw new Error('not a frontera beat model');
  }
  return m as BeatModel;
}
