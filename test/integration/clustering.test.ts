import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createStoriesBatch, mergeStories, postStoryKeysBatch, saveSignaturesBatch } from '../../db/repositories/clustering.repository.js';
import { insertSources } from '../../db/repositories/sources.repository.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { ClusterScheduler } from '../../src/services/cluster-scheduler.js';
import { reclusterAll } from '../../src/services/recluster.js';
import { refreshDueSources } from '../../src/services/refresh-feeds.js';
import { createTestDb, dbKind, emptyStore, type TestDb } from '../helpers/db.js';
import { testConfig, TestClock } from '../helpers/deps.js';
import { rss, startFeedServer, type FeedServer, type TestItem } from '../helpers/feed-server.js';

const STRIKES_EN =
  'The Pentagon is preparing options for drone strikes on Sinaloa Cartel fentanyl labs inside Mexico, officials told reporters on Monday. Defense Secretary Pete Hegseth reviewed the plans, which would use CIA and special operations forces.';
const strikes = {
  en: { title: 'US prepares drone strikes on Sinaloa Cartel labs in Mexico', description: STRIKES_EN, pubDate: 'Mon, 23 Nov 2026 10:00:00 GMT' },
  wire: { title: 'US prepares drone strikes on Sinaloa Cartel labs in Mexico', description: STRIKES_EN.replace('on Monday', 'Monday'), pubDate: 'Mon, 23 Nov 2026 10:30:00 GMT' },
  es: {
    title: 'EU prepara ataques con drones contra laboratorios del Cártel de Sinaloa en México',
    description:
      'El Pentágono prepara opciones para ataques con drones contra laboratorios de fentanilo del Cártel de Sinaloa en México; el secretario de Defensa Pete Hegseth revisó los planes de la CIA y fuerzas especiales.',
    pubDate: 'Mon, 23 Nov 2026 12:00:00 GMT',
  },
};
const extradition = {
  title: 'Mexico sends 26 cartel members to the United States in mass transfer',
  description: 'Mexico transferred 26 alleged cartel figures to US custody on Tuesday, the Justice Department said, the second mass transfer this year.',
  pubDate: 'Tue, 24 Nov 2026 15:00:00 GMT',
};

describe(`event clustering and wire copies through ingest (${dbKind})`, () => {
  let t: TestDb;
  let srv: FeedServer;
  let deps: Deps;
  const clock = new TestClock(new Date('2026-11-25T12:00:00Z'));

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    deps = await createDeps(testConfig(), { handle: t, migrate: false, seed: false, logger: createLogger('silent'), clock: clock.now });
  });
  afterAll(async () => {
    await srv?.close();
    await deps?.readPool?.close();
    await t?.close();
  });
  beforeEach(() => emptyStore(t.db));

  const feed = (path: string, items: TestItem[]) =>
    srv.route(path, (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(path, items)));
  /** What a refresh pass ends with: place everything pending. */
  const sweep = () => new ClusterScheduler(t.db, clock.now, createLogger('silent')).settle();
  const storyOf = async (url: string) =>
    (await t.db.selectFrom('articles').select(['id', 'story_id', 'duplicate_of']).where('url', '=', url).executeTakeFirstOrThrow());

  it('groups English, Spanish and wire coverage of one event into one story, and keeps other events apart', async () => {
    feed('/nbc', [{ guid: 'n1', link: 'https://nbc.example/strikes', ...strikes.en }, { guid: 'n2', link: 'https://nbc.example/transfer', ...extradition }]);
    feed('/ap-reprint', [{ guid: 'a1', link: 'https://local-paper.example/ap-strikes', ...strikes.wire }]);
    feed('/milenio', [{ guid: 'm1', link: 'https://milenio.example/drones', ...strikes.es }]);
    await insertSources(t.db, ['/nbc', '/ap-reprint', '/milenio'].map((p, i) => ({ url: srv.url(p), name: ['NBC', 'Local Paper', 'Milenio'][i] })), clock.now());
    await refreshDueSources(deps);

    const en = await storyOf('https://nbc.example/strikes');
    const wire = await storyOf('https://local-paper.example/ap-strikes');
    const es = await storyOf('https://milenio.example/drones');
    const other = await storyOf('https://nbc.example/transfer');
    expect(en.story_id).not.toBeNull();
    expect(wire.story_id).toBe(en.story_id);
    expect(wire.duplicate_of).toBe(en.id);
    expect(es.story_id).toBe(en.story_id);
    expect(other.story_id).not.toBe(en.story_id);

    const story = await t.db.selectFrom('stories').selectAll().where('id', '=', en.story_id!).executeTakeFirstOrThrow();
    expect(story).toMatchObject({ article_count: 3, outlet_count: 3, first_article_id: en.id, relevance: 'on_beat', headline: strikes.en.title });
    expect(story.lang_counts).toEqual({ en: 2, es: 1 });
    expect(story.topics).toContain('us-military-action');

    // Recluster rebuilds the same grouping, twice over.
    const partition = async () =>
      (await t.db.selectFrom('articles').select(['id', 'story_id']).where('story_id', 'is not', null).orderBy('id').execute()).reduce<Record<number, number[]>>((acc, r) => {
        (acc[r.story_id!] ??= []).push(r.id);
        return acc;
      }, {});
    const canon = (p: Record<number, number[]>) => Object.values(p).map((ids) => ids.join(',')).sort();
    const before = canon(await partition());
    const r1 = await reclusterAll(t.db, clock.now);
    expect(canon(await partition())).toEqual(before);
    const r2 = await reclusterAll(t.db, clock.now);
    expect(r2).toEqual(r1);
    expect(canon(await partition())).toEqual(before);
    expect((await storyOf('https://local-paper.example/ap-strikes')).duplicate_of).toBe((await storyOf('https://nbc.example/strikes')).id);
  });

  it('concurrent workers storing copies of one event end with one story', async () => {
    const paths = Array.from({ length: 8 }, (_, i) => `/copy${i}`);
    paths.forEach((p, i) =>
      feed(p, [{ guid: `c${i}`, link: `https://outlet${i}.example/strikes`, ...strikes.en, pubDate: `Mon, 23 Nov 2026 10:0${i}:00 GMT` }]),
    );
    await insertSources(t.db, paths.map((p) => ({ url: srv.url(p) })), clock.now());
    const config = testConfig({ REFRESH_BATCH_SIZE: '1', FETCH_CONCURRENCY: '4' });
    const passes = ['w1', 'w2', 'w3'].map((owner) => refreshDueSources({ ...deps, config }, { owner }));
    const outcomes = (await Promise.all(passes)).flat();
    expect(outcomes.filter((o) => o.outcome === 'ok')).toHaveLength(8);
    const stories = await sql<{ n: number }>`SELECT count(*)::int AS n FROM stories WHERE merged_into IS NULL`.execute(t.db);
    expect(stories.rows[0]!.n).toBe(1);
    const dups = await sql<{ n: number }>`SELECT count(*)::int AS n FROM articles WHERE duplicate_of IS NOT NULL`.execute(t.db);
    expect(dups.rows[0]!.n).toBe(7);
    // Whatever the arrival order, the earliest copy (10:00) is the original and every copy points at it.
    const first = await storyOf('https://outlet0.example/strikes');
    expect(first.duplicate_of).toBeNull();
    const pointers = await sql<{ d: number }>`SELECT DISTINCT duplicate_of AS d FROM articles WHERE duplicate_of IS NOT NULL`.execute(t.db);
    expect(pointers.rows).toEqual([{ d: first.id }]);
    const story = await t.db.selectFrom('stories').select('first_article_id').executeTakeFirstOrThrow();
    expect(story.first_article_id).toBe(first.id);
  });

  it('articles left unplaced (a worker died after storing, before clustering) are placed by the next sweep, once', async () => {
    feed('/nbc', [{ guid: 'n1', link: 'https://nbc.example/strikes', ...strikes.en }]);
    feed('/milenio', [{ guid: 'm1', link: 'https://milenio.example/drones', ...strikes.es }]);
    await insertSources(t.db, [{ url: srv.url('/nbc') }, { url: srv.url('/milenio') }], clock.now());
    await refreshDueSources({ ...deps, clustering: undefined });
    expect((await storyOf('https://nbc.example/strikes')).story_id).toBeNull();

    expect(await sweep()).toMatchObject({ clustered: 2 });
    const en = await storyOf('https://nbc.example/strikes');
    expect(en.story_id).not.toBeNull();
    expect((await storyOf('https://milenio.example/drones')).story_id).toBe(en.story_id);
    // Nothing is pending any more, and a second sweep changes nothing.
    expect(await sweep()).toMatchObject({ clustered: 0 });
  });

  it('merging stories moves their articles and keys; merged ids keep resolving', async () => {
    await insertSources(t.db, [{ url: 'https://feeds.example/x' }], clock.now());
    const ids = (
      await sql<{ id: number }>`
        INSERT INTO articles (dedup_key, title, published_at, content_hash, relevance)
        VALUES ('u:a', 'Story A', now(), 'h1', 'on_beat'), ('u:b', 'Story B', now(), 'h2', 'on_beat') RETURNING id`.execute(t.db)
    ).rows.map((r) => r.id);
    await t.db.transaction().execute(async (trx) => {
      const created = await createStoriesBatch(trx, ids, clock.now());
      const [sa, sb] = ids.map((id) => created.get(id)!) as [number, number];
      const f = { v: 1, lang: 'en', publishedAtMs: Date.now(), terms: { a: 1 }, anchors: {}, sketchKeys: [] };
      await saveSignaturesBatch(trx, ids.map((id) => ({ id, minhash: [1, 2], bandKeys: [], features: f, duplicateOf: null, storyId: created.get(id)! })));
      await postStoryKeysBatch(trx, [{ storyId: sa, key: 1, lastSeenAt: clock.now() }, { storyId: sb, key: 2, lastSeenAt: clock.now() }]);
      await mergeStories(trx, sa, [sb]);
      const merged = await sql<{ merged_into: number }>`SELECT merged_into FROM stories WHERE id = ${sb}`.execute(trx);
      expect(Number(merged.rows[0]!.merged_into)).toBe(sa);
      const keys = await sql<{ story_id: number; key: number }>`SELECT story_id, key FROM story_keys ORDER BY key`.execute(trx);
      expect(keys.rows).toEqual([{ story_id: Number(sa), key: 1 }, { story_id: Number(sa), key: 2 }]);
      const arts = await sql<{ story_id: number }>`SELECT DISTINCT story_id FROM articles`.execute(trx);
      expect(arts.rows).toEqual([{ story_id: Number(sa) }]);
    });
  });
});
