import { createClassifier, loadRules, type BeatModel, type Classifier, type ClassifyInput, type Rules } from '../beat/index.js';
import type { Classification, NormalizedItem } from '../model/types.js';

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

/** What the classifier reads of an item or a stored article: its title, and its summary and categories as text. */
export function classifierInput(a: { title: string; summaryText: string; categories: readonly string[]; lang: string | null }): ClassifyInput {
  return { title: a.title, text: [a.summaryText, a.categories.join(' ')].filter(Boolean).join('\n'), lang: a.lang };
}

export function classifyItem(classify: Classifier, item: NormalizedItem): Classification {
  return classify(classifierInput(item));
}
