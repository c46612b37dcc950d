// The beat as configured: its rules, classifier and topics (carrying the rules' beat section). Pure.
import { DEFAULT_CLUSTER_OPTIONS } from '../cluster/decide.js';
import { Lexicon } from '../cluster/lexicon.js';
import { stemLite } from '../cluster/stem.js';
import type { ClusterOptions, StorylineVocabulary } from '../cluster/types.js';
import { foldText } from '../dedup/fingerprint.js';
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

/** The placement options of loaded rules: the defaults with the rules' clustering lexicon and storyline vocabulary. */
export function clusterOptionsFor(rules: Pick<Rules, 'lexicon' | 'gazetteer'>): ClusterOptions {
  return { ...DEFAULT_CLUSTER_OPTIONS, lexicon: new Lexicon(rules.lexicon), storylines: storylineVocabulary(rules.gazetteer) };
}

/**
 * The storyline vocabulary of a gazetteer. Subjects: people who are not government actors (no `side`: cartel
 * figures, victims, defendants, local officials) and places inside another place of the gazetteer (a
 * municipality or town, whose id extends its state's), unambiguous ones only. Heads of government, agencies,
 * cartels, countries and states are in the news every day: sharing one is the beat, not a storyline; the words
 * of their names are the cast. A subject's surname names them when no other person of the gazetteer bears it
 * ("López" and "García" belong to several people of the beat, so they name nobody). Person ids are the name in
 * kebab case, folded (docs/people-groups.md): surnames are the words after the given name, of 4 letters or more.
 */
export function storylineVocabulary(gazetteer: Rules['gazetteer']): StorylineVocabulary {
  let v = vocabularies.get(gazetteer);
  if (!v) vocabularies.set(gazetteer, (v = buildStorylineVocabulary(gazetteer)));
  return v;
}

/** Per gazetteer (rules are read-only and shared by a process's beats): built once. */
const vocabularies = new WeakMap<Rules['gazetteer'], StorylineVocabulary>();

function buildStorylineVocabulary(gazetteer: Rules['gazetteer']): StorylineVocabulary {
  const byId = new Map(gazetteer.map((g) => [g.id, g]));
  // The places of the gazetteer whose ids this place's id extends: "place:mx-jal" for "place:mx-jal-tequila".
  const containers = (id: string) => {
    const out: Array<Rules['gazetteer'][number]> = [];
    for (let i = id.lastIndexOf('-'); i > 0; i = id.lastIndexOf('-', i - 1)) {
      const g = byId.get(id.slice(0, i));
      if (g?.kind === 'place') out.push(g);
    }
    return out;
  };
  const subjects = new Set(
    gazetteer
      .filter((g) => !g.ambiguous && ((g.kind === 'person' && !g.side) || (g.kind === 'place' && containers(g.id).length > 0)))
      .map((g) => g.id),
  );

  const bearers = new Map<string, Set<string>>();
  for (const g of gazetteer) {
    if (g.kind !== 'person') continue;
    for (const w of g.id.slice('person:'.length).split('-').slice(1)) if (w.length >= 4) bearers.set(w, (bearers.get(w) ?? new Set()).add(g.id));
  }
  const surnames = new Map<string, string>();
  for (const [w, ids] of bearers) {
    const [id] = ids;
    if (ids.size === 1 && subjects.has(id!)) surnames.set(w, id!);
  }

  // Folded once per entry: a state's words are read again for each of its towns.
  const words = new Map<Rules['gazetteer'][number], string[]>();
  const wordsOf = (g: Rules['gazetteer'][number]) => {
    let w = words.get(g);
    if (!w) {
      w = [g.name, ...g.aliases.map((a) => (typeof a === 'string' ? a : a.match))].flatMap((n) => foldText(n).split(' ')).filter((x) => x.length >= 2);
      words.set(g, w);
    }
    return w;
  };
  // A town's names carry its state's ("Tequila, Jalisco", "Acatlán Jalisco"): those words stay the state's.
  const subjectWords = new Set<string>();
  for (const g of gazetteer) {
    if (!subjects.has(g.id)) continue;
    const inherited = new Set(g.kind === 'place' ? containers(g.id).flatMap(wordsOf) : []);
    for (const w of wordsOf(g)) if (!inherited.has(w)) subjectWords.add(w);
  }
  const cast = new Set(gazetteer.filter((g) => !subjects.has(g.id) && !g.ambiguous).map((g) => g.id));
  const castWords = new Set(gazetteer.filter((g) => cast.has(g.id)).flatMap(wordsOf).filter((w) => !subjectWords.has(w)));
  const subjectStems = new Set([...subjectWords].map(stemLite));
  const castStems = new Set([...castWords].map(stemLite).filter((t) => !subjectStems.has(t)));
  return { subjects, surnames, cast, castWords, castStems };
}
