import { createClassifier, loadRules, type BeatModel, type Classifier, type Rules } from '../beat/index.js';
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

/** What the classifier reads of a feed item: its title, and its summary and categories as text. */
export function classifyItem(classify: Classifier, item: NormalizedItem): Classification {
  const text = [item.summaryText, item.categories.join(' ')].filter(Boolean).join('\n');
  return classify({ title: item.title, text, lang: item.lang });
}
