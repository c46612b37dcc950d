// The beat as configured: its rules, classifier and topics (carrying the rules' beat section). Pure.
import { DEFAULT_CLUSTER_OPTIONS } from '../cluster/decide.js';
import { Lexicon } from '../cluster/lexicon.js';
import type { ClusterOptions } from '../cluster/types.js';
import { createClassifier, loadRules, type BeatModel, type BeatSection, type Classifier, type Rules } from './index.js';


export interface TopicInfo {
  slug: string;
  name: string;
  description: string;
}

/** What readers see of the beat (the rules' `beat` section, every string filled in). */
export type BeatInfo = BeatSection;

/**
 * The rules' topics in file order, carrying the beat they belong to. The topics already travel from the rules
 * to every page, feed, OpenAPI document and newsletter (deps.topics); the beat's name, its `all` pseudo-topic
 * and its UI strings travel with them, so whatever can name a topic can name the beat, from the same rules.
 */
export type BeatTopics = readonly TopicInfo[] & { readonly beat: BeatInfo };

export interface Beat {
  rules: Rules;
  classify: Classifier;
  rulesVersion: string;
  topics: BeatTopics;
  /** How this beat's articles are placed in stories: the shipped placement with the rules' own lexicon. */
  clusterOptions: ClusterOptions;
}

/** The topics of loaded rules, with their beat. */
export function beatTopics(rules: Pick<Rules, 'topics' | 'beat'>): BeatTopics {
  const topics = rules.topics.map((t) => ({ slug: t.slug, name: t.name, description: t.description }));
  return Object.freeze(Object.assign(topics, { beat: rules.beat }));
}

/** The beat as configured: the rules file (BEAT_RULES_FILE, else the shipped rules) and its classifier. */
export function createBeat(rulesFile?: string, model?: BeatModel | null): Beat {
  const rules = loadRules(rulesFile);
  const classify = createClassifier(rules, model);
  return {
    rules,
    classify,
    rulesVersion: model ? `${rules.rulesVersion}+m${model.version}` : rules.rulesVersion,
    topics: beatTopics(rules),
    clusterOptions: clusterOptionsFor(rules),
  };
}

/** The placement options of loaded rules: the defaults with the rules' clustering lexicon. */
export function clusterOptionsFor(rules: Pick<Rules, 'lexicon'>): ClusterOptions {
  return { ...DEFAULT_CLUSTER_OPTIONS, lexicon: new Lexicon(rules.lexicon) };
}
