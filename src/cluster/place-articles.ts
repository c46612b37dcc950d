// Placing a batch of new articles into stories, over any ClusterStore (types.ts): the one path that ingest,
// recluster, reclassification and the evaluation run. The store is read in a few set-based steps, the pure
// placer (placer.ts) decides in memory, and the plan is written back; the caller's transaction holds the
// clustering lock, taken before any other write, so concurrent workers see each other's stories.
import { articleFeatures, leadOf, stripOutletSuffix } from './features.js';
import { DEFAULT_CLUSTER_OPTIONS } from './decide.js';
import { candidateStoryIds, placementItems, StoryPlacer, unknownTerms, type PlacementItem, type PlacementPlan } from './placer.js';
import { idfFromCounts, MIN_DOCS_FOR_IDF } from './similarity.js';
import type { ClusterInput, ClusterOptions, ClusterStore, Features, StoryKeyHit, Translator } from './types.js';

export type { ClusterInput };

/**
 * Off-beat articles are neither clustered nor checked for wire copies: no feed shows them, and the
 * beat's own articles are a small share of everything fetched (keeps ingest cheap).
 */
export function isClusterable(a: Pick<ClusterInput, 'relevance'>): boolean {
  return a.relevance !== 'off_beat';
}

export interface PlaceResult {
  clustered: number;
  duplicates: number;
  /** Live stories whose members changed (their aggregates are refreshed). */
  touched: number[];
}

/**
 * Places new articles, in publication order. Articles already placed (by another worker, a sweep) are
 * skipped, so a rerun after a crash creates no duplicates.
 */
export async function placeArticles(
  store: ClusterStore,
  articles: readonly ClusterInput[],
  now: Date,
  opts: ClusterOptions = DEFAULT_CLUSTER_OPTIONS,
): Promise<PlaceResult> {
  const pending = new Set(await store.findUnplacedArticleIds(articles.filter(isClusterable).map((a) => a.id)));
  const todo = articles.filter((a) => pending.has(a.id)).sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.id - b.id);
  if (todo.length === 0) return { clustered: 0, duplicates: 0, touched: [] };

  const english = await englishReadings(todo, opts.translator ?? null);
  const base = todo.map((a, k) => ({
    a,
    f: articleFeatures(
      { title: a.title, summary: a.summaryText, lang: a.lang, entities: a.entities, publishedAt: a.publishedAt, english: english[k], outlet: a.outlet ?? null },
      { lexicon: opts.lexicon },
    ),
  }));
  const stats = await store.documentFrequencies(vocabularyOf(base));
  opts = coldStartOptions(opts, stats.totalDocs);

  const items = placementItems(base.map(({ a, f }) => ({ id: a.id, title: a.title, summaryText: a.summaryText, features: f })), idfFromCounts(stats.totalDocs, stats.df));
  const plan = await decideBatch(store, items, stats, opts);
  const touched = await writePlan(store, plan, now);

  await store.addDocumentFrequencies(documentCounts(base), base.length);
  await store.refreshStoryAggregates(touched, now);
  return { clustered: todo.length, duplicates: plan.duplicates, touched };
}

/** Reads what the batch's decisions need from the store, then runs the placer article by article. */
async function decideBatch(store: ClusterStore, items: PlacementItem[], stats: { totalDocs: number; df: Map<string, number> }, opts: ClusterOptions): Promise<PlacementPlan> {
  const windowMs = opts.windowHours * 3_600_000;
  const bandHits = byIndex(await store.findBandCandidatesBatch(items.map((x) => x.bandKeys), items.map((x) => x.id)));
  const keyHits = byIndex(await store.findStoryKeyHitsBatch(keyQueries(items, windowMs), opts.maxCandidates * 2));
  // Storylines look further back than events: the same lookup over the longer window (non-roundups only).
  const linkMs = (opts.linkWindowHours ?? 0) * 3_600_000;
  const linkHits = linkMs > windowMs ? byIndex(await store.findStoryKeyHitsBatch(linkQueries(items, linkMs), opts.maxCandidates)) : new Map<number, StoryKeyHit[]>();
  const loaded = await store.loadStoriesForBatch(candidateStoryIds(mergeHits(keyHits, linkHits), bandHits), opts.maxMembersPerCandidate);
  const missing = unknownTerms(loaded.values(), stats.df);
  if (missing.length) for (const [k, v] of await store.termFrequencies(missing)) stats.df.set(k, v);

  const placer = new StoryPlacer(items, bandHits, keyHits, loaded.values(), idfFromCounts(stats.totalDocs, stats.df), opts, linkHits);
  for (let i = 0; i < items.length; i++) {
    const near = placer.near(i);
    const unknown = placer.unknownRoots(near);
    if (unknown.length) placer.learnPublished(await store.findPublishedAt(unknown));
    placer.place(i, near);
  }
  placer.refine();
  return placer.plan();
}

/**
 * Writes: new stories, then each article's signature, copy pointer and story in one row update, the
 * repoints (the batch's own rows already hold their final pointers), merges, postings, roundup links.
 * Returns the touched stories' real ids.
 */
async function writePlan(store: ClusterStore, plan: PlacementPlan, now: Date): Promise<number[]> {
  const created = await store.createStoriesBatch(plan.newStories.map((s) => s.seedArticleId), now);
  const seedOf = new Map(plan.newStories.map((s) => [s.tempId, s.seedArticleId]));
  // A temporary story (< 0) is created even when the batch merged it away: merges name it.
  const real = (id: number) => (id > 0 ? id : created.get(seedOf.get(id)!)!);
  await store.saveSignaturesBatch(plan.articles.map((a) => ({ ...a, storyId: a.storyId === null ? null : real(a.storyId) })));
  await store.repointDuplicates(plan.repoints);
  for (const m of plan.merges) await store.mergeStories(real(m.into), m.from.map(real));
  await store.postStoryKeysBatch(plan.postings.map((p) => ({ storyId: real(p.storyId), key: p.key, lastSeenAt: new Date(p.lastSeenAtMs) })));
  await store.attachRoundups(plan.roundupLinks.map((l) => ({ ...l, storyId: real(l.storyId) })));
  await store.addStoryLinks(plan.storyLinks.map((l) => ({ ...l, storyId: real(l.storyId), relatedId: real(l.relatedId) })));
  return [...new Set(plan.touched.map(real))];
}

// Loops over a batch's features live in these small functions rather than in the async ones above: V8
// optimizes a hot loop's whole function, and an async function is large and resumed in many states.

function byIndex<T extends { i: number }>(xs: readonly T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const x of xs) {
    const l = m.get(x.i);
    if (l) l.push(x);
    else m.set(x.i, [x]);
  }
  return m;
}

function keyQueries(items: PlacementItem[], windowMs: number) {
  return items.map(({ f }) => ({ keys: f.sketchKeys, windowStart: new Date(f.publishedAtMs - windowMs), windowEnd: new Date(f.publishedAtMs + windowMs) }));
}

/** The storyline lookup: roundups link nothing, so they ask for nothing. */
function linkQueries(items: PlacementItem[], linkMs: number) {
  return items.map(({ f, roundup }) => ({ keys: roundup ? [] : f.sketchKeys, windowStart: new Date(f.publishedAtMs - linkMs), windowEnd: new Date(f.publishedAtMs + linkMs) }));
}

/** Per article, both lookups' hits (for choosing which stories to load). */
function mergeHits(a: Map<number, StoryKeyHit[]>, b: Map<number, StoryKeyHit[]>): Map<number, StoryKeyHit[]> {
  const out = new Map(a);
  for (const [i, hs] of b) out.set(i, [...(out.get(i) ?? []), ...hs]);
  return out;
}

function vocabularyOf(base: Array<{ f: Features }>): string[] {
  const vocabulary = new Set<string>();
  for (const { f } of base) {
    for (const k of [...Object.keys(f.terms), ...Object.keys(f.anchors)]) vocabulary.add(k);
    if (f.en) for (const k of [...Object.keys(f.en.terms), ...Object.keys(f.en.anchors)]) vocabulary.add(k);
  }
  return [...vocabulary];
}

/**
 * Characters of the lead translated: its first two sentences or so, which carry who, what and where. Translating
 * the whole 600-character lead the features read cost twice the CPU (≈ 6 ms of Apertium per article) for the same
 * SemEval es-en figure within one pair (0.800 vs 0.824, 47 pairs).
 */
export const MAX_TRANSLATED_LEAD = 300;

/**
 * The English reading (a machine translation of title and lead) of each article in a language the translator
 * serves; null for the others, and where translation failed (the article is placed on its own words and anchors).
 */
export async function englishReadings(articles: readonly ClusterInput[], translator: Translator | null): Promise<Array<{ title: string; summary: string } | null>> {
  const out: Array<{ title: string; summary: string } | null> = articles.map(() => null);
  if (!translator) return out;
  for (const lang of translator.languages) {
    if (lang === 'en') continue;
    const idx = articles.flatMap((a, k) => (a.lang === lang ? [k] : []));
    if (idx.length === 0) continue;
    const texts = idx.flatMap((k) => [stripOutletSuffix(articles[k]!.title), leadOf(articles[k]!.summaryText, articles[k]!.outlet).slice(0, MAX_TRANSLATED_LEAD)]);
    const done = await translator.translate(lang, texts);
    idx.forEach((k, j) => {
      const title = done[2 * j];
      const summary = done[2 * j + 1];
      if (title != null && summary != null) out[k] = { title, summary };
    });
  }
  return out;
}

/** Documents per term: each article counts once per term or anchor it has (an English reading's are not counted: English terms' frequencies are English articles'). */
function documentCounts(base: Array<{ f: Features }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { f } of base) for (const k of new Set([...Object.keys(f.terms), ...Object.keys(f.anchors)])) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/**
 * With few documents the IDF table cannot yet tell that the beat's everyday words (Mexico, cartel,
 * border) are common, and two unrelated beat stories look alike through them. Until MIN_DOCS_FOR_IDF
 * documents are counted, the thresholds start stricter (+COLD_START_MARGIN) and relax linearly to
 * the tuned values, which the evaluation measures with a fitted table. Every threshold moves, the
 * per-language-pair ones too: calibration rescales by their ratio to the join threshold, which must not
 * undo the margin.
 */
const COLD_START_MARGIN = 0.1;
export function coldStartOptions(opts: ClusterOptions, totalDocs: number): ClusterOptions {
  const extra = COLD_START_MARGIN * (1 - Math.min(1, totalDocs / MIN_DOCS_FOR_IDF));
  if (extra === 0) return opts;
  const pairThresholds = opts.pairThresholds && Object.fromEntries(Object.entries(opts.pairThresholds).map(([k, t]) => [k, t + extra]));
  return { ...opts, joinThreshold: opts.joinThreshold + extra, mergeThreshold: opts.mergeThreshold + extra, pairThresholds };
}
