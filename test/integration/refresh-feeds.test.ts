import zlib from 'node:zlib';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { findSource, insertSources } from '../../db/repositories/sources.repository.js';
import { readDataVersion } from '../../src/services/data-version.js';
import type { Source } from '../../src/model/types.js';
import { NOT_MODIFIED_BATCH, NotModifiedBatch } from '../../src/services/not-modified-batch.js';
import { refreshDueSources, refreshSource } from '../../src/services/refresh-feeds.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { refreshDeps, testConfig, TestClock } from '../helpers/deps.js';
import { rss, startFeedServer, withEtag, type FeedServer } from '../helpers/feed-server.js';

describe(`refresh-feeds against a local feed server (${dbKind})`, () => {
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

  const addSource = async (path: string) => (await insertSources(t.db, [{ url: srv.url(path) }], clock.now()))[0]!;
  const articleCount = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM articles`.execute(t.db)).rows[0]!.n);
  const refresh = (config = testConfig()) => refreshDueSources(refreshDeps(t, clock, config));

  it('stores items once; a 304 counts as success; an ETag change brings new and edited items', async () => {
    let version = 1;
    const items = [
      { guid: 'a1', title: 'Cartel leader captured in Sinaloa', link: 'https://news.example/a1?utm_source=rss' },
      { guid: 'a2', title: 'Border wall plans in Texas', link: 'https://news.example/a2' },
    ];
    srv.route('/feed', withEtag(() => ({ body: rss('Feed', items), etag: `"v${version}"` })));
    const s = await addSource('/feed');

    const [first] = await refresh();
    expect(first).toMatchObject({ outcome: 'ok', created: 2 });
    expect(await articleCount()).toBe(2);
    // The data version (the API cache's key) moves with what readers see, not with every fetch.
    let dataVersion = await readDataVersion(t.db);

    // Not due yet: nothing is fetched.
    expect(await refresh()).toEqual([]);
    expect(srv.hits.get('/feed')).toBe(1);

    clock.advanceMinutes(31);
    const [second] = await refresh();
    expect(second).toMatchObject({ outcome: 'not_modified', created: 0 });
    let src = (await findSource(t.db, s.id))!;
    expect(src).toMatchObject({ etag: '"v1"', notModifiedCount: 1, errorCount: 0, lastStatus: 304 });
    expect(await readDataVersion(t.db)).toBe(dataVersion);

    // A new item and an edited one (same GUID, new title).
    version = 2;
    items.push({ guid: 'a3', title: 'Fentanyl seizure at Nogales', link: 'https://news.example/a3' });
    items[0] = { ...items[0]!, title: 'Cartel leader captured in Culiacán, officials say' };
    clock.advanceMinutes(31);
    const [third] = await refresh();
    expect(third).toMatchObject({ outcome: 'ok', created: 1, updated: 1 });
    expect(await articleCount()).toBe(3);
    const titles = (await t.db.selectFrom('articles').select('title').orderBy('id').execute()).map((r) => r.title);
    expect(titles[0]).toBe('Cartel leader captured in Culiacán, officials say');
    src = (await findSource(t.db, s.id))!;
    expect(src.etag).toBe('"v2"');
    expect(await readDataVersion(t.db)).not.toBe(dataVersion);
    dataVersion = await readDataVersion(t.db);

    // Same content again with a new ETag: nothing changes.
    version = 3;
    clock.advanceMinutes(31);
    const [fourth] = await refresh();
    expect(fourth).toMatchObject({ outcome: 'ok', created: 0, updated: 0 });
    expect(await articleCount()).toBe(3);
    expect(await readDataVersion(t.db)).toBe(dataVersion);

    // Only an edit (same GUID, same count of articles) is a change readers see too.
    version = 4;
    items[1] = { ...items[1]!, title: 'Border wall plans in Texas stall' };
    clock.advanceMinutes(31);
    const [fifth] = await refresh();
    expect(fifth).toMatchObject({ outcome: 'ok', created: 0, updated: 1 });
    expect(await readDataVersion(t.db)).not.toBe(dataVersion);
  });

  it('one story carried by two feeds (tracking parameters differ) is one article with two sources', async () => {
    srv.route('/f1', withEtag(() => ({ body: rss('One', [{ guid: 'x', title: 'Story', link: 'https://news.example/story?utm_medium=rss' }]), etag: '"1"' })));
    srv.route('/f2', withEtag(() => ({ body: rss('Two', [{ guid: 'y', title: 'Story', link: 'https://news.example/story?fbclid=abc' }]), etag: '"1"' })));
    await addSource('/f1');
    await addSource('/f2');
    await refresh();
    expect(await articleCount()).toBe(1);
    const links = await t.db.selectFrom('source_items').select(['source_id', 'article_id']).execute();
    expect(links).toHaveLength(2);
    expect(new Set(links.map((l) => l.article_id)).size).toBe(1);
  });

  it('429 and 503 honour Retry-After; errors back off and are recorded on the source', async () => {
    srv.route('/busy', (_q, res) => void res.writeHead(429, { 'retry-after': '7200' }).end());
    srv.route('/down', (_q, res) => void res.writeHead(503, { 'retry-after': new Date(clock.now().getTime() + 3 * 3600_000).toUTCString() }).end());
    srv.route('/err', (_q, res) => void res.writeHead(500).end('boom'));
    const busy = await addSource('/busy');
    const down = await addSource('/down');
    const err = await addSource('/err');
    await refresh();
    const b = (await findSource(t.db, busy.id))!;
    expect(b).toMatchObject({ lastErrorCode: 'fetch_rate_limited', lastStatus: 429, errorCount: 1 });
    expect(b.nextCheckAt.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(7200_000);
    const d = (await findSource(t.db, down.id))!;
    expect(d.nextCheckAt.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(3 * 3600_000 - 2000);
    const e1 = (await findSource(t.db, err.id))!;
    expect(e1).toMatchObject({ lastErrorCode: 'fetch_http_error', lastStatus: 500, errorCount: 1, status: 'active' });
    const firstDelay = e1.nextCheckAt.getTime() - clock.now().getTime();

    // The failing feed is retried later with a longer delay, never dropped.
    clock.t = e1.nextCheckAt;
    await refreshDueSources(refreshDeps(t, clock), { onlyIds: [err.id] });
    const e2 = (await findSource(t.db, err.id))!;
    expect(e2.errorCount).toBe(2);
    expect(e2.nextCheckAt.getTime() - clock.now().getTime()).toBeGreaterThan(firstDelay * 1.2);
  });

  it('follows temporary redirects without changing the URL; adopts a permanent one after repeated confirmation', async () => {
    const feed = rss('Moved', [{ guid: 'm1', title: 'Moved item', link: 'https://news.example/m1' }]);
    srv.route('/new-home', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed));
    srv.route('/temp', (_q, res) => void res.writeHead(302, { location: '/new-home' }).end());
    srv.route('/old', (_q, res) => void res.writeHead(301, { location: srv.url('/new-home') }).end());
    const temp = await addSource('/temp');
    const old = await addSource('/old');

    for (let i = 1; i <= 3; i++) {
      await refresh();
      const o = (await findSource(t.db, old.id))!;
      if (i < 3) expect(o).toMatchObject({ url: srv.url('/old'), redirectCount: i, redirectUrl: srv.url('/new-home') });
      else expect(o.url).toBe(srv.url('/new-home'));
      expect((await findSource(t.db, temp.id))!.url).toBe(srv.url('/temp'));
      clock.advanceMinutes(31);
    }
    expect(await articleCount()).toBe(1);
  });

  it('410 retires the source; redirect loops, timeouts and oversized bodies are typed errors; the run goes on', async () => {
    srv.route('/gone', (_q, res) => void res.writeHead(410).end());
    srv.route('/loop', (_q, res) => void res.writeHead(302, { location: '/loop' }).end());
    srv.route('/hang', () => new Promise(() => {}));
    srv.route('/big', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end('<rss>' + 'x'.repeat(300_000) + '</rss>');
    });
    // 50 MB of spaces compress to ~50 KB: the cap must apply to the decompressed stream.
    const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    srv.route('/bomb', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    srv.route('/html', (_q, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>Not a feed</body></html>'));
    srv.route('/good', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Good', [{ guid: 'g', title: 'Good item', link: 'https://news.example/g' }])));
    const ids = {
      gone: (await addSource('/gone')).id,
      loop: (await addSource('/loop')).id,
      hang: (await addSource('/hang')).id,
      big: (await addSource('/big')).id,
      bomb: (await addSource('/bomb')).id,
      html: (await addSource('/html')).id,
      good: (await addSource('/good')).id,
    };
    const outcomes = await refresh(testConfig({ FETCH_TIMEOUT_MS: '1500', FETCH_MAX_BYTES: '200000' }));
    expect(outcomes).toHaveLength(7);
    const code = async (id: number) => (await findSource(t.db, id))!;
    expect(await code(ids.gone)).toMatchObject({ status: 'retired', lastErrorCode: 'fetch_gone', lastStatus: 410 });
    expect((await code(ids.loop)).lastErrorCode).toBe('fetch_too_many_redirects');
    expect((await code(ids.hang)).lastErrorCode).toBe('fetch_timeout');
    expect((await code(ids.big)).lastErrorCode).toBe('fetch_too_large');
    expect((await code(ids.bomb)).lastErrorCode).toBe('fetch_too_large');
    expect((await code(ids.html)).lastErrorCode).toBe('parse_not_a_feed');
    expect(await code(ids.good)).toMatchObject({ lastErrorCode: null, itemsStored: 1 });
    expect(srv.hits.get('/loop')).toBe(6); // the request plus 5 redirects
  });

  it('concurrent passes (two workers) fetch every due feed exactly once and store no duplicates', async () => {
    const shared = { guid: 'wire', title: 'Wire story: troops deployed to the border', link: 'https://wire.example/story' };
    for (let i = 0; i < 30; i++) {
      srv.route(`/c${i}`, withEtag(() => ({ body: rss(`C${i}`, [shared, { guid: `own${i}`, title: `Own ${i}`, link: `https://o${i}.example/x` }]), etag: '"1"' })));
      await addSource(`/c${i}`);
    }
    const config = testConfig({ REFRESH_BATCH_SIZE: '4' });
    const a = refreshDueSources(refreshDeps(t, clock, config), { owner: 'worker-a' });
    const b = refreshDueSources(refreshDeps(t, clock, config), { owner: 'worker-b' });
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.length + rb.length).toBe(30);
    for (let i = 0; i < 30; i++) expect(srv.hits.get(`/c${i}`)).toBe(1);
    expect(await articleCount()).toBe(31);
    const dup = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT dedup_key FROM articles GROUP BY 1 HAVING count(*) > 1) d`.execute(t.db);
    expect(Number(dup.rows[0]!.n)).toBe(0);
  });

  // A pass's 304s are recorded a batch at a time (src/services/not-modified-batch.ts): each source ends exactly as a
  // 304 recorded by its own statement would, and a write that fails loses nothing (the lease runs out, the feed is
  // fetched again).
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
