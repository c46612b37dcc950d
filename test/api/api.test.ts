import fs from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { weakEtag } from '../../api/http-cache.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { ADMIN_TOKEN, QueryCounter, beatTopics, getJson, makeApp, walk } from './api-helpers.js';
import { seed, type Seeded } from './seed.js';

describe(`HTTP API (${dbKind})`, () => {
  let t: TestDb;
  let s: Seeded;
  let app: ReturnType<typeof makeApp>;

  beforeAll(async () => {
    t = await createTestDb();
    s = await seed(t.db);
    app = makeApp(t, { ADMIN_TOKEN });
  });
  afterAll(async () => t?.close());

  describe('topics', () => {
    it('lists `all` and every rules topic with on-beat story counts and last update', async () => {
      const r = await getJson(app, '/v1/topics');
      expect(r.status).toBe(200);
      const slugs = r.body.data.map((x: any) => x.slug);
      expect(slugs).toEqual(['all', ...beatTopics().map((x) => x.slug)]);
      const all = r.body.data[0];
      expect(all.storyCount).toBe(s.onBeatStoryIds.length);
      expect(all.lastUpdatedAt).toBe('2026-11-25T11:50:00.123Z'); // the adjacent/off-beat stories are newer but not counted
      const fent = r.body.data.find((x: any) => x.slug === 'fentanyl-trafficking');
      expect(fent.storyCount).toBe(1 + 5); // the live hand-written one + 5 generated (merged ones excluded)
      expect(fent.links.rss).toBe('http://frontera.test/feeds/fentanyl-trafficking.rss');
      expect(r.headers.get('cache-control')).toBe('public, max-age=60');
    });

    it('walking every page returns each on-beat story exactly once, newest event first, in ≤ 2 queries per page', async () => {
      const counter = new QueryCounter();
      const counted = makeApp(t, {}, counter);
      const { items, pages } = await walk(counted, '/v1/topics/all/stories?limit=7');
      expect(items.map((x) => x.id).sort((a, b) => a - b)).toEqual([...s.onBeatStoryIds].sort((a, b) => a - b));
      expect(new Set(items.map((x) => x.id)).size).toBe(items.length);
      expect(pages).toBe(Math.ceil(s.onBeatStoryIds.length / 7));
      for (let i = 1; i < items.length; i++) {
        const [a, b] = [items[i - 1], items[i]];
        expect(a.eventAt >= b.eventAt).toBe(true);
        if (a.eventAt === b.eventAt) expect(a.id).toBeGreaterThan(b.id);
      }
      // stories + their articles per page, plus the data-version check per request.
      expect(counter.count).toBeLessThanOrEqual(pages * 3);
      expect(items.every((x) => x.relevance === 'on_beat')).toBe(true);
      expect(items.map((x) => x.id)).not.toContain(s.stories['fentanyl-dup']);
    });

    it('each story carries its first report, counts and related coverage', async () => {
      const r = await getJson(app, '/v1/topics/extradition-justice/stories');
      const st = r.body.data.find((x: any) => x.id === s.stories['extradition']);
      expect(st).toMatchObject({
        headline: 'Sinaloa cartel leader extradited to the United States',
        url: 'https://www.reuters.example/world/sinaloa-extradited',
        firstReport: { source: { id: s.sources['reuters'], name: 'Reuters' }, publishedAt: '2026-11-25T07:00:00.000Z' },
        articleCount: 3,
        outletCount: 3,
        languageCount: 2,
        languages: { en: 2, es: 1 },
      });
      expect(st.articles.map((a: any) => [a.source.name, a.lang])).toEqual([
        ['Reuters', 'en'],
        ['El Universal', 'es'],
        ['AP News', 'en'],
      ]);
      expect(st.articles[1]).toMatchObject({ title: 'Extraditan a EU a líder del cártel de Sinaloa detenido en Culiacán', publishedAt: '2026-11-25T08:00:00.000Z' });
    });

    it('filters: lang, source, since/until; topic lists hold only that topic', async () => {
      const es = await walk(app, '/v1/topics/all/stories?lang=es&limit=100');
      expect(es.items.length).toBeGreaterThan(3);
      expect(es.items.every((x) => x.languages.es > 0)).toBe(true);
      expect(es.items.map((x) => x.id)).not.toContain(s.stories['guns']);

      // AP also carried Reuters' extradition article: the story is on AP's list.
      const ap = await walk(app, `/v1/topics/all/stories?source=${s.sources['ap']}&limit=100`);
      expect(ap.items.map((x) => x.id)).toContain(s.stories['extradition']);
      expect(ap.items.map((x) => x.id)).not.toContain(s.stories['culiacan']);

      const recent = await walk(app, '/v1/topics/all/stories?since=2026-11-25T00:00:00Z');
      expect(recent.items.map((x) => x.id).sort()).toEqual(
        [s.stories['extradition'], s.stories['fentanyl'], s.stories['culiacan'], s.stories['guns']].sort(),
      );
      const older = await walk(app, '/v1/topics/all/stories?until=2026-11-25&limit=100');
      expect(older.items.length).toBe(s.onBeatStoryIds.length - 4);

      const border = await walk(app, '/v1/topics/border-security/stories?limit=5');
      expect(border.items.every((x) => x.topics.includes('border-security'))).toBe(true);
    });

    it('rejects bad parameters with 400 naming the parameter, unknown topics with 404', async () => {
      for (const [q, param] of [
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['limit=abc', 'limit'],
        ['since=yesterday', 'since'],
        ['lang=Spanish', 'lang'],
        ['source=-1', 'source'],
        ['cursor=not-a-cursor', 'cursor'],
        [`cursor=${Buffer.from('["k",1.5,2]').toString('base64url')}`, 'cursor'],
      ] as const) {
        const r = await getJson(app, `/v1/topics/all/stories?${q}`);
        expect(r.status, q).toBe(400);
        expect(r.body.error).toMatchObject({ code: 'invalid_parameter', parameter: param });
        expect(r.body.error.message).toContain(param);
        expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts/);
      }
      const nf = await getJson(app, '/v1/topics/no-such-topic/stories');
      expect(nf.status).toBe(404);
      expect(nf.body.error.code).toBe('not_found');
      expect(nf.headers.get('cache-control')).toBe('no-store');
    });
  });

  describe('stories', () => {
    it('returns one story with all its articles, merged ids and related stories', async () => {
      const r = await getJson(app, `/v1/stories/${s.stories['fentanyl']}`);
      expect(r.status).toBe(200);
      expect(r.body.articles).toHaveLength(3);
      expect(r.body.mergedFrom.sort()).toEqual([s.stories['fentanyl-dup'], s.stories['fentanyl-dup2']].sort());

      const ex = await getJson(app, `/v1/stories/${s.stories['extradition']}`);
      const culiacan = ex.body.related.find((x: any) => x.id === s.stories['culiacan']);
      expect(culiacan).toMatchObject({ reason: 'storyline', shared: ['organization:sinaloa-cartel', 'place:culiacan'] });
      expect(ex.body.related.map((x: any) => x.id)).not.toContain(s.stories['extradition']);
      expect(ex.body.related.every((x: any) => x.reason === 'storyline')).toBe(true);
      // Stored both ways: the Culiacán story lists the extradition.
      const back = await getJson(app, `/v1/stories/${s.stories['culiacan']}`);
      expect(back.body.related.map((x: any) => x.id)).toContain(s.stories['extradition']);
      expect(ex.body.roundups).toEqual([]);
    });

    it('a merged story answers 301 to the survivor, through chains of merges', async () => {
      for (const key of ['fentanyl-dup', 'fentanyl-dup2']) {
        const r = await app.request(`/v1/stories/${s.stories[key]}`);
        expect(r.status).toBe(301);
        expect(r.headers.get('location')).toBe(`http://frontera.test/v1/stories/${s.stories['fentanyl']}`);
      }
    });

    it('404 for an unknown story, 400 for a malformed id', async () => {
      expect((await getJson(app, '/v1/stories/999999')).status).toBe(404);
      const bad = await getJson(app, '/v1/stories/abc');
      expect(bad.status).toBe(400);
      expect(bad.body.error.parameter).toBe('id');
    });
  });

  describe('articles', () => {
    it('walking every page returns each article exactly once, newest published first', async () => {
      const counter = new QueryCounter();
      const { items, pages } = await walk(makeApp(t, {}, counter), '/v1/articles?limit=9');
      expect(items.map((x) => x.id).sort((a, b) => a - b)).toEqual([...s.allArticleIds].sort((a, b) => a - b));
      for (let i = 1; i < items.length; i++) expect(items[i - 1].publishedAt >= items[i].publishedAt).toBe(true);
      expect(counter.count).toBeLessThanOrEqual(pages * 3);
    });

    it('filters by topic, relevance, language, source and time', async () => {
      const adj = await walk(app, '/v1/articles?relevance=adjacent');
      expect(adj.items.map((x) => x.title)).toEqual(['Mexican peso rises after security talks']);
      const topic = await walk(app, '/v1/articles?topic=arms-trafficking');
      expect(topic.items).toHaveLength(1);
      const es = await walk(app, '/v1/articles?lang=es&limit=100');
      expect(es.items.every((x) => x.language === 'es')).toBe(true);
      const ap = await walk(app, `/v1/articles?source=${s.sources['ap']}&limit=100`);
      expect(ap.items.every((x) => x.sources.some((c: any) => c.id === s.sources['ap']))).toBe(true);
      expect(ap.items.map((x) => x.id)).toContain(s.articles['extradition/0']); // carried, not first delivered
      const win = await walk(app, '/v1/articles?since=2026-11-25T10:00:00Z&until=2026-11-25T11:00:00Z');
      expect(win.items.every((x) => x.publishedAt >= '2026-11-25T10:00:00' && x.publishedAt < '2026-11-25T11:00:00')).toBe(true);
      expect(win.items.length).toBeGreaterThan(0);
    });

    it('one article: first source, every carrier, classification and evidence', async () => {
      const r = await getJson(app, `/v1/articles/${s.articles['extradition/0']}`);
      expect(r.body).toMatchObject({
        url: 'https://www.reuters.example/world/sinaloa-extradited',
        canonicalUrl: 'https://reuters.example/world/sinaloa-extradited',
        source: { id: s.sources['reuters'], name: 'Reuters' },
        language: 'en',
        relevance: 'on_beat',
        score: 7.5,
        topics: ['extradition-justice', 'cartel-violence'],
        storyId: s.stories['extradition'],
        duplicateOf: null,
      });
      expect(r.body.sources.map((x: any) => x.name)).toEqual(['Reuters', 'AP News']);
      expect(r.body.entities[0]).toMatchObject({ id: 'organization:sinaloa-cartel', kind: 'organization' });
      expect(r.body.evidence[0].rule).toContain('topic:extradition-justice');
      expect((await getJson(app, '/v1/articles/424242')).status).toBe(404);
    });
  });

  describe('search', () => {
    it('finds both languages with accents folded, ranked, with escaped <mark> snippets', async () => {
      const r = await getJson(app, '/v1/search?q=culiacan');
      expect(r.status).toBe(200);
      const titles = r.body.data.map((h: any) => h.article.title);
      expect(titles).toContain('Despliegan al Ejército en Culiacán tras enfrentamientos del cártel de Sinaloa');
      const hit = r.body.data[0];
      expect(hit.titleHtml + hit.snippetHtml).toContain('<mark>Culiacán</mark>');
      for (let i = 1; i < r.body.data.length; i++) expect(r.body.data[i - 1].rank).toBeGreaterThanOrEqual(r.body.data[i].rank);

      // English stemming ("extradited" ~ "extradition"), Spanish stemming ("fentanilo"), accents in the query.
      expect((await getJson(app, '/v1/search?q=extradition')).body.data.length).toBeGreaterThan(0);
      const fent = await getJson(app, '/v1/search?q=fentanilo%20r%C3%A9cord');
      expect(fent.body.data[0].article.title).toBe('Aseguran cargamento récord de fentanilo en Nogales');
      expect((await getJson(app, '/v1/search?q=C%C3%81RTEL')).body.data.length).toBeGreaterThan(0);
    });

    it('escapes everything but the <mark> tags it adds', async () => {
      const r = await getJson(app, '/v1/search?q=ammo%20rifles');
      const hit = r.body.data[0];
      expect(hit.titleHtml).toContain('&lt;b&gt;<mark>ammo</mark>&lt;/b&gt;');
      expect(hit.titleHtml).toContain('&amp;');
      expect(hit.titleHtml).not.toMatch(/\u0001/);
      // ts_headline drops tag-like tokens from the excerpt; whatever remains is escaped text.
      expect(hit.snippetHtml).toContain('<mark>rifles</mark>');
      expect(hit.snippetHtml).not.toContain('<script');
      expect((hit.titleHtml + hit.snippetHtml).replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    });

    it('web-search syntax, filters and pagination over ranked hits', async () => {
      const phrase = await getJson(app, '/v1/search?q=%22Sinaloa%20cartel%22%20-extradited');
      expect(phrase.body.data.every((h: any) => !/extradited/i.test(h.article.title))).toBe(true);
      const es = await getJson(app, '/v1/search?q=sinaloa&lang=es');
      expect(es.body.data.every((h: any) => h.article.language === 'es')).toBe(true);
      const all = await walk(app, '/v1/search?q=operation%20OR%20operativo&limit=4');
      expect(all.items.length).toBeGreaterThan(20);
      expect(new Set(all.items.map((h) => h.article.id)).size).toBe(all.items.length);
      expect((await getJson(app, '/v1/search?q=a')).body.data).toEqual([]); // a stopword in both languages
      const empty = await getJson(app, '/v1/search?q=');
      expect(empty.status).toBe(400);
      expect(empty.body.error.parameter).toBe('q');
      expect((await getJson(app, '/v1/search')).body.error.parameter).toBe('q');
    });

    it('searches the beat: an off-beat article is not indexed until reclassification puts it on the beat', async () => {
      // (Two query texts: the response cache keys on data the reclassification below does not touch.)
      expect((await getJson(app, '/v1/search?q=hurricane')).body.data).toEqual([]);
      const id = (await t.db.selectFrom('articles').select('id').where('url', '=', 'https://apnews.example/article/hurricane').executeTakeFirstOrThrow()).id;
      try {
        await t.db.updateTable('articles').set({ relevance: 'adjacent' }).where('id', '=', id).execute();
        expect((await getJson(app, '/v1/search?q=landfall')).body.data.map((h: any) => h.article.id)).toEqual([id]);
      } finally {
        await t.db.updateTable('articles').set({ relevance: 'off_beat' }).where('id', '=', id).execute();
      }
    });
  });

  describe('sources and admin', () => {
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

    it('lists every source with its health', async () => {
      const r = await getJson(app, '/v1/sources');
      expect(r.body.data).toHaveLength(6);
      const reuters = r.body.data.find((x: any) => x.name === 'Reuters');
      expect(reuters).toMatchObject({ status: 'active', fetchCount: 20, notModifiedCount: 15, notModifiedShare: 0.75, itemsStored: 12, lastStatus: 200 });
      const border = r.body.data.find((x: any) => x.name === 'Border Report');
      expect(border).toMatchObject({ status: 'paused', errorCount: 3, lastErrorCode: 'fetch_http_error', lastErrorMessage: 'HTTP 503' });
    });

    it('admin routes: 403 when disabled, 401 without or with a wrong token', async () => {
      const disabled = makeApp(t);
      const r403 = await getJson(disabled, '/v1/sources/export', { headers: auth });
      expect(r403.status).toBe(403);
      expect(r403.body.error.message).toContain('admin disabled');
      for (const headers of [{}, { Authorization: 'Bearer wrong-token-wrong-token' }, { Authorization: ADMIN_TOKEN }] as Record<string, string>[]) {
        const r = await getJson(app, '/v1/refresh', { method: 'POST', headers });
        expect(r.status).toBe(401);
        expect(r.headers.get('www-authenticate')).toContain('Bearer');
      }
    });

    it('adds, edits, deletes, imports and exports sources; refresh marks them due', async () => {
      const json = { ...auth, 'Content-Type': 'application/json' };
      const add = await getJson(app, '/v1/sources', { method: 'POST', headers: json, body: JSON.stringify({ url: 'https://www.proceso.example/rss/', name: 'Proceso', lang: 'es-MX', check: false }) });
      expect(add.status).toBe(201);
      expect(add.body).toMatchObject({ url: 'https://www.proceso.example/rss/', name: 'Proceso', lang: 'es', status: 'active' });
      expect(add.headers.get('cache-control')).toBe('no-store');
      const dup = await getJson(app, '/v1/sources', { method: 'POST', headers: json, body: JSON.stringify({ url: 'https://www.proceso.example/rss/' }) });
      expect(dup.status).toBe(409);
      const bad = await getJson(app, '/v1/sources', { method: 'POST', headers: json, body: JSON.stringify({ url: 'ftp://x.example/feed' }) });
      expect(bad.status).toBe(400);
      expect(bad.body.error.parameter).toBe('url');
      const missing = await getJson(app, '/v1/sources', { method: 'POST', headers: json, body: JSON.stringify({ name: 'x' }) });
      expect(missing.body.error.parameter).toBe('url');

      const id = add.body.id;
      const patched = await getJson(app, `/v1/sources/${id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ name: 'Proceso (MX)', status: 'paused' }) });
      expect(patched.body).toMatchObject({ name: 'Proceso (MX)', status: 'paused' });
      const clash = await getJson(app, `/v1/sources/${id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ url: 'https://feeds.example.com/reuters/world.xml' }) });
      expect(clash.status).toBe(409);
      expect((await getJson(app, `/v1/sources/${id}`, { method: 'PATCH', headers: json, body: '{}' })).status).toBe(400);
      expect((await app.request(`/v1/sources/${id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
      expect((await getJson(app, `/v1/sources/${id}`, { method: 'DELETE', headers: auth })).status).toBe(404);

      const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
        <outline text="Animal Político" type="rss" xmlUrl="https://animalpolitico.example/feed/" language="es"/>
        <outline text="Bad" type="rss" xmlUrl="javascript:alert(1)"/>
        <outline text="Reuters again" type="rss" xmlUrl="https://feeds.example.com/reuters/world.xml"/></body></opml>`;
      const imp = await getJson(app, '/v1/sources/import', { method: 'POST', headers: { ...auth, 'Content-Type': 'text/x-opml' }, body: opml });
      expect(imp.status).toBe(200);
      expect(imp.body.added.map((x: any) => x.name)).toEqual(['Animal Político']);
      expect(imp.body.invalid).toEqual(['javascript:alert(1)']);
      const notOpml = await getJson(app, '/v1/sources/import', { method: 'POST', headers: { ...auth, 'Content-Type': 'text/x-opml' }, body: '<html>' });
      expect(notOpml.status).toBe(400);
      const big = await getJson(app, '/v1/sources/import', { method: 'POST', headers: { ...auth, 'Content-Type': 'text/x-opml' }, body: 'x'.repeat(1024 * 1024 + 1) });
      expect(big.status).toBe(413);

      const exp = await app.request('/v1/sources/export', { headers: auth });
      expect(exp.headers.get('content-type')).toContain('text/x-opml');
      const text = await exp.text();
      expect(text).toContain('xmlUrl="https://animalpolitico.example/feed/"');
      expect(text).not.toContain('defunct.xml'); // retired sources are not exported

      await sql`UPDATE sources SET next_check_at = now() + interval '1 day'`.execute(t.db);
      const ref = await getJson(app, '/v1/refresh', { method: 'POST', headers: auth });
      expect(ref.status).toBe(202);
      expect(ref.body.marked).toBe(5); // active sources only: the 4 seeded active ones + the import
      const due = await sql<{ n: number }>`SELECT count(*) AS n FROM sources WHERE status = 'active' AND next_check_at <= now()`.execute(t.db);
      expect(Number(due.rows[0]!.n)).toBe(5);
    });
  });

  describe('HTTP behaviour', () => {
    it('weak ETag on every GET, 304 on If-None-Match, CORS for GET, request id', async () => {
      const r = await app.request('/v1/topics', { headers: { Origin: 'https://example.org' } });
      const etag = r.headers.get('etag')!;
      expect(etag).toMatch(/^W\/"[\w-]+"$/);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      expect(r.headers.get('x-request-id')).toBeTruthy();
      const again = await app.request('/v1/topics', { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('public, max-age=60');
      expect((await app.request('/v1/topics', { headers: { 'If-None-Match': '"other", ' + etag.slice(2) } })).status).toBe(304);
      expect((await app.request('/v1/topics', { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
      const pre = await app.request('/v1/sources', { method: 'OPTIONS', headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'POST' } });
      expect(pre.headers.get('access-control-allow-methods')).not.toContain('POST');
    });

    it('routes outside the response cache get the same kind of ETag (hono/etag); errors and writes get none', async () => {
      const r = await app.request('/openapi.json', { headers: { Origin: 'https://example.org' } });
      const body = new Uint8Array(await r.arrayBuffer());
      const etag = r.headers.get('etag')!;
      expect(etag).toBe(weakEtag(body));
      const again = await app.request('/openapi.json', { headers: { 'If-None-Match': `"x", ${etag}`, Origin: 'https://example.org' } });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('x-request-id')).toBeTruthy();
      expect(again.headers.get('access-control-allow-origin')).toBe('*');
      expect(again.headers.get('content-type')).toBeNull();
      expect((await app.request('/openapi.json', { headers: { 'If-None-Match': '*' } })).status).toBe(304);
      const missing = await app.request('/v1/stories/999999', { headers: { 'If-None-Match': '*' } });
      expect(missing.status).toBe(404);
      expect(missing.headers.get('etag')).toBeNull();
      const write = await app.request('/v1/refresh', { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'If-None-Match': '*' } });
      expect(write.status).toBe(202);
      expect(write.headers.get('etag')).toBeNull();
    });

    it('the response cache serves the same bytes until the data changes', async () => {
      const first = await app.request('/v1/topics/all/stories?limit=1');
      const body1 = await first.text();
      const second = await app.request('/v1/topics/all/stories?limit=1');
      expect(second.headers.get('x-cache')).toBe('hit');
      expect(await second.text()).toBe(body1);
      // Later coverage of the newest event (culiacan): its activity moves, the list order does not.
      await sql`UPDATE stories SET last_updated_at = '2026-11-25T11:59:00Z', headline = 'Updated headline' WHERE id = ${s.stories['culiacan']}`.execute(t.db);
      const third = await getJson(app, '/v1/topics/all/stories?limit=1');
      expect(third.body.data[0].headline).toBe('Updated headline');
      expect(third.headers.get('etag')).not.toBe(second.headers.get('etag'));
    });

    it('rate limit per client: 429 JSON with Retry-After; other clients unaffected; health exempt', async () => {
      const limited = makeApp(t, { RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '3', TRUST_PROXY: 'true' });
      const from = (ip: string) => ({ headers: { 'X-Forwarded-For': `203.0.113.9, ${ip}` } });
      for (let i = 0; i < 3; i++) expect((await limited.request('/v1/topics', from('198.51.100.1'))).status).toBe(200);
      const r = await getJson(limited, '/v1/topics', from('198.51.100.1'));
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('rate_limited');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await limited.request('/v1/topics', from('198.51.100.2'))).status).toBe(200);
      expect((await limited.request('/healthz', from('198.51.100.1'))).status).toBe(200);
    });

    it('health, readiness and Prometheus metrics', async () => {
      expect((await getJson(app, '/healthz')).body).toEqual({ status: 'ok' });
      const ready = await getJson(app, '/readyz');
      expect(ready.body).toEqual({ status: 'ready' });
      expect(ready.headers.get('cache-control')).toBe('no-store');
      const m = await app.request('/metrics');
      expect(m.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      const text = await m.text();
      // prom-client writes the bucket's le label first.
      expect(text).toMatch(/frontera_http_request_duration_seconds_bucket\{le="0\.05",method="GET",route="\/v1\/topics\/:slug\/stories",status="200"\} \d+/);
      expect(text).toMatch(/frontera_http_request_duration_seconds_count\{method="GET",route="\/v1\/stories\/:id",status="301"\} \d+/);
      expect(text).toMatch(/frontera_sources\{status="retired"\} 1/);
      expect(text).toMatch(/frontera_source_fetches \d+/);
      expect(text).toMatch(/frontera_articles \d+/);
      expect(text).toMatch(/# TYPE frontera_stories gauge/);
    });

    it('OpenAPI 3.1 document and the /docs page: Swagger UI from swagger-ui-dist, a noscript list of the operations', async () => {
      const doc = await getJson(app, '/openapi.json');
      expect(doc.body.openapi).toBe('3.1.0');
      for (const p of ['/v1/topics', '/v1/topics/{slug}/stories', '/v1/stories/{id}', '/v1/articles', '/v1/articles/{id}', '/v1/search', '/v1/sources', '/v1/sources/{id}', '/v1/sources/import', '/v1/sources/export', '/v1/refresh', '/feeds/{topic}.rss', '/feeds/{topic}.atom', '/feeds/{topic}.json']) {
        expect(Object.keys(doc.body.paths), p).toContain(p);
      }
      expect(doc.body.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
      const page = await app.request('/docs');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await page.text();
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      const fallback = html.slice(html.indexOf('<noscript>'), html.indexOf('</noscript>'));
      expect(fallback).toContain('<a href="/openapi.json">/openapi.json</a>');
      expect(fallback).toContain('<li><span class="method">get</span> <code>/v1/topics/{slug}/stories</code> — A topic&apos;s on-beat stories');
      expect(fallback).toContain('<li><span class="method">post</span> <code>/v1/sources/import</code>');
      // Every asset the page links is served, versioned by its content hash, with its type.
      const bundled = fs.readFileSync(createRequire(import.meta.url).resolve('swagger-ui-dist/swagger-ui-bundle.js'));
      const links = [...html.matchAll(/(?:src|href)="(\/docs\/[^"?]+)\?v=([\w-]+)"/g)].map((m) => ({ path: m[1]!, v: m[2]! }));
      expect(links.map((l) => l.path).sort()).toEqual(['/docs/docs.css', '/docs/init.js', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css']);
      for (const { path, v } of links) {
        const r = await app.request(`${path}?v=${v}`);
        expect(r.status, path).toBe(200);
        expect(r.headers.get('content-type'), path).toBe(path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
        expect(r.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
        const body = Buffer.from(await r.arrayBuffer());
        if (path === '/docs/swagger-ui-bundle.js') expect(body.equals(bundled)).toBe(true);
        if (path === '/docs/init.js') expect(body.toString()).toContain("url: '/openapi.json'");
        const etag = r.headers.get('etag')!;
        expect(etag, path).toBe(`"${v}"`);
        expect((await app.request(path, { headers: { 'If-None-Match': etag } })).status, path).toBe(304);
      }
      expect((await app.request('/docs/swagger-ui-bundle.js')).headers.get('cache-control')).toBe('public, max-age=300');
      for (const p of ['/docs/app.js', '/docs/swagger-ui-bundle.js.map', '/docs/package.js']) expect((await app.request(p)).status, p).toBe(404);
    });

    it('unknown routes: JSON 404', async () => {
      const r = await getJson(app, '/nope');
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    });
  });
});
