import type { Db } from '../../db/client.js';
import {
  addDocumentFrequencies,
  findDocumentFrequencies,
  findUnplacedArticleIds,
  lockClustering,
  refreshStoryAggregates,
  type DfCache,
} from '../../db/repositories/clustering.repository.js';
import { refreshStoryLinks } from '../../db/repositories/story-links.repository.js';
import { articleFeatures } from '../cluster/features.js';
import { DEFAULT_CLUSTER_OPTIONS } from '../cluster/online-clusterer.js';
import { MIN_DOCS_FOR_IDF } from '../cluster/similarity.js';
import type { ClusterOptions, Features } from '../cluster/types.js';
import { clusterBatch } from './cluster-batch.js';
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
 * The batch reads and writes the store set-based (cluster-batch.ts): a few statements per batch.
 */
export async function clusterArticles(
  trx: Db,
  articles: ClusterInput[],
  now: Date,
  opts: ClusterOptions = DEFAULT_CLUSTER_OPTIONS,
  /** A long-lived caller's document frequencies across batches (see DfCache); else each batch reads its own. */
  dfCache?: DfCache,
): Promise<ClusterResult> {
  // Under the lock, skip what another transaction (a sweep, another worker) placed meanwhile.
  const pending = new Set(await findUnplacedArticleIds(trx, articles.filter(isClusterable).map((a) => a.id)));
  const todo = articles.filter((a) => pending.has(a.id)).sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.id - b.id);
  if (todo.length === 0) return { clustered: 0, duplicates: 0, storiesTouched: 0 };

  const base = todo.map((a) => ({
    a,
    f: articleFeatures({ title: a.title, summary: a.summaryText, lang: a.lang, entities: a.entities, publishedAt: a.publishedAt }),
  }));
  const stats = await findDocumentFrequencies(trx, vocabularyOf(base), dfCache);

  opts = coldStartOptions(opts, stats.totalDocs);
  const { duplicates, touched } = await clusterBatch(
    trx,
    base.map(({ a, f }) => ({ id: a.id, title: a.title, summaryText: a.summaryText, publishedAt: a.publishedAt, features: f })),
    stats,
    opts,
    now,
    dfCache,
  );

  // One document per article for future IDF weights (after placement: an article does not weigh itself).
  await addDocumentFrequencies(trx, documentCounts(base), base.length, dfCache);

  await refreshStoryAggregates(trx, touched, now);
  await refreshStoryLinks(trx, touched);
  return { clustered: todo.length, duplicates, storiesTouched: touched.length };
}

// Loops over a batch's features live in these small functions rather than in the async one above: V8
// optimizes a hot loop's whole function, and an async function is large and resumed in many states.

function vocabularyOf(base: Array<{ f: Features }>): string[] {
  const vocabulary = new Set<string>();
  for (const { f } of base) for (const k of [...Object.keys(f.terms), ...Object.keys(f.anchors)]) vocabulary.add(k);
  return [...vocabulary];
}

/** Documents per term: each article counts once per term or anchor it has. */
function documentCounts(base: Array<{ f: Features }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { f } of base) for (const k of new Set([...Object.keys(f.terms), ...Object.keys(f.anchors)])) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
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

export { lockClustering };
