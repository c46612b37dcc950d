import type { Deps } from '../src/deps.js';
import { refreshDueSources, type RefreshPassOptions } from '../src/services/refresh-feeds.js';

/** Named, idempotent job: one pass over every due source. Safe to run in N processes at once. */
export async function refreshFeedsJob(deps: Deps, opts: RefreshPassOptions = {}) {
  const started = Date.now();
  // A model retrained by another process since the last pass is adopted before any feed is read.
  await deps.syncBeat().catch((e: unknown) =>
    deps.logger.warn({ event: 'beat_model_sync_failed', message: e instanceof Error ? e.message : String(e) }),
  );
  // The pass ends by placing every pending article (its own and any a crash left unplaced).
  const outcomes = await refreshDueSources(deps, opts);
  const summary = {
    event: 'refresh_pass',
    sources: outcomes.length,
    ok: outcomes.filter((o) => o.outcome === 'ok').length,
    not_modified: outcomes.filter((o) => o.outcome === 'not_modified').length,
    errors: outcomes.filter((o) => o.outcome === 'error').length,
    created: outcomes.reduce((n, o) => n + o.created, 0),
    linked: outcomes.reduce((n, o) => n + o.linked, 0),
    updated: outcomes.reduce((n, o) => n + o.updated, 0),
    duration_ms: Date.now() - started,
  };
  if (outcomes.length) deps.logger.info(summary);
  return summary;
}
