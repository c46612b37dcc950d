// Crashes, for real processes on real PostgreSQL:
//  1. kill -9 of refresh workers (jobs/run.ts) mid-ingest, 8 times at random points, then a run to completion;
//  2. PostgreSQL itself crashing (pg_ctl stop -m immediate) and coming back under a running scheduler worker;
//  3. PostgreSQL not up yet when a worker starts.
// Each ends with the integrity check: every farm item stored once, no orphan article, no source left leased,
// items_stored consistent with source_items. Cases 2 and 3 use a private cluster (never the shared 5432).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDb, type DbHandle } from '../../db/client.js';
import { migrateToLatest } from '../../db/migrator.js';
import { insertSources } from '../../db/repositories/sources.repository.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { exitCode, spawnTs } from '../helpers/spawn.js';
import { complete, integrity, mountFarm, sleep, waitFor, type Farm } from './farm.js';
import { createPrivatePg, privatePgUnavailable, type PrivatePg } from './private-pg.js';

const onPostgres = dbKind === 'postgres';
if (!onPostgres) console.warn('crash-recovery skipped: worker processes share PostgreSQL (set DATABASE_URL); PGlite serves one process');

const LEASE_SECONDS = 10; // the config minimum: a killed worker's claims come back after 10 s
const workerEnv = (url: string, extra: Record<string, string> = {}) => ({
  DATABASE_URL: url,
  ALLOW_PRIVATE_SOURCES: 'true',
  HOST_MIN_INTERVAL_MS: '0',
  SEED_DEFAULT_SOURCES: 'false',
  REFRESH_BATCH_SIZE: '4',
  FETCH_CONCURRENCY: '4',
  FETCH_TIMEOUT_MS: '5000',
  LEASE_SECONDS: String(LEASE_SECONDS),
  LOG_LEVEL: 'debug',
  ...extra,
});

/**
 * What a worker logged about each feed it failed on (feed_failed, feed_store_db_unavailable, read_thread_failed, …):
 * every warning or error line but the expected db_unavailable retries, and every line that is not JSON (a stack
 * trace). Printed when a test's expectation on the worker's summary fails, so the failure names the feed and why.
 */
function workerProblems(output: string): string {
  // jobs/run.ts writes its progress to stderr as `\rname: done/total`, without a newline: a log line can follow it.
  const lines = output.split(/[\r\n]+/).map((l) => l.replace(/^[\w-]+: \d+\/\d+/, '')).filter((l) => {
    if (!l.trim()) return false;
    try {
      const o = JSON.parse(l) as { level?: number; event?: string };
      return typeof o.level === 'number' && o.level >= 40 && o.event !== 'db_unavailable';
    } catch {
      return true;
    }
  });
  return lines.length ? lines.join('\n') : '(no warning or error logged)';
}

/** Sleeps until every lease a dead worker left has expired (the database's clock decides). */
async function waitLeasesExpired(handle: DbHandle): Promise<void> {
  const r = await sql<{ ms: number | null }>`SELECT (extract(epoch FROM max(lease_until) - now()) * 1000)::int AS ms FROM sources WHERE lease_until IS NOT NULL`.execute(handle.db);
  const ms = r.rows[0]?.ms;
  if (ms !== null && ms !== undefined && ms > -200) await sleep(ms + 300);
}

describe.runIf(onPostgres)('kill -9 of refresh workers mid-ingest', () => {
  let t: TestDb;
  let srv: FeedServer;
  let farm: Farm;

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    farm = mountFarm(srv, { feeds: 40, ownItems: 5, minLatencyMs: 50, maxLatencyMs: 300 });
    await insertSources(t.db, farm.urls.map((url) => ({ url })), new Date(Date.now() - 1000));
  });
  afterAll(async () => {
    await srv?.close();
    await t?.close();
  });

  it('8 random kills (4 rounds of 2 concurrent workers), then a clean run: zero lost, zero duplicated, nothing half-written, no stuck lease', async () => {
    // Slow enough (2 fetches in flight, 50–300 ms each) that every worker is still busy when it is killed.
    const env = workerEnv(t.url!, { FETCH_CONCURRENCY: '2', REFRESH_BATCH_SIZE: '2' });
    const t0 = Date.now();
    const phases: string[] = [];
    // Each phase is printed as it ends, so that a run stopped by the timeout still shows where the time went.
    const phase = (what: string) => {
      phases.push(`${what} at ${Date.now() - t0} ms`);
      console.info(`kill -9: ${phases.at(-1)}`);
    };
    let killed = 0;
    const progress: number[] = [];
    const killMidIngest = async () => {
      const w = spawnTs('jobs/run.ts', ['refresh-feeds'], env);
      // Mid-ingest: after the worker stored its first feed, at a random point of what follows.
      await waitFor('first stored feed', async () => w.output(), (o) => o.includes('feed_refreshed') || w.exitCode !== null, 20_000, 20);
      await sleep(Math.random() * 700);
      if (w.exitCode === null && w.kill('SIGKILL')) killed++;
      await exitCode(w);
    };
    for (let round = 0; round < 4; round++) {
      // Killed workers keep their claims until the lease runs out: if nothing else is claimable, wait
      // for that, so that every round really kills workers in the middle of work.
      const claimable = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM sources WHERE last_fetched_at IS NULL AND (lease_until IS NULL OR lease_until < now())`.execute(t.db);
      if (claimable.rows[0]!.n < 4) await waitLeasesExpired(t);
      await Promise.all([killMidIngest(), killMidIngest()]);
      progress.push((await integrity(t.db, farm)).articles);
      phase(`round ${round + 1}`);
    }
    console.info(`kill -9: ${killed} workers killed; articles after each round: ${progress.join(', ')} of ${farm.expectedArticles}`);
    expect(killed).toBeGreaterThanOrEqual(5);
    const mid = await integrity(t.db, farm);
    // Even mid-way, what was committed is whole: no article without its source link.
    expect(mid.orphanArticles).toBe(0);
    expect(mid.dupDedupKeys).toBe(0);
    expect(mid.articles).toBeLessThan(farm.expectedArticles); // the kills did interrupt work

    // Finish: once the dead workers' leases expire, a normal run takes their claims over.
    for (let run = 0; run < 3 && (await integrity(t.db, farm)).unfetchedSources > 0; run++) {
      await waitLeasesExpired(t);
      phase('leases expired');
      const w = spawnTs('jobs/run.ts', ['refresh-feeds'], { ...env, REFRESH_BATCH_SIZE: '50', FETCH_CONCURRENCY: '16', LOG_LEVEL: 'info' });
      expect(await exitCode(w), w.output().slice(-2000)).toBe(0);
      phase(`final run ${run + 1} done`);
    }
    expect(await integrity(t.db, farm)).toEqual(complete(farm));
    // Real processes, not a timing target: up to 4 lease expiries of 10 s between rounds, one before each final
    // run, and a tsx start-up per worker (seen 2–5 s each on a loaded 2-core CI machine) exceed the 60 s default.
  }, 240_000);
});

const noPrivatePg = onPostgres ? privatePgUnavailable() : 'needs DATABASE_URL';
if (onPostgres && noPrivatePg) console.warn(`PostgreSQL restart tests skipped: ${noPrivatePg}`);

describe.runIf(onPostgres && !noPrivatePg)('PostgreSQL crashing and restarting (private cluster)', () => {
  let pg: PrivatePg;
  let handle: DbHandle;
  let srv: FeedServer;
  let farm: Farm;

  beforeAll(async () => {
    pg = await createPrivatePg();
    pg.start();
    handle = await openDb({ databaseUrl: pg.url, poolSize: 2 });
    await migrateToLatest(handle.db);
    srv = await startFeedServer();
    farm = mountFarm(srv, { feeds: 40, ownItems: 5, minLatencyMs: 100, maxLatencyMs: 300 });
    await insertSources(handle.db, farm.urls.map((url) => ({ url })), new Date(Date.now() - 1000));
  }, 120_000);
  afterAll(async () => {
    await handle?.close().catch(() => {});
    await srv?.close();
    pg?.destroy();
  });

  it('a scheduler worker survives an immediate shutdown mid-run and finishes with no loss', async () => {
    // Every second a tick: a pass that fails on the dead database is logged, the next tick tries again.
    const w = spawnTs('jobs/main.ts', ['--no-api'], workerEnv(pg.url, { REFRESH_CRON: '* * * * * *', LOG_LEVEL: 'info' }));
    try {
      await waitFor('ingest under way', () => integrity(handle.db, farm), (i) => i.articles > 20, 30_000, 50);
      pg.stop('immediate'); // a crash: no checkpoint, connections cut, recovery from WAL on start
      await sleep(1500);
      pg.start();
      const done = await waitFor('complete ingest after the restart', () => integrity(handle.db, farm), (i) => i.articles === farm.expectedArticles && i.unfetchedSources === 0 && i.leasedSources === 0, 60_000, 500);
      expect(done, `worker's warnings and errors:\n${workerProblems(w.output())}`).toEqual(complete(farm));
      expect(w.exitCode, w.output().slice(-3000)).toBeNull(); // still running: no crash
    } finally {
      w.kill('SIGTERM');
    }
    expect(await exitCode(w), w.output().slice(-3000)).toBe(0); // graceful shutdown
    const out = w.output();
    console.info(
      `restart: job_failed x${out.split('"job_failed"').length - 1}, feed_store_db_unavailable x${out.split('feed_store_db_unavailable').length - 1}, record_failure_failed x${out.split('record_failure_failed').length - 1}`,
    );
    expect(out).not.toMatch(/deadlock detected|uncaught|unhandled/i);
    // No healthy feed was blamed for the database's crash.
    const blamed = await sql<{ n: number }>`SELECT count(*)::int AS n FROM sources WHERE last_error_code IS NOT NULL OR error_count > 0`.execute(handle.db);
    expect(blamed.rows[0]!.n).toBe(0);
  });

  it('a worker started while PostgreSQL is down logs, backs off, and proceeds once it is up', async () => {
    // Exactly 10 due (the others far off), whether or not the case above ran (-t runs this one alone).
    await sql`UPDATE sources SET next_check_at = CASE WHEN id <= 10 THEN now() - interval '1 second' ELSE now() + interval '1 day' END, etag = NULL`.execute(handle.db);
    pg.stop('fast');
    const started = Date.now();
    const w = spawnTs('jobs/run.ts', ['refresh-feeds'], workerEnv(pg.url, { LOG_LEVEL: 'info' }));
    try {
      await waitFor('three retries', async () => w.output().split('"db_unavailable"').length - 1, (n) => n >= 3, 20_000, 50);
      expect(w.exitCode).toBeNull(); // waiting, not crashed or restarting
      pg.start();
      expect(await exitCode(w), w.output().slice(-3000)).toBe(0);
    } finally {
      if (w.exitCode === null) w.kill('SIGKILL');
    }
    const lines = w
      .output()
      .split('\n')
      .filter((l) => l.includes('"db_unavailable"'))
      .map((l) => JSON.parse(l) as { attempt: number; retry_in_ms: number; message: string; level: number });
    console.info(`db down at start: ${lines.length} retries over ${Date.now() - started} ms, delays ${lines.map((l) => l.retry_in_ms).join(', ')}`);
    // A clear, structured warning per attempt, with a growing delay (exponential backoff, jittered ±20 %).
    expect(lines[0]).toMatchObject({ attempt: 1, level: 40 });
    expect(lines[0]!.message).toMatch(/ECONNREFUSED/);
    expect(lines.at(-1)!.retry_in_ms).toBeGreaterThan(lines[0]!.retry_in_ms * 2);
    // The job's result (jobs/run.ts prints it on stdout), wherever stderr's progress or a late log line puts it.
    const result = [...w.output().matchAll(/\{"event":"refresh_pass",[^\n{}]*\}/g)].at(-1)?.[0];
    const summary = result ? (JSON.parse(result) as { sources: number; errors: number }) : undefined;
    // On failure: the worker's lines about each failed feed, and what the sources recorded.
    let why = '';
    if (summary?.sources !== 10 || summary.errors !== 0) {
      const recorded = await sql`SELECT id, last_error_code, last_error_message, error_count FROM sources WHERE last_error_code IS NOT NULL OR error_count > 0 ORDER BY id`
        .execute(handle.db)
        .then((r) => JSON.stringify(r.rows), (e: Error) => `(not read: ${e.message})`);
      why = `worker's warnings and errors:\n${workerProblems(w.output())}\nsources with an error recorded: ${recorded}`;
    }
    expect(summary, why).toMatchObject({
      sources: 10,
      errors: 0,
    });
  });
});
