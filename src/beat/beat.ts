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

/** The placement options of loaded rules: the defaults with the rules' clustering lexicon and storyline subjects. */
export function clusterOptionsFor(rules: Pick<Rules, 'lexicon' | 'gazetteer'>): ClusterOptions {
  const subjects = storylineSubjects(rules.gazetteer);
  return { ...DEFAULT_CLUSTER_OPTIONS, lexicon: new Lexicon(rules.lexicon), storylineSubjects: subjects, subjectSurnames: subjectSurnames(rules.gazetteer, subjects) };
}

/**
 * Surnames of subject people that no other person of the gazetteer bears, → that person. Person ids are the
 * name in kebab case, folded (docs/people-groups.md): the words after the given name, of 4 letters or more.
 * "López" or "García" belong to several people of the beat, so they name nobody.
 */
export function subjectSurnames(gazetteer: Rules['gazetteer'], subjects: ReadonlySet<string>): Map<string, string> {
  const bearers = new Map<string, Set<string>>();
  for (const g of gazetteer) {
    if (g.kind !== 'person') continue;
    for (const w of g.id.slice('person:'.length).split('-').slice(1)) if (w.length >= 4) bearers.set(w, (bearers.get(w) ?? new Set()).add(g.id));
  }
  const out = new Map<string, string>();
  for (const [w, ids] of bearers) {
    const [id] = ids;
    if (ids.size === 1 && subjects.has(id!)) out.set(w, id!);
  }
  return out;
}

/**
 * The gazetteer entities a storyline can be about on its own: people who are not government actors (no
 * `side`: cartel figures, victims, defendants, local officials) and places inside another place of the
 * gazetteer (a municipality or town, whose id extends its state's), unambiguous ones only. Heads of
 * government, agencies, cartels, countries and states are in the news every day: sharing one is the beat, not
 * a storyline.
 */
export function storylineSubjects(gazetteer: Rules['gazetteer']): Set<string> {
  const places = new Set(gazetteer.filter((g) => g.kind === 'place').map((g) => g.id));
  const inside = (id: string) => {
    for (let i = id.lastIndexOf('-'); i > 0; i = id.lastIndexOf('-', i - 1)) if (places.has(id.slice(0, i))) return true;
    return false;
  };
  return new Set(
    gazetteer
      .filter((g) => !g.ambiguous && ((g.kind === 'person' && !g.side) || (g.kind === 'place' && inside(g.id))))
      .map((g) => g.id),
  );
}
