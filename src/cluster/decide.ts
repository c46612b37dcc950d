// The placement decision, pure and deterministic: given an article's features and the candidate stories the
// store offers, join one, start a new one, or merge several; for a roundup, which stories it names.
// The placer (placer.ts) applies it for ingest, recluster and the evaluation alike.
import { similarityDetail, type Unshared } from './similarity.js';
import type { ClusterOptions, Features, IdfFn, StoryCandidate, StoryDecision, StorylineVocabulary } from './types.js';

export const DEFAULT_CLUSTER_OPTIONS: Readonly<ClusterOptions> = Object.freeze({
  // 0.2 is where B³-F1 peaks on the Google News headline clusters (English); the per-pair thresholds below
  // come from the SemEval pairs (bench/eval-clusters.ts prints both, with a two-fold held-out check).
  joinThreshold: 0.2,
  mergeThreshold: 0.3,
  pairThresholds: Object.freeze({ 'en-en': 0.2, 'es-es': 0.225, cross: 0.225 }),
  windowHours: 72,
  // A storyline (an operation, its aftermath, the trial weeks later) runs longer than an event: three weeks.
  // Its threshold is 0.6 × the join threshold: days apart, the time discount (similarity.ts) brings even a
  // same-event pair down to between 0.5 and 0.6 of its score, and a follow-up shares less than a report does.
  linkWindowHours: 21 * 24,
  linkThreshold: 0.12,
  maxCandidates: 10,
  maxMembersPerCandidate: 5,
});

/** Most stories a roundup is attached to: a week in review names a handful of events. */
export const MAX_ROUNDUP_STORIES = 8;

export { languagePair } from './similarity.js';

/**
 * Similarity rescaled so that the threshold of the pair's languages maps onto the join threshold: Spanish
 * headlines share more topic words than English ones for different events, and two languages share fewer
 * words for the same event. Every comparison and threshold downstream then speaks one scale.
 */
export function calibratedSimilarity(
  a: Features,
  b: Features,
  idf: IdfFn,
  opts: Pick<ClusterOptions, 'joinThreshold' | 'pairThresholds' | 'lexicon' | 'storylines'>,
  unshared?: Unshared,
): number {
  const d = similarityDetail(a, b, idf, opts.lexicon, unshared, opts.storylines && castOf(opts.storylines));
  const t = d.pair === null ? undefined : opts.pairThresholds?.[d.pair];
  return t === undefined || t <= 0 ? d.score : Math.min(1, (d.score * opts.joinThreshold) / t);
}

/**
 * Score of an article against a story: mean of the best member similarity and the mean member similarity.
 * Pure max (single link) chains loosely related articles into one blob; pure mean penalises big stories
 * whose members cover different angles. Half of each behaves well on the Google News clusters.
 */
export function storyScore(
  article: Features,
  candidate: StoryCandidate,
  idf: IdfFn,
  opts: Pick<ClusterOptions, 'joinThreshold' | 'pairThresholds' | 'lexicon' | 'storylines'> = DEFAULT_CLUSTER_OPTIONS,
  unshared?: Unshared,
): number {
  if (candidate.members.length === 0) return 0;
  let max = 0;
  let sum = 0;
  for (const m of candidate.members) {
    const s = calibratedSimilarity(article, m, idf, opts, unshared);
    sum += s;
    if (s > max) max = s;
  }
  return 0.5 * max + 0.5 * (sum / candidate.members.length);
}

/** IDF memoised for one decision: it scores up to maxCandidates × maxMembersPerCandidate pairs over the same terms. */
function memoIdf(idf: IdfFn): IdfFn {
  const memo = new Map<string, number>();
  return (t) => {
    let v = memo.get(t);
    if (v === undefined) memo.set(t, (v = idf(t)));
    return v;
  };
}

/**
 * Scores of one article against candidate stories, by story id: the placer passes the same map to the
 * decision and to the storyline links of that article, whose candidate lists overlap (a story scored once).
 */
export type StoryScores = Map<string, number>;

function scoreAll(article: Features, candidates: readonly StoryCandidate[], opts: ClusterOptions, idf: IdfFn, scores: StoryScores = new Map()) {
  const cachedIdf = memoIdf(idf);
  return candidates.map((c) => {
    let score = scores.get(c.storyId);
    if (score === undefined) scores.set(c.storyId, (score = storyScore(article, c, cachedIdf, opts)));
    return { c, score };
  });
}

/** Candidates scoring at least the join threshold, best first (ties by story id, so the order is total). */
function scoredCandidates(article: Features, candidates: readonly StoryCandidate[], opts: ClusterOptions, idf: IdfFn, scores?: StoryScores) {
  return scoreAll(article, candidates, opts, idf, scores)
    .filter((x) => x.score >= opts.joinThreshold)
    .sort((a, b) => b.score - a.score || (a.c.storyId < b.c.storyId ? -1 : 1));
}

/**
 * Join the best story scoring ≥ joinThreshold; if two or more stories each score ≥ mergeThreshold the article
 * bridges them: merge them, the largest (then earliest, then smallest id) surviving as storyIds[0]; otherwise
 * start a new story.
 */
export function decideStory(
  article: Features,
  candidates: readonly StoryCandidate[],
  opts: ClusterOptions,
  idf: IdfFn,
  scores?: StoryScores,
): StoryDecision {
  const scored = scoredCandidates(article, candidates, opts, idf, scores);
  if (scored.length === 0) return { action: 'new' };
  const bridging = scored.filter((x) => x.score >= opts.mergeThreshold);
  if (bridging.length >= 2) {
    const ids = bridging
      .map((x) => x.c)
      .sort(
        (a, b) =>
          b.size - a.size ||
          a.firstPublishedAtMs - b.firstPublishedAtMs ||
          (a.storyId < b.storyId ? -1 : 1),
      )
      .map((c) => c.storyId);
    return { action: 'merge', storyIds: ids, score: bridging[0].score };
  }
  return { action: 'join', storyId: scored[0].c.storyId, score: scored[0].score };
}

/**
 * The stories a roundup names: every candidate it would have joined (score ≥ joinThreshold), best first, at
 * most MAX_ROUNDUP_STORIES. A roundup never merges stories and never starts one.
 */
export function storiesNamedByRoundup(
  article: Features,
  candidates: readonly StoryCandidate[],
  opts: ClusterOptions,
  idf: IdfFn,
): Array<{ storyId: string; score: number }> {
  return scoredCandidates(article, candidates, opts, idf)
    .slice(0, MAX_ROUNDUP_STORIES)
    .map((x) => ({ storyId: x.c.storyId, score: x.score }));
}

type ScoreOpts = Pick<ClusterOptions, 'joinThreshold' | 'pairThresholds' | 'lexicon' | 'storylines'>;

/** Half the best pair, half the mean pair: storyScore from a group of articles instead of one, over a matrix of pair scores. */
function linkScore(sim: readonly (readonly number[])[], a: readonly number[], b: readonly number[]): number {
  let max = 0;
  let sum = 0;
  for (const i of a)
    for (const j of b) {
      const s = sim[i]![j]!;
      sum += s;
      if (s > max) max = s;
    }
  return 0.5 * max + 0.5 * (sum / (a.length * b.length));
}

function pairMatrix(fs: readonly Features[], idf: IdfFn, opts: ScoreOpts): number[][] {
  const sim = fs.map(() => new Array<number>(fs.length).fill(1));
  for (let i = 0; i < fs.length; i++)
    for (let j = i + 1; j < fs.length; j++) sim[i]![j] = sim[j]![i] = calibratedSimilarity(fs[i]!, fs[j]!, idf, opts);
  return sim;
}

/**
 * Score of one group of articles against another, as storyScore scores an article against a story: two stories
 * scoring at least the join threshold would each have joined the other had they arrived in the other order.
 */
export function groupScore(a: readonly Features[], b: readonly Features[], idf: IdfFn, opts: ScoreOpts = DEFAULT_CLUSTER_OPTIONS): number {
  if (a.length === 0 || b.length === 0) return 0;
  const cached = memoIdf(idf);
  const sim = a.map((x) => b.map((y) => calibratedSimilarity(x, y, cached, opts)));
  return linkScore(sim, a.map((_, i) => i), b.map((_, j) => j));
}

/** A part split off a story holds at least this many articles: one article on its own is an outlier (below), not a second event. */
export const MIN_SPLIT_PART = 2;

/**
 * Largest group splitByEvent looks at: it scores every pair (n²) and agglomerates in n³ steps. A batch's new
 * story is rarely larger (recluster places 500 articles a batch; a story that big was one event's whole coverage).
 */
export const MAX_SPLIT_MEMBERS = 120;

/**
 * The events in a group of articles that one story holds. Online placement decides article by article in
 * arrival order: two reports that share a generic word ("Google" and "camera", "price hike" and "rate hike")
 * join early, and later reports of either event then join the mixture. Looked at whole, such a story falls
 * into two halves (average-link agglomeration down to two) that score below the join threshold against each
 * other (groupScore): neither would have joined the other had it arrived first. Each half is split again the
 * same way. Then, in each part, a member that would not join the rest of it (an outlier that joined when the
 * story was one or two articles) leaves it, on its own.
 * Returns the members' indices, one array per part (one part when the story holds one event).
 */
export function splitByEvent(members: readonly Features[], idf: IdfFn, opts: ScoreOpts = DEFAULT_CLUSTER_OPTIONS): number[][] {
  const all = members.map((_, i) => i);
  if (members.length < 3 || members.length > MAX_SPLIT_MEMBERS) return [all];
  const sim = pairMatrix(members, memoIdf(idf), opts);
  const parts: number[][] = [];
  const visit = (group: number[]) => {
    const halves = group.length >= 2 * MIN_SPLIT_PART ? averageLinkHalves(sim, group) : null;
    if (!halves || Math.min(halves[0].length, halves[1].length) < MIN_SPLIT_PART || linkScore(sim, halves[0], halves[1]) >= opts.joinThreshold) {
      parts.push(group);
      return;
    }
    visit(halves[0]);
    visit(halves[1]);
  };
  visit(all);
  const outliers: number[][] = [];
  for (const part of parts)
    for (const i of [...part]) {
      if (part.length < 3) break;
      const rest = part.filter((j) => j !== i);
      if (linkScore(sim, [i], rest) >= opts.joinThreshold) continue;
      part.splice(part.indexOf(i), 1);
      outliers.push([i]);
    }
  return [...parts, ...outliers].map((p) => [...p].sort((x, y) => x - y)).sort((x, y) => x[0]! - y[0]!);
}

/** Average-link agglomeration of `group` down to two clusters (ties: the lowest indices merge first). */
function averageLinkHalves(sim: readonly (readonly number[])[], group: readonly number[]): [number[], number[]] {
  const clusters = group.map((i) => [i]);
  // Mean similarity between clusters, kept up to date as they merge (Lance–Williams for average link).
  const link = clusters.map((a) => clusters.map((b) => sim[a[0]!]![b[0]!]!));
  while (clusters.length > 2) {
    let bi = 0;
    let bj = 1;
    let best = -Infinity;
    for (let i = 0; i < clusters.length; i++)
      for (let j = i + 1; j < clusters.length; j++)
        if (link[i]![j]! > best) {
          best = link[i]![j]!;
          bi = i;
          bj = j;
        }
    const ni = clusters[bi]!.length;
    const nj = clusters[bj]!.length;
    for (let k = 0; k < clusters.length; k++) {
      if (k === bi || k === bj) continue;
      const v = (ni * link[bi]![k]! + nj * link[bj]![k]!) / (ni + nj);
      link[bi]![k] = link[k]![bi] = v;
    }
    clusters[bi] = [...clusters[bi]!, ...clusters[bj]!];
    clusters.splice(bj, 1);
    link.splice(bj, 1);
    for (const row of link) row.splice(bj, 1);
  }
  return [clusters[0]!, clusters[1]!];
}

/** A name carried by about a fifth of all documents or more (IDF below this) explains no link. */
const MIN_LINK_NAME_IDF = 1.5;

/**
 * A storyline subject (ClusterOptions.storylines) counts when carried by at most about one stored article in
 * twenty (IDF ≥ this): a cartel leader killed, a mayor murdered, a town under siege; not whoever is in every
 * day's news.
 */
const STORYLINE_ENTITY_IDF = 3;

/** A link this many times the link threshold stands on its words alone. */
const STRONG_LINK = 1.25;

/**
 * With a storyline subject in common, this fraction of the link threshold: the follow-ups of a storyline (an
 * opinion piece, the town's business news, a letter found in the hideout) share the subject and little else.
 */
const SUBJECT_LINK = 0.5;

/** Most storyline links one article adds. */
export const MAX_LINKS_PER_ARTICLE = 3;

/**
 * Stories related to the article's own story (`own`): candidates from the storyline window scoring at least
 * linkThreshold (half of it with a storyline subject in common), best first, at most MAX_LINKS_PER_ARTICLE.
 * What the article shares with each (entities, then names) explains the link.
 */
export function storylineLinks(
  article: Features,
  candidates: readonly StoryCandidate[],
  own: string,
  opts: ClusterOptions,
  idf: IdfFn,
  scores?: StoryScores,
): Array<{ storyId: string; score: number; shared: string[] }> {
  const threshold = opts.linkThreshold ?? 0;
  if (threshold <= 0) return [];
  const cachedIdf = memoIdf(idf);
  const vocabulary = opts.storylines;
  // `score`: the pair's similarity. `specific`: what is left of it with the beat's daily cast ("Estados
  // Unidos", "Sheinbaum": counted in each text's length, never as shared): two stories do not belong to one
  // storyline for naming them. Without the beat's vocabulary, the two are one.
  const unshared = vocabulary ? castOf(vocabulary) : undefined;
  return scoreAll(article, candidates.filter((c) => c.storyId !== own), opts, cachedIdf, scores)
    .map((x) => ({ ...x, specific: unshared ? storyScore(article, x.c, cachedIdf, opts, unshared) : x.score }))
    .filter((x) => x.specific >= (vocabulary ? SUBJECT_LINK : 1) * threshold)
    .sort((a, b) => b.specific - a.specific || (a.c.storyId < b.c.storyId ? -1 : 1))
    .map((x) => ({ ...x, shared: sharedNames(article, x.c, cachedIdf, vocabulary) }))
    // A storyline is about someone or somewhere. Well above the threshold the words suffice; near it a link
    // needs a storyline subject or two specific names (one shared capitalised word, "Mexico", is the beat, not a
    // storyline; nor is the daily cast); below it, only a subject that is rare in the store.
    .filter(
      (x) =>
        (x.specific >= threshold &&
          (x.score >= STRONG_LINK * threshold || x.shared.some((k) => k.subject) || x.shared.filter((k) => k.specific).length >= 2)) ||
        x.shared.some((k) => k.subject && k.idf >= STORYLINE_ENTITY_IDF),
    )
    .slice(0, MAX_LINKS_PER_ARTICLE)
    .map((x) => ({ storyId: x.c.storyId, score: x.specific, shared: x.shared.map((k) => k.key.slice(2)) }));
}

const castPredicates = new WeakMap<StorylineVocabulary, Unshared>();
/** The cast's stems, names and entities, as keys of terms and anchors (terms hold no ':'). */
function castOf(v: StorylineVocabulary): Unshared {
  let f = castPredicates.get(v);
  if (!f) {
    f = (k) => (k[1] !== ':' ? v.castStems.has(k) : k[0] === 'n' ? v.castWords.has(k.slice(2)) : k[0] === 'e' && v.cast.has(k.slice(2)));
    castPredicates.set(v, f);
  }
  return f;
}

interface SharedName {
  key: string;
  idf: number;
  /** A storyline subject: an entity of StorylineVocabulary.subjects, or a subject person's own surname. */
  subject: boolean;
  /** Says who or where this is about: a subject, or a name outside the beat's daily cast. */
  specific: boolean;
}

/**
 * The article's entities and names also found in the story's members, most specific first (at most 5). A
 * shared bare name counts as a subject person when it is that person's own surname and one side resolved the
 * person: "Manzo" in one report, "Carlos Manzo" in the other.
 */
function sharedNames(article: Features, c: StoryCandidate, idf: IdfFn, vocabulary: StorylineVocabulary | undefined): SharedName[] {
  const inStory = new Set<string>();
  for (const m of c.members) for (const k in m.anchors) inStory.add(k);
  const describe = (key: string): Pick<SharedName, 'subject' | 'specific'> => {
    // Without a vocabulary (the defaults), an entity in common explains a link near the threshold, as a pair of names does.
    if (!vocabulary) return { subject: key.startsWith('e:'), specific: true };
    const id = key.slice(2);
    if (key.startsWith('e:')) return { subject: vocabulary.subjects.has(id), specific: vocabulary.subjects.has(id) };
    const person = vocabulary.surnames.get(id);
    const subject = person !== undefined && (inStory.has(`e:${person}`) || `e:${person}` in article.anchors);
    return { subject, specific: subject || !vocabulary.castWords.has(id) };
  };
  return Object.keys(article.anchors)
    .filter((k) => (k.startsWith('e:') || k.startsWith('n:')) && inStory.has(k))
    .map((key) => ({ key, idf: idf(key), ...describe(key) }))
    .filter((k) => k.idf >= MIN_LINK_NAME_IDF)
    .sort((a, b) => Number(b.key.startsWith('e:')) - Number(a.key.startsWith('e:')) || b.idf - a.idf || (a.key < b.key ? -1 : 1))
    .slice(0, 5);
}
