// A feed stored twice from one claimed Source (a worker whose lease ran out while another worker stored the feed,
// then stores it too): the second store finds the first's items and counts none of them again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSource, insertSources } from '../../db/repositories/sources.repository.js';
import { refreshSource } from '../../src/services/refresh-feeds.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { refreshDeps, TestClock } from '../helpers/deps.js';
import { rss, startFeedServer, type FeedServer } from '../helpers/feed-server.js';

describe(`a feed stored again from a stale Source (${dbKind})`, () => {
  let t: TestDb;
  let srv: FeedServer;
  const clock = new TestClock();

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    const items = Array.from({ length: 6 }, (_, i) => ({ guid: `g${i}`, link: `https://stale.example/${i}`, title: `Item ${i} on the border`, description: 'Text.', pubDate: 'Mon, 23 Nov 2026 10:00:00 GMT' }));
    srv.route('/feed', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('/feed', items)));
  });
  afterAll(async () => {
    await srv?.close();
    await t?.close();
  });

  it('counts its items once in items_stored', async () => {
    const [stale] = await insertSources(t.db, [{ url: srv.url('/feed') }], clock.now());
    expect(stale!.lastSuccessAt).toBeNull();
    const deps = refreshDeps(t, clock);
    const first = await refreshSource(deps, stale!);
    expect(first).toMatchObject({ outcome: 'ok', created: 6, linked: 0 });
    const second = await refreshSource(deps, stale!);
    expect(second).toMatchObject({ outcome: 'ok', created: 0, linked: 0 });
    expect((await findSource(t.db, stale!.id))!.itemsStored).toBe(6);
  });
});
