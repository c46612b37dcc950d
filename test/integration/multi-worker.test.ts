import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { insertSources } from '../../db/repositories/sources.repository.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { rss, startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { exitCode, spawnTs } from '../helpers/spawn.js';

// Two OS processes share one PostgreSQL; PGlite is single-process by design (lock file).
const multiProcess = dbKind === 'postgres';
if (!multiProcess) console.warn('multi-worker test skipped: it needs PostgreSQL (set DATABASE_URL); PGlite serves one process');

describe.runIf(multiProcess)('two worker processes running refresh-feeds at once', () => {
  let t: TestDb;
  let srv: FeedServer;
  const FEEDS = 40;

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    const wire = { guid: 'wire-1', title: 'Wire: US weighs strikes on cartel labs in Mexico', link: 'https://wire.example/strikes' };
    for (let i = 0; i < FEEDS; i++) {
      // A little latency so the two workers really overlap.
      srv.route(`/w${i}`, async (_q, res) => {
        await new Promise((r) => setTimeout(r, 30));
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(
          rss(`Outlet ${i}`, [wire, { guid: `o${i}-1`, title: `Outlet ${i} story one`, link: `https://o${i}.example/1` }, { guid: `o${i}-2`, title: `Outlet ${i} story two`, link: `https://o${i}.example/2` }]),
        );
      });
    }
    await insertSources(t.db, Array.from({ length: FEEDS }, (_, i) => ({ url: srv.url(`/w${i}`) })), new Date());
  });
  afterAll(async () => {
    await srv?.close();
    await t?.close();
  });

  it('fetches every feed exactly once and stores every story once', { timeout: 180_000 }, async () => {
    const env = {
      DATABASE_URL: t.url,
      ALLOW_PRIVATE_SOURCES: 'true',
      HOST_MIN_INTERVAL_MS: '0',
      SEED_DEFAULT_SOURCES: 'false',
      REFRESH_BATCH_SIZE: '3',
      FETCH_CONCURRENCY: '4',
      LOG_LEVEL: 'warn',
    };
    const workers = [spawnTs('jobs/run.ts', ['refresh-feeds'], env), spawnTs('jobs/run.ts', ['refresh-feeds'], env)];
    const codes = await Promise.all(workers.map(exitCode));
    expect(codes, workers.map((w) => w.output()).join('\n---\n')).toEqual([0, 0]);

    for (let i = 0; i < FEEDS; i++) expect(srv.hits.get(`/w${i}`), `feed ${i}`).toBe(1);
    // Both workers did some of the work.
    // The job's summary is its last JSON line with a source count (a warning may be logged after it).
    const summaries = workers.map((w) => {
      const line = w.output().trim().split('\n').reverse().find((l) => l.startsWith('{') && l.includes('"sources"'));
      return line ? (JSON.parse(line) as { sources: number }) : { sources: NaN };
    });
    expect(summaries[0]!.sources + summaries[1]!.sources, workers.map((w) => w.output()).join('\n---\n')).toBe(FEEDS);

    const n = await sql<{ articles: number; links: number; dups: number }>`
      SELECT (SELECT count(*) FROM articles) AS articles,
             (SELECT count(*) FROM source_items) AS links,
             (SELECT count(*) FROM (SELECT dedup_key FROM articles GROUP BY 1 HAVING count(*) > 1) d) AS dups`.execute(t.db);
    expect(n.rows[0]).toEqual({ articles: 1 + 2 * FEEDS, links: 3 * FEEDS, dups: 0 });
  });
});
