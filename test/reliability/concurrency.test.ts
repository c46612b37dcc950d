// Three scheduler workers (jobs/main.ts --no-api, a tick every second) and the API process under light load,
// all on one PostgreSQL database, over two polling periods: every feed fetched exactly once per period, every
// story stored once, no deadlock (PostgreSQL's own counter), every process exits 0 on SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { insertSources } from '../../db/repositories/sources.repository.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { exitCode, spawnTs } from '../helpers/spawn.js';
import { complete, integrity, mountFarm, sleep, waitFor, type Farm } from './farm.js';
import { freePort } from '../helpers/net.js';

const onPostgres = dbKind === 'postgres';
if (!onPostgres) console.warn('concurrency test skipped: several processes share PostgreSQL (set DATABASE_URL); PGlite serves one process');

describe.runIf(onPostgres)('3 workers + the API on one database', () => {
  let t: TestDb;
  let srv: FeedServer;
  let farm: Farm;

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    farm = mountFarm(srv, { feeds: 60, ownItems: 3, minLatencyMs: 20, maxLatencyMs: 150 });
    await insertSources(t.db, farm.urls.map((url) => ({ url })), new Date(Date.now() - 1000));
  });
  afterAll(async () => {
    await srv?.close();
    await t?.close();
  });

  const deadlocks = async () =>
    (await sql<{ n: number }>`SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`.execute(t.db)).rows[0]!.n;
  const fetchCounts = async () =>
    (await sql<{ lo: number; hi: number }>`SELECT min(fetch_count)::int AS lo, max(fetch_count)::int AS hi FROM sources`.execute(t.db)).rows[0]!;

  it('every feed is fetched once per period; no duplicates, no deadlocks, clean exits', { timeout: 180_000 }, async () => {
    const deadlocksBefore = await deadlocks();
    const base = {
      DATABASE_URL: t.url,
      ALLOW_PRIVATE_SOURCES: 'true',
      HOST_MIN_INTERVAL_MS: '0',
      SEED_DEFAULT_SOURCES: 'false',
      REFRESH_CRON: '* * * * * *',
      REFRESH_BATCH_SIZE: '3',
      FETCH_CONCURRENCY: '4',
      LEASE_SECONDS: '60',
      LOG_LEVEL: 'info',
    };
    const workers = [0, 1, 2].map(() => spawnTs('jobs/main.ts', ['--no-api'], base));
    const port = await freePort();
    const api = spawnTs('api/main.ts', [], { ...base, HOST: '127.0.0.1', PORT: String(port), RATE_LIMIT_PER_MINUTE: '0' });
    const all = [...workers, api];

    // Light API load while the workers write: a reader polling the list endpoints.
    const statuses = new Map<number, number>();
    let polling = true;
    const reader = (async () => {
      const paths = ['/healthz', '/readyz', '/v1/articles?limit=20', '/v1/topics', '/v1/search?q=border', '/feeds/all.rss'];
      await waitFor('API up', () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status), (s) => s === 200, 30_000, 100);
      for (let i = 0; polling; i++) {
        const r = await fetch(`http://127.0.0.1:${port}${paths[i % paths.length]}`).catch(() => null);
        if (r) {
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          await r.arrayBuffer();
        }
        await sleep(20);
      }
    })();

    try {
      // Period 1: everything due once.
      await waitFor('period 1', fetchCounts, (c) => c.lo === 1, 60_000, 200);
      await sleep(1500); // a few more ticks: nothing may be fetched twice
      expect(await fetchCounts()).toEqual({ lo: 1, hi: 1 });
      for (let i = 0; i < farm.feeds; i++) expect(srv.hits.get(`/farm/${i}`), `feed ${i}, period 1`).toBe(1);

      // Period 2: the next polling period comes round for every feed at once (conditional GET → 304).
      await sql`UPDATE sources SET next_check_at = now()`.execute(t.db);
      await waitFor('period 2', fetchCounts, (c) => c.lo === 2, 60_000, 200);
      await sleep(1500);
      expect(await fetchCounts()).toEqual({ lo: 2, hi: 2 });
      for (let i = 0; i < farm.feeds; i++) expect(srv.hits.get(`/farm/${i}`), `feed ${i}, period 2`).toBe(2);
    } finally {
      polling = false;
      await reader.catch(() => {});
      for (const p of all) p.kill('SIGTERM');
    }
    const codes = await Promise.all(all.map(exitCode));
    const outputs = all.map((p) => p.output());
    expect(codes, outputs.map((o) => o.slice(-1500)).join('\n---\n')).toEqual([0, 0, 0, 0]);
    for (const o of outputs) expect(o).not.toMatch(/deadlock detected|uncaught|unhandled|job_failed/i);
    expect(await deadlocks()).toBe(deadlocksBefore);

    expect(await integrity(t.db, farm)).toEqual(complete(farm));
    const workersThatWorked = outputs.slice(0, 3).filter((o) => o.includes('"refresh_pass"')).length;
    const fiveXX = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    console.info(`concurrency: ${workersThatWorked}/3 workers did work; API statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(workersThatWorked).toBeGreaterThanOrEqual(2);
    expect(fiveXX).toBe(0);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
  });
});
