// Issue 20, item 1: a first start without network. Every source fails; the home page must say so (and link the
// Sources page) instead of only "No events on this topic yet", and the operator gets one summary line per refresh
// pass. Real components throughout: the composition root, the refresh job, the resolver (".invalid" names never
// resolve, RFC 6761, online or offline), a local feed server, the pages through app.request().
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { createDataVersion } from '../../api/http-cache.js';
import { insertSources, markSourcesDue } from '../../db/repositories/sources.repository.js';
import { findDataVersion } from '../../db/repositories/stories.repository.js';
import { refreshFeedsJob } from '../../jobs/refresh-feeds.job.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { emptyStore, createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { testConfig, TestClock } from '../helpers/deps.js';
import { rss, startFeedServer, withEtag, type FeedServer } from '../helpers/feed-server.js';

const HTML = { headers: { accept: 'text/html,application/xhtml+xml' } };

/** A pino logger writing into an array, one parsed object per line (what an operator's log shows). */
function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

describe(`first start: sources failing, the home page and the log say so (${dbKind})`, () => {
  let t: TestDb;
  let deps: Deps;
  let srv: FeedServer;
  const clock = new TestClock();
  const log = captureLogger();
  const config = testConfig({ ALLOW_PRIVATE_SOURCES: 'true', READ_THREADS: '0', PUBLIC_BASE_URL: 'http://frontera.test', RATE_LIMIT_PER_MINUTE: '0' });
  let app: ReturnType<typeof createApp>;
  const page = async (path: string) => {
    const r = await app.request(path, HTML);
    return { status: r.status, body: await r.text() };
  };
  const pass = async () => {
    clock.advanceMinutes(61);
    await markSourcesDue(t.db, clock.now());
    return refreshFeedsJob(deps);
  };
  const passLines = () => log.lines.filter((l) => l['event'] === 'refresh_pass');

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    deps = await createDeps(config, { handle: t, migrate: false, seed: false, logger: log.logger, clock: clock.now });
    app = createApp({ db: t.db, config, logger: pino({ level: 'silent' }), clock: clock.now, topics: deps.topics }, { version: createDataVersion(() => findDataVersion(t.db), 0) });
  });
  afterAll(async () => {
    await srv?.close();
    await deps?.readPool?.close();
    await t?.close();
  });

  it('before the first pass has finished: "No source has delivered yet", the first fetch is under way', async () => {
    await insertSources(t.db, [1, 2, 3].map((n) => ({ url: `http://feed-${n}.frontera-offline.invalid/rss` })), clock.now());
    const r = await page('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('No events on this topic yet.');
    expect(r.body).toContain('<strong>No source has delivered yet</strong>: the first fetch has not finished.');
    expect(r.body).toMatch(/<a href="\/sources">Sources page<\/a>/);
  });

  it('offline: every source fails; the home page (every topic) names the failing sources and links the Sources page', async () => {
    const summary = await pass();
    expect(summary).toMatchObject({ sources: 3, ok: 0, not_modified: 0, errors: 3, created: 0 });
    for (const path of ['/', '/?topic=fentanyl-trafficking']) {
      const r = await page(path);
      expect(r.status, path).toBe(200);
      expect(r.body, path).toContain('No events on this topic yet.');
      expect(r.body, path).toContain('<strong>No source has delivered yet</strong>: 3 sources failing. See the <a href="/sources">Sources page</a>');
    }
    // The Sources page counts the same failing sources (one reading of health, source-health.ts).
    expect((await page('/sources')).body).toContain('; 3 failing.');
  });

  it('logs one summary line for the offline pass: 0 ok, 0 not modified, 3 failed, 0 new items', () => {
    const lines = passLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, event: 'refresh_pass', sources: 3, ok: 0, not_modified: 0, failed: 3, items_new: 0 });
    expect(lines[0]!['msg']).toBe('refresh pass: 3 sources, 0 ok, 0 not modified, 3 failed; 0 new items');
    expect(lines[0]!['duration_ms']).toEqual(expect.any(Number));
  });

  it('once some sources deliver, an empty topic still says how many are failing; the summary counts ok, 304, failures and new items', async () => {
    await emptyStore(t.db);
    log.lines.length = 0;
    const items = [1, 2].map((i) => ({ guid: `a-${i}`, title: `Local item ${i}`, link: `https://local.example/a-${i}` }));
    srv.route('/plain.rss', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(rss('Plain', items)));
    srv.route('/etag.rss', withEtag(() => ({ body: rss('Etag', [{ guid: 'e-1', title: 'Etag item', link: 'https://local.example/e-1' }]), etag: '"v1"' })));
    await insertSources(t.db, [{ url: srv.url('/plain.rss') }, { url: srv.url('/etag.rss') }, { url: 'http://down.frontera-offline.invalid/rss' }], clock.now());

    await pass();
    await pass();
    const [first, second] = passLines();
    expect(first).toMatchObject({ sources: 3, ok: 2, not_modified: 0, failed: 1, items_new: 3 });
    expect(first!['msg']).toBe('refresh pass: 3 sources, 2 ok, 0 not modified, 1 failed; 3 new items');
    expect(second).toMatchObject({ sources: 3, ok: 1, not_modified: 1, failed: 1, items_new: 0 });
    expect(second!['msg']).toBe('refresh pass: 3 sources, 1 ok, 1 not modified, 1 failed; 0 new items');

    // The local items are off the beat, so the page is empty; sources did deliver, one is failing.
    const r = await page('/');
    expect(r.body).toContain('No events on this topic yet.');
    expect(r.body).not.toContain('No source has delivered yet');
    expect(r.body).toContain('<strong>1 source failing</strong> of 3 active. See the <a href="/sources">Sources page</a>');
  });

  it('no sources at all: says how to add one', async () => {
    await emptyStore(t.db);
    const r = await page('/');
    expect(r.body).toContain('No sources yet');
    expect(r.body).not.toContain('No source has delivered yet');
  });
});
