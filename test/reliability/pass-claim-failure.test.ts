// A refresh pass whose next claim fails (the database went away mid-pass) must not return, or reject, while
// feeds it already claimed are still being fetched and stored. The scheduler (jobs/scheduler.ts) starts the
// next pass as soon as the previous one settles ("a job never overlaps its own previous run"): with feeds left
// running behind a rejected pass, two passes overlapped, and once the leases of the old pass's queued feeds
// expired the new pass claimed them again: the same feed stored twice, from a Source read before the first store
// (lastSuccessAt null), so items_stored counted its items twice. Seen in crash-recovery.test.ts's restart case
// under load: itemsStoredTotal 252 where 240 were stored.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertSources } from '../../db/repositories/sources.repository.js';
import { refreshDueSources } from '../../src/services/refresh-feeds.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { refreshDeps, testConfig, TestClock } from '../helpers/deps.js';
import { rss, startFeedServer, type FeedServer } from '../helpers/feed-server.js';

// The second claim of a pass fails as a dead database does; every other call is the real one.
const claims = vi.hoisted(() => ({ n: 0, failAt: 2 }));
vi.mock('../../db/repositories/sources.repository.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../db/repositories/sources.repository.js')>();
  return {
    ...real,
    claimDueSources: async (...args: Parameters<typeof real.claimDueSources>) => {
      if (++claims.n === claims.failAt) throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
      return real.claimDueSources(...args);
    },
  };
});

describe(`a refresh pass whose claim fails mid-pass (${dbKind})`, () => {
  let t: TestDb;
  let srv: FeedServer;
  const clock = new TestClock();
  let inFlight = 0;

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    for (let i = 0; i < 4; i++) {
      srv.route(`/slow/${i}`, async (_q, res) => {
        inFlight++;
        await new Promise((r) => setTimeout(r, 300));
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(`Slow ${i}`, [{ guid: `s${i}`, title: `Slow feed ${i} story`, link: `https://slow${i}.example/s` }]));
        inFlight--;
      });
    }
    await insertSources(t.db, [0, 1, 2, 3].map((i) => ({ url: srv.url(`/slow/${i}`) })), clock.now());
  });
  afterAll(async () => {
    await srv?.close();
    await t?.close();
  });

  it('ends only after the feeds it had claimed are done, then reports the failure', async () => {
    const outcomes: number[] = [];
    // Two sources per claim: the first claim takes 0 and 1, the second fails while they are being fetched.
    const deps = refreshDeps(t, clock, testConfig({ REFRESH_BATCH_SIZE: '2', FETCH_CONCURRENCY: '2' }));
    const pass = refreshDueSources(deps, { onOutcome: (o) => outcomes.push(o.sourceId) });
    await expect(pass).rejects.toThrow(/administrator command/);
    expect(claims.n).toBe(2);
    // Settled: nothing of this pass is still running (a next pass would otherwise run beside it).
    expect({ outcomes: outcomes.length, inFlight }).toEqual({ outcomes: 2, inFlight: 0 });
    const rows = await t.db.selectFrom('sources').select(['id', 'lease_until', 'last_success_at', 'items_stored']).orderBy('id').execute();
    // The two claimed feeds were stored and released; the two never claimed are untouched.
    expect(rows.map((r) => [r.lease_until, r.last_success_at !== null, r.items_stored])).toEqual([
      [null, true, 1],
      [null, true, 1],
      [null, false, 0],
      [null, false, 0],
    ]);
  });
});
