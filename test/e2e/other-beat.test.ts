import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { createDataVersion } from '../../api/http-cache.js';
import { newsletterJob } from '../../jobs/newsletter.job.js';
import { refreshFeedsJob } from '../../jobs/refresh-feeds.job.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { readDataVersion } from '../../src/services/data-version.js';
import { addSources } from '../../src/services/sources.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { testConfig, TestClock } from '../helpers/deps.js';
import { rss, startFeedServer, type FeedServer, type TestItem } from '../helpers/feed-server.js';

// The whole app on another beat: BEAT_RULES_FILE names a small Great Lakes shipping rules file, and the
// composition root (createDeps) carries its topics and its `beat` section to the pages, the topic feeds, the
// OpenAPI document and the newsletter. Items are ingested from a loopback feed server by the refresh job and
// a daily issue is stored by the newsletter job, as in production. Nothing a reader or an API client gets may
// name the shipped US–Mexico beat.

const RULES = fileURLToPath(new URL('../fixtures/rules/great-lakes-shipping.json', import.meta.url));
const BASE = 'http://frontera.test';
const FORBIDDEN = ['Mexico', 'US–Mexico', 'México', 'Mexican', 'cartel'];
const HTML = { headers: { accept: 'text/html,application/xhtml+xml' } };

const DESK: TestItem[] = [
  {
    guid: 'desk-1',
    title: 'Soo Locks open for the shipping season as the first freighter passes',
    link: 'https://lakesdesk.example/2026/11/soo-locks-open',
    description: "The Poe Lock at Sault Ste. Marie opened on Lake Superior on Tuesday; the Lake Carriers' Association expects a busy season.",
    pubDate: 'Tue, 24 Nov 2026 09:00:00 GMT',
  },
  {
    guid: 'desk-2',
    title: 'Icebreakers free a grain ship stuck in Lake Erie near Toledo',
    link: 'https://lakesdesk.example/2026/11/icebreakers-toledo',
    description: 'The U.S. Coast Guard and the Canadian Coast Guard broke a path through ice cover for the stranded vessel and its crew of 19.',
    pubDate: 'Tue, 24 Nov 2026 11:00:00 GMT',
  },
  {
    guid: 'desk-3',
    title: 'Iron ore shipments on the Great Lakes fall for a third month',
    link: 'https://lakesdesk.example/2026/11/iron-ore-down',
    description: 'Taconite cargo out of Duluth was down as lake freighters waited at Thunder Bay for grain.',
    pubDate: 'Tue, 24 Nov 2026 13:00:00 GMT',
  },
  {
    guid: 'desk-4',
    title: 'Marina on Lake Erie opens a new dock for sailboats',
    link: 'https://lakesdesk.example/2026/11/marina-dock',
    description: 'Kayaks and sailboats get a new dock at the marina this spring.',
    pubDate: 'Tue, 24 Nov 2026 15:00:00 GMT',
  },
];
const WIRE: TestItem[] = [
  {
    guid: 'wire-1',
    title: 'First freighter of the season passes the Soo Locks',
    link: 'https://harborwire.example/soo-locks-first-freighter',
    description: 'A lake freighter cleared the Poe Lock at Sault Ste. Marie on Tuesday as the Soo Locks opened on Lake Superior.',
    pubDate: 'Tue, 24 Nov 2026 10:30:00 GMT',
  },
];

describe(`the whole app on another beat's rules file (${dbKind})`, () => {
  let t: TestDb;
  let srv: FeedServer;
  let deps: Deps;
  let app: ReturnType<typeof createApp>;
  const clock = new TestClock(new Date('2026-11-25T12:00:00Z'));
  const responses = new Map<string, string>();

  const get = async (path: string, init?: RequestInit, status = 200): Promise<string> => {
    const r = await app.request(path, init);
    const body = await r.text();
    expect(r.status, `${path}: ${body.slice(0, 300)}`).toBe(status);
    responses.set(path, body);
    return body;
  };
  const json = async (path: string) => JSON.parse(await get(path));

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    srv.route('/lakes-desk.rss', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Lakes Desk', DESK)));
    srv.route('/harbor-wire.rss', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Harbor Wire', WIRE)));
    const config = testConfig({ BEAT_RULES_FILE: RULES, PUBLIC_BASE_URL: BASE, RATE_LIMIT_PER_MINUTE: '0', READ_THREADS: '1', NEWSLETTER_PERIODS: 'daily' });
    deps = await createDeps(config, { handle: t, migrate: false, seed: false, logger: createLogger('silent'), clock: clock.now });
    app = createApp(deps, { version: createDataVersion(() => readDataVersion(t.db), 0) });
    await addSources(t.db, [{ url: srv.url('/lakes-desk.rss'), name: 'Lakes Desk' }, { url: srv.url('/harbor-wire.rss'), name: 'Harbor Wire' }], clock.now());
    expect(await refreshFeedsJob(deps)).toMatchObject({ sources: 2, ok: 2, created: 5 });
    expect(await newsletterJob(deps, { signal: new AbortController().signal }, { mailer: null })).toMatchObject({ created: 1 });
  });
  afterAll(async () => {
    await srv?.close();
    await deps?.close();
  });

  it("classifies with the other beat's topics and lists them, its 'all' feed named by the rules", async () => {
    expect(deps.topics.beat.name).toBe('Great Lakes shipping');
    const topics = await json('/v1/topics');
    expect(topics.data.map((x: { slug: string }) => x.slug)).toEqual(['all', 'locks-seaway', 'ice-season', 'bulk-cargo']);
    expect(topics.data[0]).toMatchObject({ name: 'All Great Lakes shipping news', storyCount: 3 });
    const rows = await t.db.selectFrom('articles').select(['title', 'relevance', 'topics', 'rules_version']).orderBy('id').execute();
    expect(rows.every((r) => r.rules_version?.startsWith('great-lakes-test.1+'))).toBe(true);
    expect(rows.find((r) => r.title.startsWith('Marina'))?.relevance).toBe('adjacent');
    expect(rows.filter((r) => r.relevance === 'on_beat')).toHaveLength(4);
  });

  it('pages name the beat from its rules: titles, lede, meta description, search hint, footer, evidence labels', async () => {
    const home = await get('/', HTML);
    expect(home).toContain('<title>Latest Great Lakes shipping news · Frontera</title>');
    expect(home).toContain('Great Lakes shipping news, newest activity first');
    expect(home).toContain('placeholder="Soo Locks, ice, taconite…"');
    expect(home).toContain('Frontera aggregates Great Lakes shipping news from many outlets.');
    expect(home).toContain('title="Frontera — All Great Lakes shipping news (RSS)"');
    expect(home).toContain('Locks and the Seaway');
    const stories = await json('/v1/topics/all/stories');
    const soo = stories.data.find((s: { headline: string }) => /Soo Locks/.test(s.headline));
    expect(soo.articleCount, 'the two outlets of the locks opening are one story').toBe(2);
    const story = await get(`/stories/${soo.id}`, HTML);
    expect(story).toContain('Great Lakes shipping context');
    await get(`/v1/stories/${soo.id}`);
    for (const p of ['/?topic=locks-seaway', '/?topic=bulk-cargo', '/search?q=Soo+Locks', '/sources', '/newsletters', '/editor', '/blindspots', '/blindspots?side=mx']) {
      expect(await get(p, HTML)).toContain('Frontera aggregates Great Lakes shipping news');
    }
    const missing = await get('/no-such-page', HTML, 404);
    expect(missing).toContain('Frontera aggregates Great Lakes shipping news');
  });

  it('topic feeds in RSS, Atom and JSON Feed carry the beat\'s names', async () => {
    for (const slug of ['all', 'locks-seaway', 'bulk-cargo']) {
      for (const ext of ['rss', 'atom', 'json']) await get(`/feeds/${slug}.${ext}`);
    }
    expect(responses.get('/feeds/all.rss')).toContain('<title>Frontera — All Great Lakes shipping news</title>');
    expect(responses.get('/feeds/all.atom')).toContain('All Great Lakes shipping news');
    expect(JSON.parse(responses.get('/feeds/all.json')!).title).toBe('Frontera — All Great Lakes shipping news');
    expect(JSON.parse(responses.get('/feeds/locks-seaway.json')!).items.length).toBeGreaterThan(0);
    // The blind-spot feeds name the presses as the rules do.
    for (const ext of ['rss', 'atom', 'json']) await get(`/feeds/blindspot-us.${ext}`);
    expect(JSON.parse(responses.get('/feeds/blindspot-us.json')!).title).toContain('Blind spots of the American press');
  });

  it("the OpenAPI document describes the rules' beat and its presses", async () => {
    const doc = await json('/openapi.json');
    expect(doc.info.description).toMatch(/^Great Lakes shipping news from both shores, aggregated from many outlets and clustered into stories\. /);
    expect(doc.info.description).toContain('`us` = the American press (the United States)');
  });

  it('the newsletter (stored issue as HTML, text, Markdown and JSON; its RSS) carries the beat\'s title and kicker', async () => {
    const list = await json('/v1/newsletters');
    expect(list.data).toHaveLength(1);
    const id = list.data[0].id;
    expect(list.data[0].title).toBe('Frontera daily brief: All Great Lakes shipping news');
    const html = await get(`/v1/newsletters/${id}?format=html`);
    expect(html).toContain('Frontera · Great Lakes shipping');
    expect(html).toContain('Soo Locks');
    expect(await get(`/v1/newsletters/${id}?format=text`)).toContain('FRONTERA DAILY BRIEF: ALL GREAT LAKES SHIPPING NEWS');
    await get(`/v1/newsletters/${id}?format=md`);
    expect((await json(`/v1/newsletters/${id}?format=json`)).model.beat).toMatchObject({ name: 'Great Lakes shipping', kicker: 'Frontera · Great Lakes shipping' });
    const feed = await get('/feeds/newsletters/all.rss');
    expect(feed).toContain('Frontera newsletter — All Great Lakes shipping news');
    expect(feed).toContain('Daily and weekly digests of Great Lakes shipping news from both shores.');
  });

  it('no response names the shipped beat', () => {
    expect(responses.size).toBeGreaterThanOrEqual(25);
    for (const [path, body] of responses) {
      for (const word of FORBIDDEN) expect(body.includes(word), `${path} contains "${word}"`).toBe(false);
    }
  });
});
