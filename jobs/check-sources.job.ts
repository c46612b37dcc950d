import type { Deps } from '../src/deps.js';
import { checkFailed, verifySources } from '../src/services/source-checks.js';
import type { JobContext } from './job.js';

/**
 * Probes every active source (nothing stored but the result) and keeps `stale_since`: set when the newest
 * item is older than STALE_AFTER_DAYS, cleared when the feed is fresh again. One log line per source that
 * is stale or failing, then a summary. Idempotent: a rerun records the same outcome again.
 */
export async function checkSourcesJob(deps: Pick<Deps, 'db' | 'config' | 'logger' | 'clock'>, ctx: JobContext) {
  const started = Date.now();
  const results = await verifySources(deps, {
    signal: ctx.signal,
    ...(ctx.progress ? { onResult: (_r, done, total) => ctx.progress!(done, total) } : {}),
  });
  const summary = { checked: results.length, ok: 0, empty: 0, html: 0, failed: 0, stale: 0, newly_stale: 0, recovered: 0 };
  for (const r of results) {
    const v = r.verification;
    summary[v.status]++;
    const stale = r.stale === true || (r.stale === null && r.source.staleSince !== null);
    if (stale) summary.stale++;
    if (r.becameStale) summary.newly_stale++;
    if (r.recovered) summary.recovered++;
    if (stale || checkFailed(v) || r.recovered) {
      deps.logger.warn({
        event: r.recovered ? 'source_fresh_again' : stale ? 'source_stale' : 'source_check_failed',
        source_id: r.source.id,
        url: r.source.url,
        status: v.status,
        http_status: v.httpStatus,
        newest_item_age_hours: v.newestItemAgeHours,
        stale_since: r.stale === true ? (r.source.staleSince ?? v.at).toISOString() : r.source.staleSince?.toISOString() ?? null,
        error_code: v.errorCode,
        suggestions: v.suggestions.length ? v.suggestions : undefined,
      });
    }
  }
  deps.logger.info({ event: 'check_sources_done', ...summary, stale_after_days: deps.config.sourceChecks.staleAfterDays, duration_ms: Date.now() - started });
  return summary;
}
