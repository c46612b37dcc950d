import { existsSync } from 'node:fs';
import type { Db } from '../../db/client.js';
import { findActiveBeatModelVersion, insertBeatModel, markBeatModelTrained } from '../../db/repositories/beat-models.repository.js';
import { listCorrectedArticles } from '../../db/repositories/corrections.repository.js';
import { classifierInput } from '../beat/classify-item.js';
import { trainBeatModel, type BeatModel } from '../beat/index.js';
import { Corpus, defaultLabelsFile, joinLabels, readLabels } from '../beat/labels-corpus.js';
import { labelledExample, mergeExamples, type KeyedExample } from '../beat/training-set.js';
import { createBeat } from '../beat/beat.js';
import { correctionKey, titleSha1 } from './corrections.js';
import { reclassifyWithStories } from './recluster.js';

// Refits the learnable part of the beat from the labels the project ships plus the editors' corrections, stores
// the model (the active one from then on) and reclassifies every article with it. Reproducible: the same
// labels and corrections give the same model version, and then nothing is written and nothing reclassified.

export interface RetrainOptions {
  rulesFile: string | undefined;
  /** The shared directory holding labels/ and corpus/ (src/shared-dir.ts), or null when absent. */
  sharedDir: string | null;
  now: () => Date;
  signal?: AbortSignal | undefined;
  progress?: ((done: number, total: number) => void) | undefined;
}

export interface ShippedExamples {
  file: string | null;
  examples: KeyedExample[];
  /** Labels whose item could not be found in the corpus (key and why). */
  joinFailures: number;
}

/** The shipped dev labels joined with their items, or none when the shared directory is absent. */
export function loadShippedExamples(sharedDir: string | null): ShippedExamples {
  const file = sharedDir ? defaultLabelsFile(sharedDir) : null;
  if (!sharedDir || !file || !existsSync(file)) return { file: null, examples: [], joinFailures: 0 };
  const { items, failures } = joinLabels(readLabels(file), new Corpus(sharedDir));
  return { file, examples: items.map(labelledExample), joinFailures: failures.length };
}

/** Every correction as a training example (title, and summary and categories as the classifier reads them). */
export async function correctionExamples(db: Db): Promise<KeyedExample[]> {
  return (await listCorrectedArticles(db)).map((a) => {
    const input = classifierInput(a);
    return {
      example: { key: correctionKey(a), title: input.title, text: input.text, lang: a.lang, relevance: a.relevance, group: 'correction' },
      titleSha1: titleSha1(a.title),
    };
  });
}

/** Stores the model unless it is the active one already; an older row of the same version becomes active again. */
async function activate(db: Db, model: BeatModel, now: Date): Promise<'unchanged' | 'stored' | 'reactivated'> {
  if ((await findActiveBeatModelVersion(db, model.rulesVersion)) === model.version) return 'unchanged';
  const row = { version: model.version, model, rulesVersion: model.rulesVersion, examples: model.examples };
  if (await insertBeatModel(db, row, now)) return 'stored';
  await markBeatModelTrained(db, model.version, now);
  return 'reactivated';
}

export interface RetrainSummary {
  /** The shipped labels file trained on, or null when absent (then `note` says so). */
  labels_file: string | null;
  shipped_examples: number;
  join_failures: number;
  corrections: number;
  /** Shipped labels replaced by a correction of the same item. */
  replaced_by_corrections: number;
  examples: number;
  note?: string;
  model_version: string | null;
  /** `stored` (a new model), `reactivated` (an older model trained anew), `unchanged` (the active one), `none`. */
  model: 'stored' | 'reactivated' | 'unchanged' | 'none';
  /** The classifications' version stamp from now on. */
  rules_version: string | null;
  reclassified: number;
  relevance?: Record<'on_beat' | 'adjacent' | 'off_beat', number>;
}

export async function retrainBeat(db: Db, opts: RetrainOptions): Promise<RetrainSummary> {
  const shipped = loadShippedExamples(opts.sharedDir);
  const corrections = await correctionExamples(db);
  const { examples, replaced } = mergeExamples(shipped.examples, corrections);
  const counts = {
    labels_file: shipped.file,
    shipped_examples: shipped.examples.length,
    join_failures: shipped.joinFailures,
    corrections: corrections.length,
    replaced_by_corrections: replaced.length,
    examples: examples.length,
    ...(shipped.file ? {} : { note: 'shipped labels not found (CORPUS_DIR or ../shared): trained on the corrections alone' }),
  };
  if (examples.length === 0) {
    return { ...counts, note: 'no shipped labels and no corrections: nothing to learn from, no model', model_version: null, model: 'none', rules_version: null, reclassified: 0 };
  }
  const rules = createBeat(opts.rulesFile).rules;
  const model = trainBeatModel(rules, examples);
  const stored = await activate(db, model, opts.now());
  const beat = createBeat(opts.rulesFile, model);
  // Every article not classified with this very model yet: all of them after a new model, none after a rerun.
  const r = await reclassifyWithStories(db, beat.classify, beat.rulesVersion, opts.now, {
    signal: opts.signal,
    ...(opts.progress ? { progress: opts.progress } : {}),
    cluster: beat.clusterOptions,
  });
  return { ...counts, model_version: model.version, model: stored, rules_version: beat.rulesVersion, reclassified: r.reclassified, relevance: r.relevance };
}
