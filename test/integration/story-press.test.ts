// Issue 18 (two presses): per story, the US and the Mexican press — first report and lag, distinctive terms
// (English and Spanish) and names per side — stored by refreshStoryPress, read by the API and feeds in the
// stories' own query; blind spots as a list and feeds; the `press=` filter paging every story once.
// Real path: a local feed server, refreshDueSources, the cluster scheduler, then the HTTP API and feeds.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { refreshStoryPress } from '../../db/repositories/story-press.repository.js';
import { createLogger } from '../../src/logger.js';
import type { Classification, EntityMention } from '../../src/model/types.js';
import { ClusterScheduler } from '../../src/services/cluster-scheduler.js';
import { refreshDueSources, type Classify } from '../../src/services/refresh-feeds.js';
import { refreshAllPress } from '../../src/services/press.js';
import { addSources } from '../../src/services/sources.js';
import { ADMIN_TOKEN, getJson, makeApp, QueryCounter, walk } from '../api/api-helpers.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { refreshDeps, testConfig, TestClock } from '../helpers/deps.js';
import { rss, startFeedServer, type FeedServer, type TestItem } from '../helpers/feed-server.js';

const run = promisify(execFile);
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

// Every item is on the beat; the names are found by a small dictionary (the test is about the presses).
const NAMES: Array<[RegExp, EntityMention]> = [
  [/Hegseth/, { id: 'person:pete-hegseth', kind: 'person', name: 'Pete Hegseth', matched: 'Hegseth' }],
  [/Sheinbaum/, { id: 'person:claudia-sheinbaum', kind: 'person', name: 'Claudia Sheinbaum', matched: 'Sheinbaum' }],
  [/C[aá]rtel de Sinaloa|Sinaloa Cartel/, { id: 'cartel:sinaloa', kind: 'cartel', name: 'Sinaloa Cartel', matched: 'Sinaloa' }],
  [/Culiac[aá]n/, { id: 'place:culiacan', kind: 'place', name: 'Culiacán', matched: 'Culiacán' }],
];
const classify: Classify = ({ title, text }) =>
  ({
    relevance: 'on_beat',
    score: 0.9,
    topics: ['cartel-violence'],
    entities: NAMES.filter(([re]) => re.test(`${title} ${text}`)).map(([, e]) => e),
    evidence: [],
    rulesVersion: 'test',
  }) satisfies Classification;

const day = (h: number, m = 0) => new Date(Date.UTC(2026, 10, 23, h, m)).toUTCString();

// Event A, both presses: the US press first (08:00), the Mexican press six hours later (14:00).
const A_US1: TestItem = {
  guid: 'a-us1', link: 'https://us-one.example/strikes',
  title: 'US prepares drone strikes on Sinaloa Cartel labs in Mexico',
  description: 'The Pentagon is preparing options for drone strikes on Sinaloa Cartel fentanyl labs inside Mexico against narco-terrorists, officials said. Defense Secretary Pete Hegseth reviewed the plans, which would use CIA and special operations forces.',
  pubDate: day(8),
};
const A_US2: TestItem = {
  guid: 'a-us2', link: 'https://us-two.example/pentagon-drones',
  title: 'Pentagon weighs drone strikes against Sinaloa Cartel fentanyl labs in Mexico',
  description: 'Hegseth told lawmakers the narco-terrorists running fentanyl labs in Mexico could face drone strikes by special operations forces and the CIA; the Pentagon plans are under review.',
  pubDate: day(9, 30),
};
const A_MX1: TestItem = {
  guid: 'a-mx1', link: 'https://mx-uno.example/ataques-drones',
  title: 'EU prepara ataques con drones contra laboratorios del Cártel de Sinaloa en México',
  description: 'El Pentágono prepara opciones para ataques con drones contra laboratorios de fentanilo del Cártel de Sinaloa en México; Sheinbaum defendió la soberanía y rechazó cualquier intervención. Pete Hegseth revisó los planes de la CIA y fuerzas especiales.',
  pubDate: day(14),
};
const A_MX2: TestItem = {
  guid: 'a-mx2', link: 'https://mx-dos.example/soberania',
  title: 'Sheinbaum rechaza ataques con drones de EU contra el Cártel de Sinaloa: "la soberanía no se negocia"',
  description: 'La presidenta Claudia Sheinbaum respondió a los planes del Pentágono y de Hegseth de ataques con drones contra laboratorios de fentanilo en México: no habrá intervención, dijo, y la soberanía se respeta.',
  pubDate: day(15),
};
// Event B: only the Mexican press (two outlets): a blind spot of the US press.
const B_MX1: TestItem = {
  guid: 'b-mx1', link: 'https://mx-uno.example/culiacan',
  title: 'Enfrentamiento en Culiacán deja doce muertos y bloqueos en la ciudad',
  description: 'Un enfrentamiento entre facciones en Culiacán, Sinaloa, dejó doce muertos, vehículos incendiados y bloqueos en las principales avenidas durante la madrugada.',
  pubDate: day(6),
};
const B_MX2: TestItem = { ...B_MX1, guid: 'b-mx2', link: 'https://mx-dos.example/culiacan-balacera', pubDate: day(6, 40) };
// Event C: one US outlet only: not enough coverage to be a blind spot of the Mexican press.
const C_US1: TestItem = {
  guid: 'c-us1', link: 'https://us-one.example/senate-hearing',
  title: 'Senate panel grills customs chief over port of entry scanners',
  description: 'Senators questioned the customs commissioner about delays installing vehicle scanners at ports of entry in Arizona and Texas.',
  pubDate: day(5),
};
// Event D: two US outlets only: a blind spot of the Mexican press.
const D_US1: TestItem = {
  guid: 'd-us1', link: 'https://us-one.example/guard-buoys',
  title: 'Texas National Guard installs floating buoy barrier near Eagle Pass',
  description: 'Guard members anchored a new line of floating buoys in the Rio Grande near Eagle Pass, the governor announced.',
  pubDate: day(4),
};
const D_US2: TestItem = { ...D_US1, guid: 'd-us2', link: 'https://us-two.example/eagle-pass-buoys', pubDate: day(4, 45) };

describe(`two presses per story (${dbKind})`, () => {
  let t: TestDb;
  let srv: FeedServer;
  let app: ReturnType<typeof makeApp>;
  const clock = new TestClock(new Date('2026-11-23T16:00:00Z'));
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    app = makeApp(t, { ADMIN_TOKEN });
    const feeds: Array<[string, string, TestItem[]]> = [
      ['/us-one', 'US', [A_US1, C_US1, D_US1]],
      ['/us-two', 'US', [A_US2, D_US2]],
      ['/mx-uno', 'MX', [A_MX1, B_MX1]],
      ['/mx-dos', 'MX', [A_MX2, B_MX2]],
    ];
    for (const [p, , items] of feeds) srv.route(p, (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(p, items)));
    await addSources(t.db, feeds.map(([p, country]) => ({ url: srv.url(p), name: p.slice(1), country })), clock.now());
    const out = await refreshDueSources(refreshDeps(t, clock, testConfig(), { classify }));
    expect(out.every((o) => o.outcome === 'ok')).toBe(true);
    await new ClusterScheduler(t.db, clock.now, createLogger('silent')).settle();
    // The lead's clustering transaction calls this with the stories it touched; here, once after ingest.
    const live = (await sql<{ id: number }>`SELECT id FROM stories WHERE merged_into IS NULL`.execute(t.db)).rows.map((r) => Number(r.id));
    await refreshStoryPress(t.db, live);
    for (const [k, it] of Object.entries({ A_US1, A_US2, A_MX1, A_MX2, B_MX1, B_MX2, C_US1, D_US1, D_US2 })) {
      ids[k] = Number((await sql<{ story_id: number }>`SELECT story_id FROM articles WHERE url = ${it.link!}`.execute(t.db)).rows[0]!.story_id);
    }
  });
  afterAll(async () => {
    await srv?.close();
    await t?.close();
  });

  it('groups the events as expected (both presses of A in one story)', () => {
    expect(new Set([ids.A_US1, ids.A_US2, ids.A_MX1, ids.A_MX2]).size).toBe(1);
    expect(ids.B_MX1).toBe(ids.B_MX2);
    expect(ids.D_US1).toBe(ids.D_US2);
    expect(new Set([ids.A_US1, ids.B_MX1, ids.C_US1, ids.D_US1]).size).toBe(4);
  });

  it('first report per side and the lag between them; outlets and articles per side', async () => {
    const r = await getJson(app, `/v1/stories/${ids.A_US1}`);
    expect(r.status).toBe(200);
    const p = r.body.press;
    expect(p).toMatchObject({
      firstSide: 'us',
      lagMs: 6 * 3600_000,
      us: { outlets: 2, articles: 2, firstAt: '2026-11-23T08:00:00.000Z' },
      mx: { outlets: 2, articles: 2, firstAt: '2026-11-23T14:00:00.000Z' },
      other: null,
    });
    const firstUs = (await sql<{ id: number }>`SELECT id FROM articles WHERE url = ${A_US1.link!}`.execute(t.db)).rows[0]!.id;
    const firstMx = (await sql<{ id: number }>`SELECT id FROM articles WHERE url = ${A_MX1.link!}`.execute(t.db)).rows[0]!.id;
    expect(p.us.firstArticleId).toBe(Number(firstUs));
    expect(p.mx.firstArticleId).toBe(Number(firstMx));
    // One press only: that press first, no lag.
    const b = await getJson(app, `/v1/stories/${ids.B_MX1}`);
    expect(b.body.press).toMatchObject({ firstSide: 'mx', lagMs: null, us: null, mx: { outlets: 2, articles: 2 } });
  });

  it('distinctive terms per side, English and Spanish; a concept both presses use (strikes / ataques) is on neither side', async () => {
    const p = (await getJson(app, `/v1/stories/${ids.A_US1}`)).body.press;
    const usTerms = p.us.terms.map((x: any) => x.term);
    const mxTerms = p.mx.terms.map((x: any) => x.term);
    expect(usTerms).toEqual(expect.arrayContaining(['terrorists']));
    expect(mxTerms).toEqual(expect.arrayContaining(['soberania']));
    expect(p.mx.terms.find((x: any) => x.term === 'soberania')).toMatchObject({ key: 'c:sovereignty', articles: 2, otherArticles: 0 });
    expect(p.mx.terms.map((x: any) => x.key)).toContain('c:intervention');
    for (const side of [p.us, p.mx]) {
      const keys = side.terms.map((x: any) => x.key);
      expect(keys).not.toContain('c:strike');
      expect(keys).not.toContain('c:drone');
      expect(keys).not.toContain('c:fentanyl');
      for (const x of side.terms) expect(x.score).toBeGreaterThanOrEqual(1);
    }
  });

  it('the people and organisations each side names, with the other press’s count', async () => {
    const p = (await getJson(app, `/v1/stories/${ids.A_US1}`)).body.press;
    expect(p.mx.names).toContainEqual({ id: 'person:claudia-sheinbaum', name: 'Claudia Sheinbaum', kind: 'person', articles: 2, otherArticles: 0 });
    expect(p.us.names).toContainEqual({ id: 'person:pete-hegseth', name: 'Pete Hegseth', kind: 'person', articles: 2, otherArticles: 2 });
    expect(p.us.names.map((n: any) => n.id)).not.toContain('person:claudia-sheinbaum');
    // Places are not names.
    expect((await getJson(app, `/v1/stories/${ids.B_MX1}`)).body.press.mx.names.map((n: any) => n.kind)).not.toContain('place');
  });

  it('blind spots: the API list per side (the press that did not cover it), and its feeds, valid', async (ctx) => {
    const us = await getJson(app, '/v1/blindspots?side=us');
    expect(us.status).toBe(200);
    expect(us.body.data.map((s: any) => s.id)).toEqual([ids.B_MX1]);
    expect(us.body.data[0].press).toMatchObject({ us: null, mx: { outlets: 2 } });
    const mx = await getJson(app, '/v1/blindspots?side=mx');
    // C has a single US outlet: not enough coverage to matter.
    expect(mx.body.data.map((s: any) => s.id)).toEqual([ids.D_US1]);
    expect((await getJson(app, '/v1/blindspots?side=xx')).status).toBe(400);
    expect((await getJson(app, '/v1/blindspots')).status).toBe(400);

    const guids = (x: string) => [...x.matchAll(/urn:frontera:story:(\d+)/g)].map((m) => Number(m[1]));
    const rssText = await (await app.request('/feeds/blindspot-us.rss')).text();
    expect(guids(rssText)).toEqual([ids.B_MX1]);
    expect(guids(await (await app.request('/feeds/blindspot-mx.atom')).text())).toEqual([ids.D_US1]);
    const json = await getJson(app, '/feeds/blindspot-us.json');
    expect(json.headers.get('content-type')).toContain('application/feed+json');
    expect(json.body.items.map((i: any) => i.id)).toEqual([`urn:frontera:story:${ids.B_MX1}`]);
    expect(json.body.items[0]._frontera.press).toMatchObject({ us: null, firstSide: 'mx', mx: { outlets: 2, articles: 2 } });
    expect(json.body.title).toContain('Blind spots of the US press');

    try {
      await run(PYTHON, ['-c', 'import feedparser']);
    } catch {
      ctx.skip('python3-feedparser not installed');
      return;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'frontera-press-'));
    try {
      for (const side of ['us', 'mx']) {
        // feedparser reads the XML formats; the JSON Feed is checked above.
        for (const [format, version] of [['rss', 'rss20'], ['atom', 'atom10']] as const) {
          const file = path.join(dir, `blindspot-${side}.${format}`);
          writeFileSync(file, await (await app.request(`/feeds/blindspot-${side}.${format}`)).text());
          const { stdout } = await run(PYTHON, [
            '-c',
            'import json, sys, feedparser\nd = feedparser.parse(sys.argv[1])\nprint(json.dumps({"bozo": d.bozo, "e": str(d.get("bozo_exception", "")), "version": d.version, "n": len(d.entries)}))',
            file,
          ]);
          const d = JSON.parse(stdout);
          expect(d.bozo, `${side}.${format}: ${d.e}`).toBeFalsy();
          expect(d.version).toBe(version);
          expect(d.n).toBe(1);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('newsboat reloads the blind-spot feeds (RSS and Atom) headless and sees their story', async (ctx) => {
    try {
      await run('newsboat', ['-v']);
    } catch {
      ctx.skip('newsboat not installed (apt-get install -y newsboat): feed client check skipped');
      return;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'frontera-press-nb-'));
    try {
      for (const side of ['us', 'mx']) {
        for (const format of ['rss', 'atom']) {
          const feedPath = `/served/blindspot-${side}.${format}`;
          const body = await (await app.request(`/feeds/blindspot-${side}.${format}`)).text();
          srv.route(feedPath, (_q, res) => void res.writeHead(200, { 'content-type': format === 'rss' ? 'application/rss+xml' : 'application/atom+xml' }).end(body));
          const home = mkdtempSync(path.join(dir, `${side}-${format}-`));
          writeFileSync(path.join(home, 'urls'), `${srv.url(feedPath)}\n`);
          writeFileSync(path.join(home, 'config'), '');
          const { stdout } = await run('newsboat', ['-u', path.join(home, 'urls'), '-c', path.join(home, 'cache.db'), '-C', path.join(home, 'config'), '-x', 'reload', 'print-unread'], {
            env: { ...process.env, HOME: home },
            timeout: 30_000,
          });
          expect(stdout.trim(), `${side}.${format}`).toBe('1 unread articles');
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('press=us|mx on topic stories and feeds: every story with that press exactly once, at any page size', async () => {
    const order = async (country: string) =>
      (
        await sql<{ id: number }>`
          SELECT s.id FROM stories s WHERE s.merged_into IS NULL AND EXISTS (SELECT 1 FROM story_press p WHERE p.story_id = s.id AND p.country = ${country})
          ORDER BY s.event_at DESC, s.id DESC`.execute(t.db)
      ).rows.map((r) => Number(r.id));
    const expected = { us: await order('US'), mx: await order('MX') };
    expect(new Set(expected.us)).toEqual(new Set([ids.A_US1, ids.C_US1, ids.D_US1]));
    expect(new Set(expected.mx)).toEqual(new Set([ids.A_US1, ids.B_MX1]));
    for (const side of ['us', 'mx'] as const) {
      for (const limit of [1, 2, 5]) {
        const { items, pages } = await walk(app, `/v1/topics/cartel-violence/stories?press=${side}&limit=${limit}`);
        expect(items.map((x) => x.id), `${side} limit=${limit}`).toEqual(expected[side]);
        expect(pages).toBe(Math.max(1, Math.ceil(expected[side].length / limit)));
        for (const x of items) expect(x.press[side]).not.toBeNull();
      }
      const feed = await getJson(app, `/feeds/all.json?press=${side}`);
      expect(feed.body.items.map((i: any) => Number(i.id.split(':').pop()))).toEqual(expected[side]);
    }
    expect((await getJson(app, '/v1/topics/all/stories?press=fr')).status).toBe(400);
  });

  it('no extra query per story: list pages, blind spots and feeds cost the same at any size', async () => {
    const count = async (p: string) => {
      const counter = new QueryCounter();
      const r = await makeApp(t, {}, counter).request(p);
      expect(r.status, p).toBe(200);
      return counter.count;
    };
    for (const p of ['/v1/topics/all/stories', '/v1/topics/all/stories?press=us', '/v1/blindspots?side=us', '/feeds/all.json', '/feeds/blindspot-mx.rss']) {
      const sep = p.includes('?') ? '&' : '?';
      const small = await count(`${p}${sep}limit=1`);
      const large = await count(`${p}${sep}limit=100`);
      expect(large, p).toBe(small);
    }
    // The same budget as before the press view: data version + stories (press included) + their articles.
    expect(await count('/v1/topics/all/stories?limit=100')).toBeLessThanOrEqual(3);
  });

  it('a story that changes is recomputed: a late US report moves the lag; a merged-away story keeps no row', async () => {
    await sql`UPDATE articles SET published_at = '2026-11-23T13:00:00Z', first_seen_at = '2026-11-23T13:00:00Z' WHERE url = ${A_US1.link!}`.execute(t.db);
    await sql`UPDATE articles SET published_at = '2026-11-23T16:00:00Z', first_seen_at = '2026-11-23T16:00:00Z' WHERE url = ${A_US2.link!}`.execute(t.db);
    await sql`UPDATE articles SET published_at = '2026-11-23T12:00:00Z', first_seen_at = '2026-11-23T12:00:00Z' WHERE url = ${A_MX1.link!}`.execute(t.db);
    await refreshStoryPress(t.db, [ids.A_US1!]);
    // What the clustering transaction does as well: the story's activity moves (the API's data version).
    await sql`UPDATE stories SET last_updated_at = '2026-11-23T16:30:00Z' WHERE id = ${ids.A_US1}`.execute(t.db);
    const p = (await getJson(app, `/v1/stories/${ids.A_US1}`)).body.press;
    expect(p).toMatchObject({ firstSide: 'mx', lagMs: 3600_000, us: { firstAt: '2026-11-23T13:00:00.000Z' }, mx: { firstAt: '2026-11-23T12:00:00.000Z' } });
    await sql`UPDATE stories SET merged_into = ${ids.A_US1} WHERE id = ${ids.C_US1}`.execute(t.db);
    await refreshStoryPress(t.db, [ids.C_US1!]);
    expect((await sql`SELECT 1 FROM story_press WHERE story_id = ${ids.C_US1}`.execute(t.db)).rows).toHaveLength(0);
    await sql`UPDATE stories SET merged_into = NULL WHERE id = ${ids.C_US1}`.execute(t.db);
    await refreshStoryPress(t.db, [ids.C_US1!]);
  });

  it('a source whose country is edited moves its stories to the other press; refresh-press rebuilds every row the same', async () => {
    const rows = async () => (await sql`SELECT story_id, country, outlets, articles, first_article_id, first_at, terms, names FROM story_press ORDER BY story_id, country`.execute(t.db)).rows;
    const before = await rows();
    const usTwo = (await sql<{ id: number }>`SELECT id FROM sources WHERE name = 'us-two'`.execute(t.db)).rows[0]!.id;
    const r = await getJson(app, `/v1/sources/${usTwo}`, { method: 'PATCH', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ country: 'MX' }) });
    expect(r.body).toMatchObject({ country: 'MX', countryInferred: false });
    const a = (await getJson(app, `/v1/stories/${ids.A_US1}`)).body.press;
    expect(a).toMatchObject({ us: { outlets: 1, articles: 1 }, mx: { outlets: 3, articles: 3 } });
    // D is now covered by one US and one Mexican outlet: no longer anyone's blind spot.
    expect((await getJson(app, '/v1/blindspots?side=mx')).body.data).toEqual([]);
    await getJson(app, `/v1/sources/${usTwo}`, { method: 'PATCH', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ country: 'US' }) });
    expect(await rows()).toEqual(before);

    await sql`DELETE FROM story_press`.execute(t.db);
    expect(await refreshAllPress(t.db)).toBe(4);
    expect(await rows()).toEqual(before);
  });
});

describe(`country of publication per source (${dbKind})`, () => {
  let t: TestDb;
  let app: ReturnType<typeof makeApp>;
  const now = new Date('2026-12-01T00:00:00Z');
  beforeAll(async () => {
    t = await createTestDb();
    app = makeApp(t, { ADMIN_TOKEN });
  });
  afterAll(async () => t?.close());
  const admin = (method: string, body: unknown, type = 'application/json') => ({
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  it('is given, or inferred from the domain (ccTLD, well-known outlets) and marked inferred', async () => {
    const r = await addSources(
      t.db,
      [
        { url: 'https://www.jornada.com.mx/rss/politica.xml' },
        { url: 'https://www.gob.mx/sspc/rss' },
        { url: 'https://rss.nytimes.com/services/xml/rss/nyt/Americas.xml' },
        { url: 'https://news.google.com/rss/search?q=site:apnews.com+Mexico' },
        { url: 'https://latinus.us/feed' },
        { url: 'https://example.com/feed' },
        { url: 'https://www.elfinanciero.com.mx/rss/', country: 'us' },
      ],
      now,
    );
    expect(r.added.map((s) => [s.country, s.countryInferred])).toEqual([
      ['MX', true],
      ['MX', true],
      ['US', true],
      ['US', true],
      ['MX', true],
      [null, false],
      ['US', false],
    ]);
    await expect(addSources(t.db, [{ url: 'https://x.example/feed', country: 'Mexico' }], now)).rejects.toMatchObject({ code: 'invalid_parameter' });
  });

  it('the admin API takes it on create and PATCH (null infers again); OPML carries it as frontera:country', async () => {
    const created = await getJson(app, '/v1/sources?check=false', admin('POST', { url: 'https://www.proceso.com.mx/rss/feed.xml', check: false }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ country: 'MX', countryInferred: true });
    const given = await getJson(app, '/v1/sources', admin('POST', { url: 'https://borderlandbeat.example/feed', country: 'us', check: false }));
    expect(given.body).toMatchObject({ country: 'US', countryInferred: false });
    expect((await getJson(app, '/v1/sources', admin('POST', { url: 'https://bad.example/feed', country: 'USA', check: false }))).status).toBe(400);

    const patched = await getJson(app, `/v1/sources/${created.body.id}`, admin('PATCH', { country: 'GB' }));
    expect(patched.body).toMatchObject({ country: 'GB', countryInferred: false });
    const again = await getJson(app, `/v1/sources/${created.body.id}`, admin('PATCH', { country: null }));
    expect(again.body).toMatchObject({ country: 'MX', countryInferred: true });

    const opml = await (await app.request('/v1/sources/export', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    expect(opml).toContain('xmlns:frontera=');
    expect(opml).toContain('xmlUrl="https://borderlandbeat.example/feed" frontera:country="US"');
    // An inferred country is not exported (it is inferred again on import).
    expect(opml).not.toMatch(/proceso[^>]*frontera:country/);

    const doc = `<?xml version="1.0"?><opml version="2.0" xmlns:frontera="https://frontera.news/ns/opml"><body>
      <outline type="rss" text="A" xmlUrl="https://a.example/feed" frontera:country="MX"/>
      <outline type="rss" text="B" xmlUrl="https://b.example/feed"/>
      <outline type="rss" text="C" xmlUrl="https://c.example/feed" frontera:country="Mexico"/>
    </body></opml>`;
    const imp = await getJson(app, '/v1/sources/import', admin('POST', doc, 'text/x-opml'));
    expect(imp.status).toBe(200);
    expect(imp.body.added.map((s: any) => [s.url, s.country, s.countryInferred])).toEqual([
      ['https://a.example/feed', 'MX', false],
      ['https://b.example/feed', null, false],
    ]);
    expect(imp.body.invalid).toEqual(['https://c.example/feed']);
  });
});
