import type { Db } from '../../db/client.js';
import { listPendingClusterArticles, lockClustering, newDfCache, tryLockClustering } from '../../db/repositories/clustering.repository.js';
import type { Logger } from '../logger.js';
import type { ClusterOptions } from '../cluster/types.js';
import { clusterArticles, type ClusterResult } from './cluster-articles.js';

export interface ClusterSchedulerOptions {
  /** Pending articles placed per transaction. */
  batchSize: number;
  /** When another process holds the clustering lock, look again after this long. */
  retryMs: number;
  /** Placement options: the beat's (its clustering lexicon); the shipped defaults when absent. */
  cluster?: ClusterOptions;
}

const DEFAULTS: ClusterSchedulerOptions = { batchSize: 200, retryMs: 250 };

/**
 * Event clustering off the ingest path. A feed's transaction commits its articles unplaced (migration
 * 005's partial index lists them) and calls `kick()`; the kick starts one drain in this process unless
 * one is running (then that drain goes round once more). A drain places the oldest pending articles in
 * batches, each in a transaction that takes the clustering lock *without waiting*
 * (pg_try_advisory_xact_lock): if another process holds it, that process is placing articles already and
 * this one looks again after `retryMs` (its own commit may have come after the holder read its batch).
 * So feeds never queue on the lock, and one lock holder places many feeds' articles per transaction.
 *
 * `settle()` waits, with the blocking lock, until nothing is pending: a refresh pass ends with it, so
 * when a pass returns, every article it stored has its story. Articles a crash left unplaced are
 * placed by the next drain or settle, whichever process runs it.
 */
export class ClusterScheduler {
  private running: Promise<void> | null = null;
  private again = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly opts: ClusterSchedulerOptions;
  /** Term frequencies read by earlier batches, while no other process has changed them. */
  private readonly dfCache = newDfCache();

  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
    private readonly logger: Logger,
    opts: Partial<ClusterSchedulerOptions> = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  /** Something was committed unplaced: place it soon, in the background. Never throws. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain(false)
      .then(() => undefined)
      .catch((e: unknown) => this.logger.warn({ event: 'cluster_deferred', message: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Places everything pending (waiting for the lock if another process holds it); returns what it placed. */
  async settle(): Promise<ClusterResult> {
    this.clearRetry();
    await this.idle();
    return this.drain(true);
  }

  /** Resolves when no drain is running in this process (a retry may still be scheduled). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops kicking, ends the drain in progress after its current batch (before the database closes). */
  async close(): Promise<void> {
    this.closed = true;
    this.clearRetry();
    await this.idle();
  }

  private async drain(wait: boolean): Promise<ClusterResult> {
    const total: ClusterResult = { clustered: 0, duplicates: 0, storiesTouched: 0 };
    for (;;) {
      this.again = false;
      const r = await this.db.transaction().execute(async (trx) => {
        if (wait) await lockClustering(trx);
        else if (!(await tryLockClustering(trx))) return null;
        const pending = await listPendingClusterArticles(trx, this.opts.batchSize);
        if (pending.length === 0) return { read: 0, result: total };
        return { read: pending.length, result: await clusterArticles(trx, pending, this.clock(), this.opts.cluster, this.dfCache) };
      });
      if (r === null) {
        this.retryLater();
        return total;
      }
      if (r.read) {
        total.clustered += r.result.clustered;
        total.duplicates += r.result.duplicates;
        total.storiesTouched += r.result.storiesTouched;
      }
      if (this.closed || (r.read < this.opts.batchSize && !this.again)) return total;
    }
  }

  private retryLater(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, this.opts.retryMs);
    this.retryTimer.unref();
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
