import { countArticlesToReclassify, listArticlesToReclassify, updateClassifications } from '../../db/repositories/articles.repository.js';
import type { Db } from '../../db/client.js';
import { classifyItem } from '../beat/classify-item.js';
import type { Classify } from './refresh-feeds.js';

export interface ReclassifyOptions {
  batchSize?: number;
  signal?: AbortSignal;
  progress?: (done: number, total: number) => void;
  /** First statement of each batch's transaction (a lock shared with ingest, taken before any write). */
  beforeBatch?: (trx: Db) => Promise<void>;
  /** Called in each batch's transaction with the ids it changed (stories re-derive their topics). */
  afterBatch?: (trx: Db, ids: number[]) => Promise<void>;
}

/**
 * Re-evaluates every article whose stored rules version differs from the current one, in
 * id-ordered batches of one transaction each. Idempotent and resumable: a rerun (or a run
 * after a crash) only sees what is still stale; a second run right after finds nothing.
 */
export async function reclassifyArticles(db: Db, classify: Classify, rulesVersion: string, opts: ReclassifyOptions = {}) {
  const batchSize = opts.batchSize ?? 500;
  const total = await countArticlesToReclassify(db, rulesVersion);
  let done = 0;
  let afterId = 0;
  const changed = { on_beat: 0, adjacent: 0, off_beat: 0 };
  while (!opts.signal?.aborted) {
    const batch = await listArticlesToReclassify(db, rulesVersion, afterId, batchSize);
    if (batch.length === 0) break;
    // The function ingest classifies an item with, over the fields ingest stored from it.
    const rows = batch.map((a) => ({ id: a.id, c: classifyItem(classify, a) }));
    for (const r of rows) changed[r.c.relevance]++;
    await db.transaction().execute(async (trx) => {
      await opts.beforeBatch?.(trx);
      await updateClassifications(trx, rows);
      await opts.afterBatch?.(trx, rows.map((r) => r.id));
    });
    afterId = batch[batch.length - 1]!.id;
    done += batch.length;
    opts.progress?.(done, total);
  }
  return { reclassified: done, total, rulesVersion, relevance: changed };
}
