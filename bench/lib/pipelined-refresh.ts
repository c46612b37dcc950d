// A/B candidate for src/services/refresh-feeds.ts refreshDueSources (proposed in docs/performance.md, not
// wired into the app): claim the next batch when the in-flight set runs low instead of when the whole
// batch has finished, so one slow feed no longer idles the other FETCH_CONCURRENCY − 1 slots at every
// batch boundary. Same claiming, leases, limits and refreshSource as the original.
import { claimDueSources } from '../../db/repositories/sources.repository.js';
import { HostLimiter, Semaphore } from '../../src/services/limiter.js';
import { refreshSource, workerId, type RefreshDeps, type RefreshPassOptions, type SourceOutcome } from '../../src/services/refresh-feeds.js';

export async function refreshDueSourcesPipelined(deps: RefreshDeps, opts: RefreshPassOptions = {}): Promise<SourceOutcome[]> {
  const owner = opts.owner ?? workerId();
  const global = new Semaphore(deps.config.fetch.concurrency);
  const hosts = new HostLimiter(deps.config.fetch.hostMinIntervalMs);
  const outcomes: SourceOutcome[] = [];
  const inflight = new Set<Promise<void>>();
  let claimedTotal = 0;
  for (;;) {
    if (opts.signal?.aborted) break;
    const claimed = await claimDueSources(deps.db, {
      now: deps.clock(),
      limit: deps.config.refreshBatchSize,
      leaseSeconds: deps.config.leaseSeconds,
      owner,
      ...(opts.onlyIds ? { onlyIds: opts.onlyIds } : {}),
    });
    if (claimed.length === 0) break;
    claimedTotal += claimed.length;
    for (const s of claimed) {
      const host = (() => {
        try {
          return new URL(s.url).host;
        } catch {
          return s.url;
        }
      })();
      const p: Promise<void> = hosts
        .run(host, () =>
          global.run(async () => {
            const o = await refreshSource(deps, s);
            outcomes.push(o);
            opts.onOutcome?.(o, outcomes.length, claimedTotal);
          }),
        )
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    if (opts.untilIdle === false) break;
    // Refill when fewer than 2× the concurrency remain queued or running: no idle tail per batch, and a
    // worker never holds leases on more than one batch plus that margin.
    while (inflight.size > 2 * deps.config.fetch.concurrency) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  return outcomes;
}
