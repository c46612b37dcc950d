import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { insertSources } from '../../db/repositories/sources.repository.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { ClusterScheduler } from '../../src/services/cluster-scheduler.js';
import { refreshDueSources } from '../../src/services/refresh-feeds.js';
import { createTestDb, dbKind, emptyStore, type TestDb } from '../helpers/db.js';
import { testConfig, TestClock } from '../helpers/deps.js';
import { rss, startFeedServer, type FeedServer } from '../helpers/feed-server.js';

// Clustering runs in the background after feeds commit (kick), many feeds per locked transaction,
// and a pass settles it before returning. These tests store articles unplaced, then drive the scheduler.

const item = (i: number) => ({
  guid: `g${i}`,
  link: `https://outlet.example/${i}`,
  title: `Mexico extradites Sinaloa cartel commander number ${i} to the United States`,
  description: `The Mexican government sent cartel figure ${i} to US custody in Texas, the Justice Department said after the transfer.`,
  pubDate: `Tue, 24 Nov 2026 ${String(10 + i).padStart(2, '0')}:00:00 GMT`,
});

describe(`background clustering: kick, batches, lock held elsewhere, settle (${dbKind})`, () => {
  let t: TestDb;
  let srv: FeedServer;
  let deps: Deps;
  const clock = new TestClock(new Date('2026-11-25T12:00:00Z'));
  const silent = createLogger('silent');

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    deps = await createDeps(testConfig(), { handle: t, migrate: false, seed: false, logger: silent, clock: clock.now });
  });
  afterAll(async () => {
    await srv?.close();
    await deps?.readPool?.close();
    await t?.close();
  });
  beforeEach(() => emptyStore(t.db));

  /** Stores `n` on-beat articles with clustering off: they are pending. */
  async function storeUnplaced(n: number): Promise<void> {
    srv.route('/f', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('/f', Array.from({ length: n }, (_, i) => item(i)))));
    await insertSources(t.db, [{ url: srv.url('/f') }], clock.now());
    const [o] = await refreshDueSources({ ...deps, clustering: undefined });
    expect(o).toMatchObject({ outcome: "ok", created: n });
  }
  const unplaced = async () =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM articles WHERE cluster_features IS NULL AND relevance IS DISTINCT FROM 'off_beat'`.execute(t.db)).rows[0]!.n;

  it('kicks coalesce into one drain that places every pending article, batch after batch', async () => {
    await storeUnplaced(5);
    expect(await unplaced()).toBe(5);
    const s = new ClusterScheduler(t.db, clock.now, silent, { batchSize: 2 });
    s.kick();
    s.kick();
    s.kick();
    await s.idle();
    expect(await unplaced()).toBe(0);
    const placed = await sql<{ n: number }>`SELECT count(*)::int AS n FROM articles WHERE story_id IS NOT NULL`.execute(t.db);
    expect(placed.rows[0]!.n).toBe(5);
    // Nothing left: settling again places nothing.
    expect(await new ClusterScheduler(t.db, clock.now, silent).settle()).toMatchObject({ clustered: 0 });
  });

  it('settle places what is pending and reports it', async () => {
    await storeUnplaced(3);
    expect(await new ClusterScheduler(t.db, clock.now, silent, { batchSize: 2 }).settle()).toMatchObject({ clustered: 3 });
    expect(await unplaced()).toBe(0);
  });

  it.skipIf(dbKind !== 'postgres')('when another process holds the lock, the kick does not wait and retries until it gets it', async () => {
    await storeUnplaced(2);
    const s = new ClusterScheduler(t.db, clock.now, silent, { retryMs: 50 });
    let release!: () => void;
    let held!: () => void;
    const isHeld = new Promise<void>((r) => (held = r));
    const holder = t.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(7406337)`.execute(trx);
      held();
      await new Promise<void>((r) => (release = r));
    });
    await isHeld;
    s.kick();
    await new Promise((r) => setTimeout(r, 300));
    expect(await unplaced()).toBe(2); // the lock is held elsewhere: nothing placed, nobody blocked
    release();
    await holder;
    for (let i = 0; i < 100 && (await unplaced()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await unplaced()).toBe(0);
    await s.close();
  });
});
