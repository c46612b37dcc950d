import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { rss, startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { ADMIN_TOKEN, getJson, makeApp } from './api-helpers.js';

// POST /v1/sources fetches the URL once through the ingest's fetch path before storing it.
describe('POST /v1/sources checks the feed first', () => {
  let t: TestDb;
  let srv: FeedServer;
  let app: ReturnType<typeof makeApp>;
  const headers = { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
  const post = (body: unknown, query = '') => getJson(app, `/v1/sources${query}`, { method: 'POST', headers, body: JSON.stringify(body) });

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    srv.route('/feed.xml', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Border Desk', [{ guid: '1', title: 'x' }])));
    srv.route('/page.html', (_q, res) =>
      void res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="feed.xml"><link rel="alternate" type="application/atom+xml" href="/atom"></head></html>'),
    );
    app = makeApp(t, { ADMIN_TOKEN });
  });
  afterAll(async () => {
    await srv?.close();
    await t?.close();
  });

  it('refuses an HTML page with 422 and its advertised feeds as suggestions', async () => {
    const r = await post({ url: srv.url('/page.html') });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('parse_not_a_feed');
    expect(r.body.error.suggestions).toEqual([srv.url('/feed.xml'), srv.url('/atom')]);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a 404 and a blocked address with the message fetch gives', async () => {
    const missing = await post({ url: srv.url('/missing') });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: 'fetch_http_error', suggestions: [] });
    expect(missing.body.error.message).toContain('HTTP 404');
    const blockedApp = makeApp(t, { ADMIN_TOKEN, ALLOW_PRIVATE_SOURCES: 'false' });
    const blocked = await getJson(blockedApp, '/v1/sources', { method: 'POST', headers, body: JSON.stringify({ url: srv.url('/feed.xml') }) });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.code).toBe('fetch_blocked_address');
    expect((await getJson(app, '/v1/sources')).body.data).toEqual([]);
  });

  it('adds a good feed (named by its title), and skips the check with check: false or ?check=false', async () => {
    const hits = srv.hits.get('/feed.xml') ?? 0;
    const ok = await post({ url: srv.url('/feed.xml') });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ url: srv.url('/feed.xml'), name: 'Border Desk' });
    expect(srv.hits.get('/feed.xml')).toBe(hits + 1);
    // A known URL is a conflict before any fetch.
    expect((await post({ url: srv.url('/feed.xml') })).status).toBe(409);
    expect(srv.hits.get('/feed.xml')).toBe(hits + 1);

    const body = await post({ url: srv.url('/not-yet'), check: false });
    expect(body.status).toBe(201);
    const query = await post({ url: srv.url('/not-yet-either') }, '?check=false');
    expect(query.status).toBe(201);
    expect(srv.hits.has('/not-yet')).toBe(false);
    expect(srv.hits.has('/not-yet-either')).toBe(false);
  });
});
