// Training entry point of the learned part: features come from the rules classifier itself, so the model
// learns what the rules get wrong, and classification later computes exactly the same features.
import { createFeaturizer } from './classify.js';
import { fitBeatModel, type BeatModel, type TrainingExample } from './learned.js';
import type { Rules } from './rules.js';

/** Fits the beat model from labelled examples (deterministic: same examples, same model and version). */
export function trainBeatModel(rules: Rules, examples: TrainingExample[]): BeatModel {
  const featurize = createFeaturizer(rules);
  return fitBeatModel(rules, examples, (ex) => featurize({ title: ex.title, text: ex.text, lang: ex.lang }));
}
