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
  // One line per pass for the operator, readable as it stands (msg) and by machines (keys): a first start without
  // network reads "0 ok, 0 not modified, 38 failed" in one line, beside the per-feed feed_failed warnings.
  if (outcomes.length) {
    const { event, sources, ok, not_modified, errors: failed, created: items_new, linked: items_linked, updated: items_updated, duration_ms } = summary;
    deps.logger.info(
      { event, sources, ok, not_modified, failed, items_new, items_linked, items_updated, duration_ms },
      `refresh pass: ${sources} sources, ${ok} ok, ${not_modified} not modified, ${failed} failed; ${items_new} new items`,
    );
  }
  return summary;
}
