import { createClassifier, loadRules, type BeatModel, type Classifier, type Rules } from '../beat/index.js';

// Ingest's classification of an item lives with the beat (pure, for the reader threads too); re-exported for
// the services that import it from here.
export { classifierInput, classifyItem, type ClassifiedText } from '../beat/classify-item.js';

export interface TopicInfo {
  slug: string;
  name: string;
  description: string;
}

export interface Beat {
  rules: Rules;
  classify: Classifier;
  rulesVersion: string;
  topics: TopicInfo[];
}

/** The beat as configured: the rules file (BEAT_RULES_FILE, else the shipped US–Mexico rules) and its classifier. */
export function createBeat(rulesFile?: string, model?: BeatModel | null): Beat {
  const rules = loadRules(rulesFile);
  const classify = createClassifier(rules, model);
  return {
    rules,
    classify,
    rulesVersion: model ? `${rules.rulesVersion}+m${model.version}` : rules.rulesVersion,
    topics: rules.topics.map((t) => ({ slug: t.slug, name: t.name, description: t.description })),
  };
}
