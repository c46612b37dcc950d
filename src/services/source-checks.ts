import type { Db } from '../../db/client.js';
import { listSourcesToVerify, markSourceVerified } from '../../db/repositories/sources.repository.js';
import type { Config } from '../config.js';
import { isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Source, SourceVerification, VerifyStatus } from '../model/types.js';
import { HostLimiter, Semaphore } from '../runtime/limiter.js';
import { checkFeedUrl } from './sources.js';

// Verifying sources: each one is probed now through the same fetch-and-read path as `sources add`
// (checkFeedUrl: SSRF guard, limits, HTML autodiscovery) and only the outcome is stored (sources.verified_at,
// verify_status, verify_detail, stale_since): no item, and none of the refresh's columns (next check,
// backoff, validators), so a check never delays or hides the scheduler's own view of the source.

export interface VerifyDeps {
  db: Db;
  config: Pick<Config, 'fetch' | 'sourceChecks'>;
  logger: Logger;
  clock: () => Date;
}

export interface SourceCheckResult {
  source: Source;
  verification: SourceVerification;
  /** Newest item older than STALE_AFTER_DAYS (or no item at all); null when the probe could not tell. */
  stale: boolean | null;
  /** Flagged stale by this check (it was not before). */
  becameStale: boolean;
  /** Was stale, fresh again now. */
  recovered: boolean;
}

const HOUR_MS = 3_600_000;

/** One probe of one URL; never throws for what the feed does (an HTTP error is a `failed` result). */
export async function probeFeed(url: string, config: Pick<Config, 'fetch'>, now: Date): Promise<SourceVerification> {
  const started = performance.now();
  const base = { at: now, httpStatus: null, contentType: null, items: null, newestItemAgeHours: null, errorCode: null, message: null, suggestions: [] };
  try {
    const c = await checkFeedUrl(url, config.fetch, now);
    const status: VerifyStatus = c.status === 304 || c.items > 0 ? 'ok' : 'empty';
    const age = c.newestItemAt ? Math.max(0, (now.getTime() - c.newestItemAt.getTime()) / HOUR_MS) : null;
    return {
      ...base,
      status,
      httpStatus: c.status,
      contentType: c.contentType,
      items: c.status === 304 ? null : c.items,
      newestItemAgeHours: age === null ? null : Math.round(age * 10) / 10,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (e) {
    if (!isAppError(e)) throw e;
    const d = e.details ?? {};
    const html = e.code === 'parse_not_a_feed' && Array.isArray(d['suggestions']);
    return {
      ...base,
      status: html ? 'html' : 'failed',
      httpStatus: typeof d['status'] === 'number' ? d['status'] : null,
      contentType: typeof d['contentType'] === 'string' ? d['contentType'] : null,
      errorCode: e.code,
      message: e.message.slice(0, 500),
      suggestions: html ? (d['suggestions'] as string[]) : [],
      durationMs: Math.round(performance.now() - started),
    };
  }
}

/**
 * Up but dead is as bad as a 404: a feed is stale when its newest dated item is older than the limit, or
 * when it answers with no item. Null (leave the flag as it was) when the probe did not read a feed, or
 * read items without any date.
 */
export function isStale(v: SourceVerification, staleAfterDays: number): boolean | null {
  if (v.status === 'empty') return true;
  if (v.status !== 'ok' || v.newestItemAgeHours === null) return null;
  return v.newestItemAgeHours > staleAfterDays * 24;
}

/** A probe counts as failed for `sources check`'s exit status and the job's summary. */
export function checkFailed(v: SourceVerification): boolean {
  return v.status === 'failed' || v.status === 'html';
}

/**
 * Probes the given sources (every active one without ids) under the fetch module's politeness: the global
 * concurrency limit and the per-host spacing, as a refresh pass; records each result as it arrives.
 */
export async function verifySources(
  deps: VerifyDeps,
  opts: { ids?: number[]; signal?: AbortSignal; onResult?: (r: SourceCheckResult, done: number, total: number) => void } = {},
): Promise<SourceCheckResult[]> {
  const sources = await listSourcesToVerify(deps.db, opts.ids);
  const global = new Semaphore(deps.config.fetch.concurrency);
  const hosts = new HostLimiter(deps.config.fetch.hostMinIntervalMs);
  const staleAfterDays = deps.config.sourceChecks.staleAfterDays;
  const results: SourceCheckResult[] = [];
  await Promise.all(
    sources.map((source) =>
      hosts.run(hostOf(source.url), () =>
        global.run(async () => {
          if (opts.signal?.aborted) return;
          const verification = await probeFeed(source.url, deps.config, deps.clock());
          const stale = isStale(verification, staleAfterDays);
          await markSourceVerified(deps.db, source.id, verification, stale);
          const r: SourceCheckResult = {
            source,
            verification,
            stale,
            becameStale: stale === true && source.staleSince === null,
            recovered: stale === false && source.staleSince !== null,
          };
          results.push(r);
          opts.onResult?.(r, results.length, sources.length);
        }),
      ),
    ),
  );
  // In the order of the list (ids), not of arrival: the CLI's output and the job's log read the same each time.
  return results.sort((a, b) => a.source.id - b.source.id);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
