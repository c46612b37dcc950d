// Generalisation figures for the beat: a held-out split of the dev labels for the hand-written rules, and
// leave-one-outlet-out for what is learned from labels.
import { createClassifier, trainBeatModel, type Rules, type TrainingExample } from '../src/beat/index.js';
import { sha1, type LabelledItem } from '../src/beat/labels-corpus.js';
import type { Prediction } from './eval-relevance-lib.js';

/**
 * The hand-written rules' held-out split: about 5/16 of the labels, chosen by a hash of the key (fixed on
 * 2026-12-07, before the rules of that session were written). Rule authors read the errors of the other
 * part only (`--split tune`); the held-out part's figures are what unseen items are expected to get.
 */
export function isHeldOut(key: string): boolean {
  return '01234'.includes(sha1(`frontera-holdout:${key}`)[0]!);
}

/** The outlet an item comes from: the feed stem without its snapshot suffix, or the keyword pool's name. */
export function outletOf(key: string): string {
  const pool = key.match(/^([a-z]+):\d+$/);
  if (pool) return pool[1]!;
  const stem = key.split('#')[0]!;
  return stem.replace(/-[0-9a-f]{8}$/, '');
}

export function toExample(it: LabelledItem): TrainingExample {
  return { key: it.label.key, title: it.title, text: it.text, lang: it.label.lang, relevance: it.label.relevance, group: outletOf(it.label.key) };
}

/**
 * Leave one outlet out: for each outlet, a model is trained on every other outlet's items and classifies this
 * outlet's items. Returns a prediction per item key.
 */
export function leaveOneOutletOut(items: LabelledItem[], rules: Rules): Map<string, Prediction> {
  const examples = items.map(toExample);
  const out = new Map<string, Prediction>();
  for (const outlet of [...new Set(examples.map((e) => e.group))].sort()) {
    const model = trainBeatModel(rules, examples.filter((e) => e.group !== outlet));
    const classify = createClassifier(rules, model);
    for (const it of items) {
      if (outletOf(it.label.key) !== outlet) continue;
      const c = classify({ title: it.title, text: it.text, lang: it.label.lang });
      out.set(it.label.key, { relevance: c.relevance, topics: c.topics });
    }
  }
  return out;
}
