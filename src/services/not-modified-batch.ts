// A refresh pass's 304s, recorded a batch at a time. Most fetches of a running aggregator answer 304, and each
// one's own UPDATE (a query built, sent, parsed, planned and committed) cost more than the fetch itself: a warm
// pass of 500 feeds spent ≈ 0.4 s of its 0.9 s recording them one by one (docs/performance.md).
//
// Until its batch is written a 304's source stays leased; if the write fails (the database went away), or the
// process dies first, the lease runs out and a later pass fetches the feed again: one more conditional request,
// nothing lost. Only the 304s without a permanent redirect come here (markFetchSucceeded handles the rest).
import { isDatabaseUnavailable, type Db } from '../../db/client.js';
import { markNotModified, type NotModified } from '../../db/repositories/sources.repository.js';
import type { Logger } from '../logger.js';

/** 304s per statement. */
export const NOT_MODIFIED_BATCH = 64;
/** A 304 waits at most this long for its batch: leases are released soon after the fetch, not at the pass's end. */
export const NOT_MODIFIED_DELAY_MS = 250;

export class NotModifiedBatch {
  private rows: NotModified[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  add(row: NotModified): void {
    this.rows.push(row);
    if (this.rows.length >= NOT_MODIFIED_BATCH) this.write();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.write(), NOT_MODIFIED_DELAY_MS);
      this.timer.unref();
    }
  }

  /** Writes what is queued and waits for every write in flight. Never throws: a failed write is logged. */
  async flush(): Promise<void> {
    this.write();
    while (this.writes.size > 0) await Promise.all(this.writes);
  }

  private write(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    const p: Promise<void> = markNotModified(this.db, rows)
      .catch((e: unknown) => {
        // The sources stay leased until LEASE_SECONDS, then a later pass fetches them again.
        this.logger.error({
          event: isDatabaseUnavailable(e) ? 'not_modified_db_unavailable' : 'not_modified_record_failed',
          sources: rows.length,
          message: e instanceof Error ? e.message : String(e),
        });
      })
      .finally(() => this.writes.delete(p));
    this.writes.add(p);
  }
}
