import type { Db } from '../../db/client.js';
import {
  findStoryIdsOfArticles,
  listArticlesForClustering,
  listUnclusteredArticles,
  lockClustering,
  newDfCache,
  refreshStoryAggregates,
  resetClustering,
} from '../../db/repositories/clustering.repository.js';
import { countLiveStories } from '../../db/repositories/stories.repository.js';
import { refreshStoryPress } from '../../db/repositories/story-press.repository.js';
import type { ClusterOptions } from '../cluster/types.js';
import type { Classify } from './refresh-feeds.js';
import { clusterArticles } from './cluster-articles.js';
import { reclassifyArticles, type ReclassifyOptions } from './reclassify.js';

/**
 * Rebuilds every story from the stored articles (after a change of the algorithm): forget all
 * stories, then replay the articles in publication order through the same online placement, in
 * batches of one transaction each. Deterministic, so a rerun ends with the same grouping; a run
 * interrupted half-way is completed by running it again (it starts from scratch).
 */
export async function reclusterAll(
  db: Db,
  now: () => Date,
  opts: { batchSize?: number; signal?: AbortSignal; progress?: (done: number) => void; cluster?: ClusterOptions } = {},
) {
  const batchSize = opts.batchSize ?? 500;
  await db.transaction().execute(async (trx) => {
    await lockClustering(trx);
    await resetClustering(trx);
  });
  const dfCache = newDfCache();
  let after: { publishedAt: Date; id: number } | null = null;
  let done = 0;
  let duplicates = 0;
  while (!opts.signal?.aborted) {
    const batch = await listArticlesForClustering(db, after, batchSize);
    if (batch.length === 0) break;
    const r = await db.transaction().execute(async (trx) => {
      await lockClustering(trx);
      return clusterArticles(trx, batch, now(), opts.cluster, dfCache);
    });
    duplicates += r.duplicates;
    const last = batch[batch.length - 1]!;
    after = { publishedAt: last.publishedAt, id: last.id };
    done += batch.length;
    opts.progress?.(done);
  }
  return { articles: done, duplicates, stories: await countLiveStories(db) };
}

/**
 * After reclassification (in the batch's transaction, which took lockClustering first): stories
 * re-derive topics and relevance; newly on-beat articles get a story.
 */
export async function afterReclassifyBatch(trx: Db, articleIds: number[], now: Date, cluster?: ClusterOptions): Promise<void> {
  const stories = await findStoryIdsOfArticles(trx, articleIds);
  await refreshStoryAggregates(trx, stories, now);
  // The stories' two presses follow (the names each side uses come from the members' entities).
  await refreshStoryPress(trx, stories);
  const fresh = await listUnclusteredArticles(trx, articleIds);
  if (fresh.length) await clusterArticles(trx, fresh, now, cluster);
}

/**
 * Re-applies the classifier to the articles another rules version classified, with their stories kept in step:
 * each batch's transaction takes the clustering lock before its first write (as placement does, so the two cannot
 * deadlock or interleave) and re-derives the stories of the articles it changed.
 */
export function reclassifyWithStories(
  db: Db,
  classify: Classify,
  rulesVersion: string,
  now: () => Date,
  opts: Pick<ReclassifyOptions, 'batchSize' | 'signal' | 'progress'> & { cluster?: ClusterOptions } = {},
) {
  const { cluster, ...rest } = opts;
  return reclassifyArticles(db, classify, rulesVersion, {
    ...rest,
    beforeBatch: lockClustering,
    afterBatch: (trx, ids) => afterReclassifyBatch(trx, ids, now(), cluster),
  });
}
