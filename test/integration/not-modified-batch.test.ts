// A pass's 304s are recorded a batch at a time (src/services/not-modified-batch.ts): each source ends exactly as
// a 304 recorded by its own statement would, and a write that fails loses nothing (the lease runs out, the feed
// is fetched again).
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { findSource, insertSources } from '../../db/repositories/sources.repository.js';
import type { Source } from '../../src/model/types.js';
import { NOT_MODIFIED_BATCH, NotModifiedBatch } from '../../src/services/not-modified-batch.js';
import { refreshDueSources, refreshSource } from '../../src/services/refresh-feeds.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { refreshDeps, TestClock } from '../helpers/deps.js';
import { rss, startFeedServer, withEtag, type FeedServer } from '../helpers/feed-server.js';

describe(`304s recorded in batches (${dbKind})`, () => {
  let t: TestDb;
  let srv: FeedServer;
  let clock: TestClock;

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
  });
  afterAll(async () => {
    await srv?.close();
    await t?.close();
  });
  beforeEach(async () => {
    await sql`TRUNCATE sources, articles, source_items RESTART IDENTITY CASCADE`.execute(t.db);
    srv.hits.clear();
    clock = new TestClock();
  });

  /** `n` feeds of one item each, every one answering 304 to its ETag. */
  const addFeeds = async (n: number) => {
    const urls: string[] = [];
    for (let i = 0; i < n; i++) {
      srv.route(`/f${i}`, withEtag(() => ({ body: rss(`Feed ${i}`, [{ guid: `g${i}`, title: `Item ${i}`, link: `https://news.example/${i}` }]), etag: `"e${i}"` })));
      urls.push(srv.url(`/f${i}`));
    }
    return insertSources(t.db, urls.map((url) => ({ url })), clock.now());
  };
  /** What a fetch leaves on a source, less what differs by feed. */
  const recorded = (s: Source) => {
    const { id: _id, url: _url, name: _name, etag: _etag, createdAt: _c, ...rest } = s as Source & { createdAt?: unknown };
    return rest;
  };

  it(`${NOT_MODIFIED_BATCH * 2 + 7} feeds answering 304 in one pass: each source as its own statement would have left it`, async () => {
    const n = NOT_MODIFIED_BATCH * 2 + 7; // three writes, the last one partial
    const sources = await addFeeds(n);
    const deps = refreshDeps(t, clock);
    expect((await refreshDueSources(deps)).every((o) => o.outcome === 'ok')).toBe(true);

    clock.advanceMinutes(31);
    await sql`UPDATE sources SET next_check_at = ${clock.now()}`.execute(t.db);
    // The reference: the last feed refreshed alone, its 304 recorded by markFetchSucceeded (no batch).
    const [claimed] = await sql<{ id: number }>`UPDATE sources SET lease_until = ${new Date(clock.now().getTime() + 60_000)}, lease_owner = 'alone'
      WHERE id = ${sources.at(-1)!.id} RETURNING id`.execute(t.db).then((r) => r.rows);
    const alone = await refreshSource(deps, (await findSource(t.db, claimed!.id))!);
    expect(alone.outcome).toBe('not_modified');

    const outcomes = await refreshDueSources(deps);
    expect(outcomes).toHaveLength(n - 1);
    expect(outcomes.every((o) => o.outcome === 'not_modified')).toBe(true);
    const reference = recorded((await findSource(t.db, claimed!.id))!);
    expect(reference).toMatchObject({ lastStatus: 304, notModifiedCount: 1, fetchCount: 2, errorCount: 0 });
    for (const s of sources.slice(0, -1)) expect(recorded((await findSource(t.db, s.id))!), `source ${s.id}`).toEqual(reference);
    // Released: nothing is leased, nothing is due.
    const leased = await sql<{ n: number }>`SELECT count(*)::int AS n FROM sources WHERE lease_until IS NOT NULL OR lease_owner IS NOT NULL`.execute(t.db);
    expect(leased.rows[0]!.n).toBe(0);
    expect(await refreshDueSources(deps)).toEqual([]);
  });

  it('a write that fails is logged and loses nothing: the sources stay leased until their lease runs out, then are fetched again', async () => {
    const [s] = await addFeeds(1);
    const deps = refreshDeps(t, clock);
    await refreshDueSources(deps);
    clock.advanceMinutes(31);
    const leaseUntil = new Date(clock.now().getTime() + 10_000);
    await sql`UPDATE sources SET next_check_at = ${clock.now()}, lease_until = ${leaseUntil}, lease_owner = 'w'`.execute(t.db);

    // A write the database refuses (a date it cannot read) fails the whole statement, as a lost connection would.
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const batch = new NotModifiedBatch(t.db, logger);
    batch.add({ sourceId: s!.id, nextCheckAt: new Date(Number.NaN), at: clock.now() });
    await expect(batch.flush()).resolves.toBeUndefined();
    const logged = lines.map((l) => JSON.parse(l) as { event: string; sources: number; level: number });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ event: 'not_modified_record_failed', sources: 1, level: 50 });

    expect((await findSource(t.db, s!.id))!).toMatchObject({ notModifiedCount: 0, fetchCount: 1 });
    const lease = await sql<{ lease_owner: string | null }>`SELECT lease_owner FROM sources WHERE id = ${s!.id}`.execute(t.db);
    expect(lease.rows[0]!.lease_owner).toBe('w');
    // Once the lease has run out, the next pass fetches the feed again and records its 304.
    clock.t = new Date(leaseUntil.getTime() + 1000);
    const [again] = await refreshDueSources(deps);
    expect(again).toMatchObject({ sourceId: s!.id, outcome: 'not_modified' });
    expect((await findSource(t.db, s!.id))!).toMatchObject({ notModifiedCount: 1, fetchCount: 2, lastStatus: 304 });
    const released = await sql<{ lease_owner: string | null }>`SELECT lease_owner FROM sources WHERE id = ${s!.id}`.execute(t.db);
    expect(released.rows[0]!.lease_owner).toBeNull();
  });
});
