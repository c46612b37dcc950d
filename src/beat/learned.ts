// The learnable part of the beat: a small model fitted from labelled articles (the shipped dev labels and an
// editor's corrections). It never replaces the rules: it adjusts their decision, and its evidence says so.
// Training is deterministic: the same examples give the same model and the same version.
import type { Relevance } from '../model/types.js';
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
  /** Learned weights (format private to this module). */
  weights: Record<string, number>;
  bias: number;
}

/** Fits a model from examples. Deterministic. (Implementation in progress: returns an empty model.) */
export function trainBeatModel(rules: Rules, examples: TrainingExample[]): BeatModel {
  return { kind: 'frontera-beat-model', version: 'empty', rulesVersion: rules.rulesVersion, examples: examples.length, weights: {}, bias: 0 };
}

/** Validates a model read from storage; throws on anything else. */
export function parseBeatModel(data: unknown): BeatModel {
  const m = data as BeatModel;
  if (!m || m.kind !== 'frontera-beat-model' || typeof m.version !== 'string' || typeof m.weights !== 'object') {
    throw new Error('not a frontera beat model');
  }
  return m;
}
