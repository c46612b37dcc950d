import { createClassifier, loadRules, type Classifier, type Rules } from '../beat/index.js';

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
export function createBeat(rulesFile?: string): Beat {
  const rules = loadRules(rulesFile);
  return {
    rules,
    classify: createClassifier(rules),
    rulesVersion: rules.rulesVersion,
    topics: rules.topics.map((t) => ({ slug: t.slug, name: t.name, description: t.description })),
  };
}
