import type { Db } from '../../db/client.js';
import { sqlClusterStore, type DfCache } from '../../db/repositories/clustering.repository.js';
import { refreshStoryPress } from '../../db/repositories/story-press.repository.js';
import { DEFAULT_CLUSTER_OPTIONS } from '../cluster/decide.js';
import { placeArticles, type ClusterInput } from '../cluster/place-articles.js';
import type { ClusterOptions } from '../cluster/types.js';
import { withProcessTranslator } from '../runtime/translate/index.js';

export type { ClusterInput };

export interface ClusterResult {
  clustered: number;
  duplicates: number;
  storiesTouched: number;
}

/**
 * Places new articles into stories — inside the caller's transaction, which must hold the clustering lock
 * (lockClustering) taken *before* any other write, so that concurrent workers see each other's stories and
 * cannot create two stories for one event, and cannot deadlock (every clustering transaction takes the same
 * lock first). The decisions are the pure placer's (src/cluster/place-articles.ts) over the SQL store; the
 * touched stories' aggregates and two presses are rewritten in the same transaction.
 */
export async function clusterArticles(
  trx: Db,
  articles: ClusterInput[],
  now: Date,
  opts: ClusterOptions = DEFAULT_CLUSTER_OPTIONS,
  /** A long-lived caller's document frequencies across batches (see DfCache); else each batch reads its own. */
  dfCache?: DfCache,
): Promise<ClusterResult> {
  // Unless the caller chose, the process's translator (TRANSLATOR) gives Spanish articles an English reading.
  const r = await placeArticles(sqlClusterStore(trx, dfCache), articles, now, withProcessTranslator(opts));
  if (r.clustered === 0) return { clustered: 0, duplicates: 0, storiesTouched: 0 };
  // The two presses of every story whose members changed, in the same transaction.
  await refreshStoryPress(trx, r.touched);
  return { clustered: r.clustered, duplicates: r.duplicates, storiesTouched: r.touched.length };
}
