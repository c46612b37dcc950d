// Generalisation figures for the beat: a held-out split of the dev labels for the hand-written rules, and
// leave-one-outlet-out for what is learned from labels.
import { createClassifier, trainBeatModel, type Rules } from '../src/beat/index.js';
import { sha1, type LabelledItem } from '../src/beat/labels-corpus.js';
import { labelledExample, outletGroup } from '../src/beat/training-set.js';
import type { Prediction } from './eval-relevance-lib.js';

/**
 * The hand-written rules' held-out split: about 5/16 of the labels, chosen by a hash of the key (fixed on
 * 2026-12-07, before the rules of that session were written). Rule authors read the errors of the other
 * part; the held-out part's figures before its errors were read are in docs/beat-evaluation.md.
 */
export function isHeldOut(key: string): boolean {
  return '01234'.includes(sha1(`frontera-holdout:${key}`)[0]!);
}

/**
 * Leave one outlet out: for each outlet, a model is trained on every other outlet's items and classifies this
 * outlet's items. Returns a prediction per item key.
 */
export function leaveOneOutletOut(items: LabelledItem[], rules: Rules): Map<string, Prediction> {
  const examples = items.map((it) => labelledExample(it).example);
  const out = new Map<string, Prediction>();
  for (const outlet of [...new Set(examples.map((e) => e.group))].sort()) {
    const model = trainBeatModel(rules, examples.filter((e) => e.group !== outlet));
    const classify = createClassifier(rules, model);
    for (const it of items) {
      if (outletGroup(it.label.key) !== outlet) continue;
      const c = classify({ title: it.title, text: it.text, lang: it.label.lang });
      out.set(it.label.key, { relevance: c.relevance, topics: c.topics });
    }
  }
  return out;
}
