import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startApi } from '../../api/server.js';
import { createLogger } from '../../src/logger.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { freePort } from '../helpers/net.js';
import { testConfig } from '../helpers/deps.js';
import { beatTopics, getJson, makeApp } from './api-helpers.js';
import { T0, seed, type Seeded } from './seed.js';

const run = promisify(execFile);

const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => p.startsWith('/') ? existsSync(p) : true)!;
async function hasFeedparser(): Promise<boolean> {
  try {
    await run(PYTHON, ['-c', 'import feedparser']);
    return true;
  } catch {
    return false;
  }
}
async function hasNewsboat(): Promise<boolean> {
  try {
    await run('newsboat', ['-v']);
    return true;
  } catch {
    return false;
  }
}

describe(`subscribable feeds (${dbKind})`, () => {
  let t: TestDb;
  let s: Seeded;
  let app: ReturnType<typeof makeApp>;

  beforeAll(async () => {
    t = await createTestDb();
    s = await seed(t.db);
    app = makeApp(t);
  });
  afterAll(async () => t?.close());

  it('serves RSS 2.0, Atom 1.0 and JSON Feed 1.1 with their media types and self links', async () => {
    const rss = await app.request('/feeds/all.rss');
    expect(rss.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const rssText = await rss.text();
    expect(rssText).toContain('<atom:link href="http://frontera.test/feeds/all.rss" rel="self" type="application/rss+xml"/>');
    expect(rssText).toContain(`<guid isPermaLink="false">urn:frontera:story:${s.stories['extradition']}</guid>`);

    const atom = await app.request('/feeds/border-security.atom');
    expect(atom.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const atomText = await atom.text();
    expect(atomText).toContain('<link rel="self" type="application/atom+xml" href="http://frontera.test/feeds/border-security.atom"/>');

    const json = await getJson(app, '/feeds/all.json?lang=es');
    expect(json.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    expect(json.body.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.body.feed_url).toBe('http://frontera.test/feeds/all.json?lang=es');
    const ex = json.body.items.find((i: any) => i.id === `urn:frontera:story:${s.stories['extradition']}`);
    expect(ex._frontera).toMatchObject({ storyId: s.stories['extradition'], outlets: ['Reuters', 'El Universal', 'AP News'] });
    expect(ex._frontera.articles).toHaveLength(3);
    expect(ex.date_modified).toBe('2026-11-25T11:50:00.123Z');
    // JSON Feed 1.1 requirements: string ids, content_html or content_text, RFC 3339 dates.
    for (const item of json.body.items) {
      expect(typeof item.id).toBe('string');
      expect(typeof (item.content_html ?? item.content_text)).toBe('string');
      expect(item.date_published).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    }
  });

  it('one item per story with the first report link and the related coverage in every format', async () => {
    const atomText = await (await app.request('/feeds/extradition-justice.atom')).text();
    expect(atomText).toContain('<link rel="alternate" type="text/html" href="https://www.reuters.example/world/sinaloa-extradited"/>');
    expect(atomText).toContain('<link rel="related" type="text/html" href="https://www.eluniversal.example/nacion/extraditan-lider"');
    expect(atomText).toContain('<link rel="related" type="text/html" href="https://apnews.example/article/sinaloa-boss"');
    const rssText = await (await app.request('/feeds/extradition-justice.rss')).text();
    expect(rssText).toContain('&lt;li&gt;&lt;a href=&quot;https://apnews.example/article/sinaloa-boss&quot;&gt;Mexico sends Sinaloa cartel boss to New York&lt;/a&gt; — AP News');
    // Only on-beat stories; never merged ones.
    const all = await getJson(app, '/feeds/all.json?limit=100');
    const ids = all.body.items.map((i: any) => i._frontera.storyId);
    expect(ids.sort()).toEqual([...s.onBeatStoryIds].sort());
  });

  it('?items=articles: one item per article', async () => {
    const j = await getJson(app, '/feeds/fentanyl-trafficking.json?items=articles&limit=100');
    expect(j.body.items.every((i: any) => i.id.startsWith('urn:frontera:article:'))).toBe(true);
    expect(j.body.items.map((i: any) => i.title)).toContain('Aseguran cargamento récord de fentanilo en Nogales');
    expect(j.body.feed_url).toBe('http://frontera.test/feeds/fentanyl-trafficking.json?items=articles&limit=100');
  });

  it('escapes hostile text and strips XML-invalid characters', async () => {
    for (const f of ['rss', 'atom', 'json']) {
      const text = await (await app.request(`/feeds/arms-trafficking.${f}`)).text();
      expect(text, f).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
      if (f !== 'json') expect(text, f).not.toMatch(/<b>|<script>/);
    }
    // JSON Feed: title and summary are plain text by definition; content_html is escaped HTML.
    const jf = await getJson(app, '/feeds/arms-trafficking.json');
    expect(jf.body.items[0].content_html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(jf.body.items[0].content_html).toContain('Guns &amp; &lt;b&gt;ammo&lt;/b&gt;');
    expect(jf.body.items[0].content_html).not.toMatch(/<b>|<script>/);
    const rss = await (await app.request('/feeds/arms-trafficking.rss')).text();
    expect(rss).toContain('<title>Guns &amp; &lt;b&gt;ammo&lt;/b&gt; smuggling ring &quot;Operation Río&quot; dismantled</title>');
    expect(rss).toContain('<link>https://www.reuters.example/world/guns?a=1&amp;b=2</link>');
  });

  it('GUIDs stay when a story gains coverage; its updated date and the ETag change; 304 otherwise', async () => {
    const before = await app.request('/feeds/cartel-violence.atom');
    const etag = before.headers.get('etag')!;
    expect((await app.request('/feeds/cartel-violence.atom', { headers: { 'If-None-Match': etag } })).status).toBe(304);
    const id = s.stories['culiacan']!;
    const art = await t.db
      .insertInto('articles')
      .values({
        dedup_key: 'url:new', url: 'https://apnews.example/article/culiacan-army', title: 'Mexico sends troops to Culiacán', lang: 'en',
        published_at: T0, first_seen_at: T0, updated_at: T0, content_hash: 'n', first_source_id: s.sources['ap']!, relevance: 'on_beat',
        topics: ['cartel-violence'], story_id: id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`UPDATE stories SET article_count = 3, outlet_count = 3, last_updated_at = ${T0}, lang_counts = '{"es":2,"en":1}' WHERE id = ${id}`.execute(t.db);
    const after = await app.request('/feeds/cartel-violence.atom', { headers: { 'If-None-Match': etag } });
    expect(after.status).toBe(200);
    const text = await after.text();
    const entry = text.slice(text.indexOf(`<id>urn:frontera:story:${id}</id>`));
    expect(entry.slice(0, 2000)).toContain('<updated>2026-11-25T12:00:00.000Z</updated>');
    expect(entry.slice(0, 3000)).toContain('https://apnews.example/article/culiacan-army');
    expect(text.match(new RegExp(`urn:frontera:story:${id}<`, 'g'))).toHaveLength(1);
    await t.db.deleteFrom('articles').where('id', '=', art.id).execute();
  });

  it('unknown topic: 404 JSON; bad parameters: 400; sources.opml', async () => {
    expect((await getJson(app, '/feeds/nope.rss')).status).toBe(404);
    expect((await getJson(app, '/feeds/all.rss?items=everything')).body.error.parameter).toBe('items');
    expect((await app.request('/feeds/all.xml')).status).toBe(404);
    const opml = await app.request('/feeds/sources.opml');
    expect(opml.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    expect(await opml.text()).toContain('xmlUrl="https://feeds.example.mx/eluniversal/seguridad.xml"');
  });

  describe('real clients against a real server', () => {
    let base: string;
    let close: (() => Promise<void>) | undefined;
    let tmp: string;
    beforeAll(async () => {
      const port = await freePort();
      const config = testConfig({ HOST: '127.0.0.1', PORT: String(port), RATE_LIMIT_PER_MINUTE: '0' });
      base = config.publicBaseUrl;
      close = await startApi({ db: t.db, config, logger: createLogger('silent'), clock: () => T0, topics: beatTopics() });
      tmp = mkdtempSync(path.join(os.tmpdir(), 'frontera-clients-'));
    });
    afterAll(async () => {
      await close?.();
      rmSync(tmp, { recursive: true, force: true });
    });

    const feedparserScript = `
import json, sys, feedparser
d = feedparser.parse(sys.argv[1])
print(json.dumps({
  "bozo": d.bozo, "bozo_exception": str(d.get("bozo_exception", "")), "version": d.version,
  "status": d.get("status"), "title": d.feed.get("title"),
  "entries": [{"id": e.get("id"), "title": e.get("title"), "link": e.get("link"),
               "published": list(e.published_parsed[:6]) if e.get("published_parsed") else None,
               "updated": list(e.updated_parsed[:6]) if e.get("updated_parsed") else None,
               "links": [l.get("href") for l in e.get("links", [])]} for e in d.entries]}))
`;

    it('python3-feedparser reads every format without errors', async (ctx) => {
      if (!(await hasFeedparser())) {
        ctx.skip('python3-feedparser not installed (apt-get install -y python3-feedparser): feed client test skipped');
        return;
      }
      // Debian's feedparser 6.0.10 predates JSON Feed support (6.1): JSON Feed is checked against the spec above.
      for (const [format, version] of [['rss', 'rss20'], ['atom', 'atom10']] as const) {
        const { stdout } = await run(PYTHON, ['-c', feedparserScript, `${base}/feeds/all.${format}?limit=100`]);
        const d = JSON.parse(stdout);
        expect(d.bozo, `${format}: ${d.bozo_exception}`).toBeFalsy();
        expect(d.version).toBe(version);
        expect(d.title).toBe('Frontera — All US–Mexico security news');
        expect(d.entries).toHaveLength(s.onBeatStoryIds.length);
        const ex = d.entries.find((e: any) => e.id === `urn:frontera:story:${s.stories['extradition']}`);
        expect(ex.title).toBe('Sinaloa cartel leader extradited to the United States');
        expect(ex.link).toBe('https://www.reuters.example/world/sinaloa-extradited');
        expect(ex.published).toEqual([2026, 11, 25, 7, 0, 0]);
        if (format !== 'rss') expect(ex.updated).toEqual([2026, 11, 25, 11, 50, 0]);
        if (format === 'atom') expect(ex.links).toContain('https://apnews.example/article/sinaloa-boss');
        const guns = d.entries.find((e: any) => e.id === `urn:frontera:story:${s.stories['guns']}`);
        expect(guns.title).toBe('Guns & <b>ammo</b> smuggling ring "Operation Río" dismantled');
      }
    });

    it('newsboat reloads each feed headless and sees every item', async (ctx) => {
      if (!(await hasNewsboat())) {
        ctx.skip('newsboat not installed (apt-get install -y newsboat): feed client test skipped');
        return;
      }
      // newsboat 2.21 (Debian 12) reads RSS and Atom only; JSON Feed is checked against the spec above.
      for (const format of ['rss', 'atom']) {
        const dir = mkdtempSync(path.join(tmp, `nb-${format}-`));
        writeFileSync(path.join(dir, 'urls'), `${base}/feeds/all.${format}?limit=100\n`);
        writeFileSync(path.join(dir, 'config'), '');
        const { stdout } = await run('newsboat', ['-u', path.join(dir, 'urls'), '-c', path.join(dir, 'cache.db'), '-C', path.join(dir, 'config'), '-x', 'reload', 'print-unread'], {
          env: { ...process.env, HOME: dir },
          timeout: 30_000,
        });
        expect(stdout.trim(), format).toBe(`${s.onBeatStoryIds.length} unread articles`);
      }
    });
  });
});
