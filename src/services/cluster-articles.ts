import type { Db } from '../../db/client.js';
import {
  addDocumentFrequencies,
  findBandCandidates,
  findUnplacedArticleIds,
  listPendingClusterArticles,
  findDocumentFrequencies,
  lockClustering,
  refreshStoryAggregates,
  repointDuplicates,
  findPublishedAt,
  saveArticleSignature,
  sqlStoryIndex,
} from '../../db/repositories/clustering.repository.js';
import { articleFeatures, sketchKeys } from '../cluster/features.js';
import { DEFAULT_CLUSTER_OPTIONS, decideStory } from '../cluster/online-clusterer.js';
import { idfFromCounts, MIN_DOCS_FOR_IDF } from '../cluster/similarity.js';
import type { ClusterOptions, Features, IdfFn } from '../cluster/types.js';
import { dedupSignature, estimateJaccard, NEAR_DUPLICATE_THRESHOLD } from '../dedup/fingerprint.js';
import type { EntityMention, Relevance } from '../model/types.js';

/** What clustering needs of an article (from ingest, or loaded back for recluster/reclassify). */
export interface ClusterInput {
  id: number;
  title: string;
  summaryText: string;
  lang: string | null;
  entities: Pick<EntityMention, 'id'>[];
  publishedAt: Date;
  relevance: Relevance | null;
}

/**
 * Off-beat articles are neither clustered nor checked for wire copies: no feed shows them, and the
 * beat's own articles are a small share of everything fetched (keeps ingest cheap).
 */
export function isClusterable(a: Pick<ClusterInput, 'relevance'>): boolean {
  return a.relevance !== 'off_beat';
}

export interface ClusterResult {
  clustered: number;
  duplicates: number;
  storiesTouched: number;
}

/**
 * Places new articles, in publication order, into stories — inside the caller's transaction, which
 * must hold the clustering lock (lockClustering) taken *before* any other write, so that concurrent
 * workers see each other's stories and cannot create two stories for one event, and cannot deadlock
 * (every clustering transaction takes the same lock first).
 *
 * Per article: MinHash/LSH finds wire copies (marked duplicate_of the earliest original, placed in its
 * story); otherwise sketch keys find candidate stories, the pure decideStory joins, starts or merges.
 */
export async function clusterArticles(
  trx: Db,
  articles: ClusterInput[],
  now: Date,
  opts: ClusterOptions = DEFAULT_CLUSTER_OPTIONS,
): Promise<ClusterResult> {
  // Under the lock, skip what another transaction (a sweep, another worker) placed meanwhile.
  const pending = new Set(await findUnplacedArticleIds(trx, articles.filter(isClusterable).map((a) => a.id)));
  const todo = articles.filter((a) => pending.has(a.id)).sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.id - b.id);
  if (todo.length === 0) return { clustered: 0, duplicates: 0, storiesTouched: 0 };

  const base = todo.map((a) => ({
    a,
    f: articleFeatures({ title: a.title, summary: a.summaryText, lang: a.lang, entities: a.entities, publishedAt: a.publishedAt }),
  }));
  const vocabulary = new Set<string>();
  for (const { f } of base) for (const k of [...Object.keys(f.terms), ...Object.keys(f.anchors)]) vocabulary.add(k);
  const stats = await findDocumentFrequencies(trx, [...vocabulary]);

  opts = coldStartOptions(opts, stats.totalDocs);
  const index = sqlStoryIndex(trx, now, opts.maxMembersPerCandidate);
  let duplicates = 0;
  for (const { a, f: f0 } of base) {
    const idf = idfFromCounts(stats.totalDocs, stats.df);
    const f: Features = { ...f0, sketchKeys: sketchKeys(f0.terms, f0.anchors, idf) };
    const sig = dedupSignature(a.title, a.summaryText);
    const minhash = Array.from(sig.minhash);

    // Wire copies: the earliest of the verified near-duplicates is the original. Feeds arrive in any
    // order, so a copy published earlier than the family's original takes its place.
    const copies = (await findBandCandidates(trx, sig.bandKeys, a.id))
      .filter((c) => estimateJaccard(minhash, c.minhash) >= NEAR_DUPLICATE_THRESHOLD)
      .sort((x, y) => x.publishedAt.getTime() - y.publishedAt.getTime() || x.id - y.id);
    // Families are kept one level deep (every copy points at its root): compare with the roots.
    let original: number | null = null;
    if (copies.length) {
      const roots = await findPublishedAt(trx, [...new Set(copies.map((c) => c.duplicateOf ?? c.id))]);
      const first = roots.sort((x, y) => x.publishedAt.getTime() - y.publishedAt.getTime() || x.id - y.id)[0]!;
      if (a.publishedAt.getTime() < first.publishedAt.getTime()) {
        await repointDuplicates(trx, a.id, roots.map((r) => r.id));
      } else {
        original = first.id;
        await repointDuplicates(trx, first.id, roots.slice(1).map((r) => r.id));
      }
      duplicates++;
    }
    await saveArticleSignature(trx, a.id, { minhash, bandKeys: sig.bandKeys, features: f, duplicateOf: original });

    const sibling = copies.find((c) => c.storyId !== null);
    if (sibling) {
      await index.addToStory(await index.resolveStory(String(sibling.storyId)), String(a.id), f);
    } else {
      await placeWithIdf(trx, index, a.id, f, stats, opts);
    }
  }

  // One document per article for future IDF weights (after placement: an article does not weigh itself).
  const counts = new Map<string, number>();
  for (const { f } of base) for (const k of new Set([...Object.keys(f.terms), ...Object.keys(f.anchors)])) counts.set(k, (counts.get(k) ?? 0) + 1);
  await addDocumentFrequencies(trx, counts, base.length);

  await refreshStoryAggregates(trx, [...index.touched], now);
  return { clustered: todo.length, duplicates, storiesTouched: index.touched.size };
}

/**
 * With few documents the IDF table cannot yet tell that the beat's everyday words (Mexico, cartel,
 * border) are common, and two unrelated beat stories look alike through them. Until MIN_DOCS_FOR_IDF
 * documents are counted, the thresholds start stricter (+COLD_START_MARGIN) and relax linearly to
 * the tuned values, which the evaluation measures with a fitted table.
 */
const COLD_START_MARGIN = 0.1;
export function coldStartOptions(opts: ClusterOptions, totalDocs: number): ClusterOptions {
  const extra = COLD_START_MARGIN * (1 - Math.min(1, totalDocs / MIN_DOCS_FOR_IDF));
  if (extra === 0) return opts;
  return { ...opts, joinThreshold: opts.joinThreshold + extra, mergeThreshold: opts.mergeThreshold + extra };
}

/** placeArticle of src/cluster, with document frequencies fetched for the candidates' terms too. */
async function placeWithIdf(
  trx: Db,
  index: ReturnType<typeof sqlStoryIndex>,
  articleId: number,
  f: Features,
  stats: { totalDocs: number; df: Map<string, number> },
  opts: ClusterOptions,
): Promise<void> {
  const windowMs = opts.windowHours * 3_600_000;
  const t = f.publishedAtMs;
  const candidates = await index.findCandidateStories(f.sketchKeys, new Date(t - windowMs), new Date(t + windowMs), opts.maxCandidates);
  const missing = new Set<string>();
  for (const c of candidates) for (const m of c.members) for (const k of [...Object.keys(m.terms), ...Object.keys(m.anchors)]) if (!stats.df.has(k)) missing.add(k);
  if (missing.size) for (const [k, v] of (await findDocumentFrequencies(trx, [...missing])).df) stats.df.set(k, v);
  for (const k of missing) if (!stats.df.has(k)) stats.df.set(k, 0);
  const idf: IdfFn = idfFromCounts(stats.totalDocs, stats.df);
  const decision = decideStory(f, candidates, opts, idf);
  if (decision.action === 'new') await index.createStory(String(articleId), f);
  else if (decision.action === 'join') await index.addToStory(decision.storyId, String(articleId), f);
  else {
    const [into, ...from] = decision.storyIds;
    await index.mergeStories(into!, from);
    await index.addToStory(into!, String(articleId), f);
  }
}

/** Clusters the articles in a transaction of its own that takes the clustering lock first. */
export async function clusterInTransaction(db: Db, articles: ClusterInput[], now: Date): Promise<ClusterResult> {
  // Most feeds bring only off-beat articles: no transaction, no wait for the lock.
  articles = articles.filter(isClusterable);
  if (articles.length === 0) return { clustered: 0, duplicates: 0, storiesTouched: 0 };
  return db.transaction().execute(async (trx) => {
    await lockClustering(trx);
    return clusterArticles(trx, articles, now);
  });
}

/**
 * Places clusterable articles that no transaction placed yet (a worker died between storing a feed and
 * clustering it, or clustering failed): oldest first, a bounded batch per call.
 */
export async function clusterPending(db: Db, now: Date, limit = 500): Promise<ClusterResult> {
  const pending = await listPendingClusterArticles(db, limit);
  if (pending.length === 0) return { clustered: 0, duplicates: 0, storiesTouched: 0 };
  return clusterInTransaction(db, pending, now);
}

export { lockClustering };
