import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { findSource } from '../../db/repositories/sources.repository.js';
import { createApp } from '../../api/app.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import type { Classification } from '../../src/model/types.js';
import { readFeed } from '../../src/reader/read-feed.js';
import { ClusterScheduler } from '../../src/services/cluster-scheduler.js';
import { classifierFor, refreshDueSources, storeFeedItems, type Classify } from '../../src/services/refresh-feeds.js';
import { addSources } from '../../src/services/sources.js';
import { createTestDb, dbKind, emptyStore, type TestDb } from '../helpers/db.js';
import { refreshDeps, testConfig, TestClock } from '../helpers/deps.js';
import { rss, startFeedServer, type FeedServer, type TestItem } from '../helpers/feed-server.js';

const STRIKES =
  'The Pentagon is preparing options for drone strikes on Sinaloa Cartel fentanyl labs inside Mexico, officials told reporters on Monday. Defense Secretary Pete Hegseth reviewed the plans, which would use CIA and special operations forces.';
const strikesItem = (link: string, pubDate: string): TestItem => ({
  guid: link,
  link,
  title: 'US prepares drone strikes on Sinaloa Cartel labs in Mexico',
  description: STRIKES,
  pubDate,
});

describe(`source item filters and outlets (${dbKind})`, () => {
  let t: TestDb;
  let srv: FeedServer;
  let deps: Deps;
  const clock = new TestClock(new Date('2026-11-25T12:00:00Z'));

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    deps = await createDeps(testConfig({ ADMIN_TOKEN: 'secret-admin-token-123456' }), { handle: t, migrate: false, seed: false, logger: createLogger('silent'), clock: clock.now });
  });
  afterAll(async () => {
    await srv?.close();
    await deps?.readPool?.close();
    await t?.close();
  });
  beforeEach(() => emptyStore(t.db));

  const cbpFeed = () =>
    rss('CBP media releases', [
      { guid: 'n1', title: 'CBP seizes fentanyl at Nogales', link: 'https://www.cbp.gov/newsroom/national-media-release/cbp-seizes-fentanyl-nogales' },
      { guid: 'l1', title: 'Laredo port hours change', link: 'https://www.cbp.gov/newsroom/local-media-release/laredo-port-hours' },
      { guid: 'n2', title: 'CBP releases monthly update', link: 'https://www.cbp.gov/newsroom/national-media-release/monthly-update' },
      { guid: 'l2', title: 'El Paso officers recognized', link: 'https://www.cbp.gov/newsroom/local-media-release/el-paso-officers' },
      { guid: 'l3', title: 'San Diego job fair', link: 'https://www.cbp.gov/newsroom/local-media-release/san-diego-job-fair' },
    ]);

  it('stores only the items the filter keeps, classifies none of the others, and shows the count in the health', async () => {
    srv.route('/cbp', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(cbpFeed()));
    const { added } = await addSources(t.db, [{ url: srv.url('/cbp'), name: 'CBP', itemFilter: { linkIncludes: ['/national-media-release/'] } }], clock.now());
    const classified: string[] = [];
    const classify: Classify = (input) => {
      classified.push(input.title);
      return { relevance: 'adjacent', score: 0.5, topics: [], entities: [], evidence: [], rulesVersion: 'test' } satisfies Classification;
    };
    const [out] = await refreshDueSources(refreshDeps(t, clock, testConfig(), { classify }));
    expect(out).toMatchObject({ outcome: 'ok', created: 2, itemsSeen: 2, itemsFiltered: 3 });
    const urls = (await t.db.selectFrom('articles').select('url').orderBy('url').execute()).map((r) => r.url);
    expect(urls).toEqual([
      'https://www.cbp.gov/newsroom/national-media-release/cbp-seizes-fentanyl-nogales',
      'https://www.cbp.gov/newsroom/national-media-release/monthly-update',
    ]);
    expect(classified.sort()).toEqual(['CBP releases monthly update', 'CBP seizes fentanyl at Nogales']);
    expect(Number((await sql<{ n: number }>`SELECT count(*) AS n FROM source_items`.execute(t.db)).rows[0]!.n)).toBe(2);

    const src = (await findSource(t.db, added[0]!.id))!;
    expect(src).toMatchObject({ itemsFilteredLast: 3, itemsStored: 2, itemFilter: { linkIncludes: ['/national-media-release/'] }, outletDomain: null });

    const app = createApp(deps);
    const list = (await (await app.request('/v1/sources')).json()) as { data: Array<Record<string, unknown>> };
    expect(list.data[0]).toMatchObject({ itemFilter: { linkIncludes: ['/national-media-release/'] }, itemsFilteredLast: 3 });
    const page = await (await app.request('/sources')).text();
    expect(page).toContain('filter dropped 3 last fetch');
  });

  it('filters on the reader threads before they classify', async () => {
    srv.route('/cbp-pooled', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(cbpFeed()));
    await addSources(t.db, [{ url: srv.url('/cbp-pooled'), itemFilter: { linkExcludes: ['/local-media-release/'] } }], clock.now());
    if (!deps.readPool) return; // READ_THREADS=0 here: the in-process path is the first test
    await deps.readPool.whenReady();
    const before = deps.readPool.counts.onThreads;
    const [out] = await refreshDueSources({ ...deps, clustering: undefined });
    expect(out).toMatchObject({ outcome: 'ok', created: 2, itemsFiltered: 3 });
    expect(deps.readPool.counts.onThreads).toBe(before + 1);
  });

  it('a filter is validated and settable through the admin API (PATCH itemFilter, outlet)', async () => {
    const { added } = await addSources(t.db, [{ url: 'https://www.eluniversal.com.mx/rss/nacion.xml', name: 'El Universal Nación' }], clock.now());
    const id = added[0]!.id;
    expect(added[0]).toMatchObject({ outletDomain: 'eluniversal.com.mx', outlet: null, itemFilter: null });
    const app = createApp(deps);
    const patch = (body: unknown) =>
      app.request(`/v1/sources/${id}`, { method: 'PATCH', headers: { authorization: 'Bearer secret-admin-token-123456', 'content-type': 'application/json' }, body: JSON.stringify(body) });
    let res = await patch({ itemFilter: { linkIncludes: ['/nacion/'] }, outlet: 'El Universal' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ itemFilter: { linkIncludes: ['/nacion/'] }, outlet: 'El Universal', outletDomain: 'eluniversal.com.mx' });
    expect((await patch({ itemFilter: {} })).status).toBe(400);
    expect((await patch({ itemFilter: { linkRegex: ['.*'] } })).status).toBe(400);
    res = await patch({ itemFilter: null, outlet: null });
    expect(await res.json()).toMatchObject({ itemFilter: null, outlet: 'eluniversal.com.mx' });
    expect(await findSource(t.db, id)).toMatchObject({ itemFilter: null, outlet: null });
  });

  /** Stores a feed's items for a source as a fetch would, then places them into stories. */
  const ingest = async (sourceId: number, feedUrl: string, items: TestItem[]) => {
    const feed = await readFeed(new TextEncoder().encode(rss('feed', items)), { contentType: 'application/rss+xml', feedUrl, now: clock.now() });
    await t.db.transaction().execute((trx) => storeFeedItems(trx, sourceId, feed.items, classifierFor(deps.classify), clock.now()));
  };
  const storyOfUrl = async (url: string) =>
    t.db
      .selectFrom('articles')
      .innerJoin('stories', 'stories.id', 'articles.story_id')
      .select(['stories.id', 'stories.article_count', 'stories.outlet_count'])
      .where('articles.url', '=', url)
      .executeTakeFirstOrThrow();

  it('two section feeds of one outlet count as one outlet; a Google News site: stand-in counts as that site', async () => {
    const { added } = await addSources(
      t.db,
      [
        { url: 'https://www.eluniversal.com.mx/rss/nacion.xml', name: 'El Universal Nación' },
        { url: 'https://feeds.eluniversal.com.mx/rss/mundo.xml', name: 'El Universal Mundo' },
        { url: 'https://news.google.com/rss/search?q=site:milenio.com+cartel&hl=es-419', name: 'Milenio (Google News)', standIn: true },
        { url: 'https://www.milenio.com/rss', name: 'Milenio' },
        { url: 'https://www.nbcnews.com/feed', name: 'NBC' },
      ],
      clock.now(),
    );
    const [nacion, mundo, gnMilenio, milenio, nbc] = added;
    expect(added.map((s) => s.outletDomain)).toEqual(['eluniversal.com.mx', 'eluniversal.com.mx', 'milenio.com', 'milenio.com', 'nbcnews.com']);

    await ingest(nacion!.id, nacion!.url, [strikesItem('https://www.eluniversal.com.mx/nacion/drones-sinaloa', 'Mon, 23 Nov 2026 10:00:00 GMT')]);
    await ingest(mundo!.id, mundo!.url, [strikesItem('https://www.eluniversal.com.mx/mundo/drones-sinaloa-pentagono', 'Mon, 23 Nov 2026 10:20:00 GMT')]);
    await new ClusterScheduler(t.db, clock.now, createLogger('silent')).settle();
    let story = await storyOfUrl('https://www.eluniversal.com.mx/nacion/drones-sinaloa');
    expect(story).toMatchObject({ article_count: 2, outlet_count: 1 });

    await ingest(gnMilenio!.id, gnMilenio!.url, [strikesItem('https://www.milenio.com/internacional/drones-sinaloa', 'Mon, 23 Nov 2026 11:00:00 GMT')]);
    await ingest(milenio!.id, milenio!.url, [strikesItem('https://www.milenio.com/policia/drones-pentagono-sinaloa', 'Mon, 23 Nov 2026 11:30:00 GMT')]);
    await new ClusterScheduler(t.db, clock.now, createLogger('silent')).settle();
    story = await storyOfUrl('https://www.eluniversal.com.mx/nacion/drones-sinaloa');
    expect(story).toMatchObject({ article_count: 4, outlet_count: 2 });

    await ingest(nbc!.id, nbc!.url, [strikesItem('https://www.nbcnews.com/news/drones-sinaloa', 'Mon, 23 Nov 2026 12:00:00 GMT')]);
    await new ClusterScheduler(t.db, clock.now, createLogger('silent')).settle();
    story = await storyOfUrl('https://www.nbcnews.com/news/drones-sinaloa');
    expect(story).toMatchObject({ article_count: 5, outlet_count: 3 });

    // The API's story shows the count; an explicit outlet name is shown on the coverage list.
    await deps.db.updateTable('sources').set({ outlet: 'El Universal' }).where('id', 'in', [nacion!.id, mundo!.id]).execute();
    const app = createApp(deps);
    const body = (await (await app.request(`/v1/stories/${story.id}`)).json()) as { outletCount: number; articles: Array<{ source: { name: string } | null }> };
    expect(body.outletCount).toBe(3);
    expect(body.articles.map((a) => a.source?.name)).toContain('El Universal');
  });
});
