// Issue 17: roundups (articles naming several events) as related coverage, and storyline links, on the
// read side: the story JSON and page, the three feed formats (still valid), without a query per story.
// story_roundups rows are written directly here (the placer that writes them is another change).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { getJson, makeApp, QueryCounter } from './api-helpers.js';
import { T0, seed, type Seeded } from './seed.js';

const run = promisify(execFile);
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const ROUNDUP_URL = 'https://www.milenio.example/semana/lo-que-paso-en-seguridad';
const ROUNDUP_TITLE = 'La semana en seguridad: extradición, Culiacán & <más>';

describe(`roundups and related stories on the read side (${dbKind})`, () => {
  let t: TestDb;
  let s: Seeded;
  let app: ReturnType<typeof makeApp>;
  let roundupId: number;

  beforeAll(async () => {
    t = await createTestDb();
    s = await seed(t.db);
    app = makeApp(t);
    const a = await t.db
      .insertInto('articles')
      .values({
        dedup_key: `url:${ROUNDUP_URL}`, url: ROUNDUP_URL, title: ROUNDUP_TITLE, lang: 'es', summary_text: 'Resumen semanal.',
        published_at: new Date(T0.getTime() - 30 * 60_000), first_seen_at: T0, updated_at: T0, content_hash: 'roundup',
        first_source_id: s.sources['milenio']!, relevance: 'on_beat', topics: ['cartel-violence'], is_roundup: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    roundupId = a.id;
    await sql`
      INSERT INTO story_roundups (story_id, article_id, score)
      VALUES (${s.stories['extradition']}, ${roundupId}, 0.8), (${s.stories['culiacan']}, ${roundupId}, 0.7)`.execute(t.db);
  });
  afterAll(async () => t?.close());

  it('the story JSON lists the roundups that mention it, apart from its members', async () => {
    const r = await getJson(app, `/v1/stories/${s.stories['extradition']}`);
    expect(r.status).toBe(200);
    expect(r.body.roundups).toEqual([
      expect.objectContaining({ id: roundupId, title: ROUNDUP_TITLE, url: ROUNDUP_URL, lang: 'es', source: { id: s.sources['milenio'], name: 'Milenio' } }),
    ]);
    expect(r.body.articles.map((a: any) => a.id)).not.toContain(roundupId);
    expect(r.body.articleCount).toBe(3);
    // Related stories: the stored storyline links (both ways).
    expect(r.body.related.map((x: any) => x.id)).toContain(s.stories['culiacan']);
    const fentanyl = await getJson(app, `/v1/stories/${s.stories['fentanyl']}`);
    expect(fentanyl.body.roundups).toEqual([]);
  });

  it('the story page has a "Roundups that mention this story" list', async () => {
    const html = await (await app.request(`/stories/${s.stories['culiacan']}`)).text();
    expect(html).toContain('Roundups that mention this story');
    expect(html).toContain(`<li class="roundup" data-article-id="${roundupId}">`);
    expect(html).toContain('La semana en seguridad: extradición, Culiacán &amp; &lt;más&gt;');
    expect(html).toContain(`<a href="/stories/${s.stories['extradition']}">`);
    const none = await (await app.request(`/stories/${s.stories['fentanyl']}`)).text();
    expect(none).not.toContain('Roundups that mention this story');
  });

  it('feeds carry roundups (flagged) and related stories in every format', async () => {
    const ex = s.stories['extradition']!;
    const cu = s.stories['culiacan']!;
    const atom = await (await app.request('/feeds/all.atom?limit=100')).text();
    const entry = atom.split('<entry>').find((e) => e.includes(`<id>urn:frontera:story:${ex}</id>`))!;
    expect(entry).toContain(`<link rel="related" type="text/html" href="${ROUNDUP_URL}" title="Roundup: La semana en seguridad: extradición, Culiacán &amp; &lt;más&gt; — Milenio" hreflang="es"/>`);
    expect(entry).toContain(`<link rel="related" type="text/html" href="http://frontera.test/stories/${cu}" title="Related story: `);

    const rss = await (await app.request('/feeds/all.rss?limit=100')).text();
    const item = rss.split('<item>').find((e) => e.includes(`urn:frontera:story:${ex}<`))!;
    expect(item).toContain('Roundups that mention this story:');
    expect(item).toContain(`&lt;a href=&quot;http://frontera.test/stories/${cu}&quot;&gt;`);

    const json = await getJson(app, '/feeds/all.json?limit=100');
    const it = json.body.items.find((i: any) => i.id === `urn:frontera:story:${ex}`);
    expect(it._frontera.articles.filter((a: any) => a.roundup)).toEqual([
      { id: roundupId, title: ROUNDUP_TITLE, url: ROUNDUP_URL, source: 'Milenio', lang: 'es', publishedAt: '2026-11-25T11:30:00.000Z', roundup: true },
    ]);
    expect(it._frontera.articles.filter((a: any) => !a.roundup)).toHaveLength(3);
    expect(it._frontera.relatedStories).toContainEqual(
      expect.objectContaining({ id: cu, url: `http://frontera.test/stories/${cu}`, shared: ['organization:sinaloa-cartel', 'place:culiacan'] }),
    );
    expect(it.content_html).toContain('Roundups that mention this story:');
    // Symmetric in the feed too: the Culiacán item lists the extradition.
    const back = json.body.items.find((i: any) => i.id === `urn:frontera:story:${cu}`);
    expect(back._frontera.relatedStories.map((r: any) => r.id)).toContain(ex);
    // The one-item-per-article mode has neither.
    const arts = await getJson(app, '/feeds/all.json?items=articles&limit=5');
    expect(arts.body.items.every((i: any) => i._frontera.relatedStories.length === 0)).toBe(true);
  });

  it('feeds stay valid for python3-feedparser', async (ctx) => {
    try {
      await run(PYTHON, ['-c', 'import feedparser']);
    } catch {
      ctx.skip('python3-feedparser not installed (apt-get install -y python3-feedparser)');
      return;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'frontera-roundups-'));
    try {
      for (const [format, version] of [['rss', 'rss20'], ['atom', 'atom10']] as const) {
        const file = path.join(dir, `all.${format}`);
        writeFileSync(file, await (await app.request(`/feeds/all.${format}?limit=100`)).text());
        const { stdout } = await run(PYTHON, [
          '-c',
          'import json, sys, feedparser\nd = feedparser.parse(sys.argv[1])\nprint(json.dumps({"bozo": d.bozo, "e": str(d.get("bozo_exception", "")), "version": d.version, "links": [[l.get("href") for l in e.get("links", [])] for e in d.entries]}))',
          file,
        ]);
        const d = JSON.parse(stdout);
        expect(d.bozo, `${format}: ${d.e}`).toBeFalsy();
        expect(d.version).toBe(version);
        if (format === 'atom') expect(d.links.flat()).toContain(ROUNDUP_URL);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a feed page costs the same number of queries whatever its size (no query per story)', async () => {
    const count = async (p: string) => {
      const counter = new QueryCounter();
      const r = await makeApp(t, {}, counter).request(p);
      expect(r.status, p).toBe(200);
      return counter.count;
    };
    for (const f of ['rss', 'atom', 'json']) {
      const small = await count(`/feeds/all.${f}?limit=2`);
      const large = await count(`/feeds/all.${f}?limit=100`);
      expect(large, f).toBe(small);
      // data version + stories + their articles + their links + their roundups
      expect(large, f).toBeLessThanOrEqual(5);
    }
    // The story page: one query for its links, one for its roundups, within the page's budget.
    const counter = new QueryCounter();
    await makeApp(t, {}, counter).request(`/stories/${s.stories['extradition']}`);
    expect(counter.count).toBeLessThanOrEqual(8);
  });
});
