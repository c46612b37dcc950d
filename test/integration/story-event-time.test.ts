// Issue 17 (story time): a story's time is when the event was first reported, not when we ingested it.
// Real path: a local feed server, refreshDueSources, the cluster scheduler, then the HTTP API and feeds.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Classification } from '../../src/model/types.js';
import type { Classify } from '../../src/services/refresh-feeds.js';
import { getJson, walk } from '../api/api-helpers.js';
import { dbKind } from '../helpers/db.js';
import type { TestItem } from '../helpers/feed-server.js';
import { useIngestHarness } from '../helpers/ingest-harness.js';

// Every item is on the beat (cartel-violence): the test is about order, not classification.
const classify: Classify = () =>
  ({ relevance: 'on_beat', score: 0.9, topics: ['cartel-violence'], entities: [], evidence: [], rulesVersion: 'test' }) satisfies Classification;

const CURRENT: TestItem[] = [
  {
    guid: 'c1',
    link: 'https://current.example/drones',
    title: 'Pentagon prepares drone strike options against fentanyl laboratories',
    description: 'Defense officials reviewed plans for unmanned aircraft missions targeting clandestine chemical sites in Sinaloa mountains.',
    pubDate: 'Wed, 25 Nov 2026 08:00:00 GMT',
  },
  {
    guid: 'c2',
    link: 'https://current.example/tariffs',
    title: 'Treasury sanctions money launderers tied to casinos in Monterrey',
    description: 'OFAC designated gambling halls and exchange houses accused of moving proceeds for a criminal organization.',
    pubDate: 'Wed, 25 Nov 2026 09:00:00 GMT',
  },
  {
    guid: 'c3',
    link: 'https://current.example/prison',
    title: 'Inmates escape from Ciudad Juárez penitentiary after riot',
    description: 'Guards lost control of the cell blocks overnight; soldiers now patrol the perimeter searching for fugitives.',
    pubDate: 'Wed, 25 Nov 2026 10:00:00 GMT',
  },
];

const ARCHIVE: TestItem[] = [
  {
    guid: 'o1',
    link: 'https://archive.example/2022/ovidio',
    title: 'Marines capture kingpin son after gun battle near airport',
    description: 'Helicopters landed on the runway while convoys of pickup trucks blocked highways with burning buses.',
    pubDate: 'Thu, 05 May 2022 06:00:00 GMT',
  },
  {
    guid: 'o2',
    link: 'https://archive.example/2022/avocado',
    title: 'Avocado inspectors threatened in Michoacán orchards',
    description: 'Agricultural export checks were suspended after an inspector received extortion calls.',
    pubDate: 'Mon, 14 Feb 2022 15:00:00 GMT',
  },
];

describe(`story event time (${dbKind})`, () => {
  const h = useIngestHarness({ classify, start: new Date('2026-11-25T12:00:00Z') });
  const { ingest, storyOf } = h;
  const guids = (xml: string) => [...xml.matchAll(/<guid isPermaLink="false">urn:frontera:story:(\d+)<\/guid>/g)].map((m) => Number(m[1]));

  it('a backfilled 2022 feed lists after the current stories in the topic JSON and the feeds; later coverage moves `updated` only', async () => {
    await ingest('/current', CURRENT);
    h.clock.advanceMinutes(60);
    await ingest('/archive', ARCHIVE);
    const [c1, c2, c3, o1, o2] = await Promise.all([...CURRENT, ...ARCHIVE].map((i) => storyOf(i.link!)));
    expect(new Set([c1, c2, c3, o1, o2]).size).toBe(5);

    const list = await getJson(h.app, '/v1/topics/cartel-violence/stories?limit=100');
    expect(list.status).toBe(200);
    expect(list.body.data.map((x: any) => x.id)).toEqual([c3, c2, c1, o1, o2]);
    const byId = new Map<number, any>(list.body.data.map((x: any) => [x.id, x]));
    expect(byId.get(o1)).toMatchObject({ eventAt: '2022-05-05T06:00:00.000Z', firstReport: { publishedAt: '2022-05-05T06:00:00.000Z' } });
    // The backfilled stories are the newest activity, and still list last.
    expect(byId.get(o1).lastUpdatedAt > byId.get(c3).lastUpdatedAt).toBe(true);
    expect(byId.get(c3).eventAt).toBe('2026-11-25T10:00:00.000Z');

    const rssText = await (await h.app.request('/feeds/cartel-violence.rss')).text();
    expect(guids(rssText)).toEqual([c3, c2, c1, o1, o2]);
    expect(rssText).toContain('<pubDate>Thu, 05 May 2022 06:00:00 GMT</pubDate>');
    const allRss = await (await h.app.request('/feeds/all.rss')).text();
    expect(guids(allRss)).toEqual([c3, c2, c1, o1, o2]);

    // Later coverage of the first current story (another outlet, an hour later): same event time, new `updated`.
    h.clock.advanceMinutes(60);
    await ingest('/later', [{ ...CURRENT[0]!, guid: 'l1', link: 'https://later.example/drones', pubDate: 'Wed, 25 Nov 2026 13:30:00 GMT' }]);
    expect(await storyOf('https://later.example/drones')).toBe(c1);
    const after = await getJson(h.app, '/v1/topics/cartel-violence/stories?limit=100');
    expect(after.body.data.map((x: any) => x.id)).toEqual([c3, c2, c1, o1, o2]);
    const s1 = after.body.data.find((x: any) => x.id === c1);
    expect(s1).toMatchObject({ articleCount: 2, eventAt: '2026-11-25T08:00:00.000Z', lastUpdatedAt: '2026-11-25T14:00:00.000Z' });

    const atom = await (await h.app.request('/feeds/cartel-violence.atom')).text();
    const entry = atom.split('<entry>').find((e) => e.includes(`urn:frontera:story:${c1}<`))!;
    expect(entry).toContain('<published>2026-11-25T08:00:00.000Z</published>');
    expect(entry).toContain('<updated>2026-11-25T14:00:00.000Z</updated>');
    const json = await getJson(h.app, '/feeds/cartel-violence.json');
    expect(json.body.items.map((i: any) => i.id)).toEqual([c3, c2, c1, o1, o2].map((id) => `urn:frontera:story:${id}`));
    expect(json.body.items[2]).toMatchObject({ date_published: '2026-11-25T08:00:00.000Z', date_modified: '2026-11-25T14:00:00.000Z' });

    // The activity filters still read last_updated_at: since 13:30 only the story with later coverage.
    const since = await getJson(h.app, '/v1/topics/cartel-violence/stories?since=2026-11-25T13:30:00Z');
    expect(since.body.data.map((x: any) => x.id)).toEqual([c1]);
    const until = await getJson(h.app, '/v1/topics/cartel-violence/stories?until=2026-11-25T12:30:00Z');
    expect(until.body.data.map((x: any) => x.id)).toEqual([c3, c2]);
  });

  it('an article dated in the future does not put its story on top: its time is bounded by when it was first seen', async () => {
    // Within the reader's clock-skew tolerance, the date is kept: published 9 minutes after we saw it.
    await ingest('/skewed', [{ ...CURRENT[1]!, pubDate: 'Wed, 25 Nov 2026 12:09:00 GMT' }]);
    const skewed = await storyOf(CURRENT[1]!.link!);
    const row = (await sql<{ first_published_at: Date; event_at: Date }>`SELECT first_published_at, event_at FROM stories WHERE id = ${skewed}`.execute(h.t.db))
      .rows[0]!;
    expect(row.first_published_at.toISOString()).toBe('2026-11-25T12:09:00.000Z');
    expect(row.event_at.toISOString()).toBe('2026-11-25T12:00:00.000Z');

    // Five minutes later, a story published at 12:04: the newer event, so it lists first.
    h.clock.advanceMinutes(5);
    await ingest('/fresh', [{ ...CURRENT[2]!, pubDate: 'Wed, 25 Nov 2026 12:04:00 GMT' }]);
    const fresh = await storyOf(CURRENT[2]!.link!);
    const list = await getJson(h.app, '/v1/topics/all/stories');
    expect(list.body.data.map((x: any) => x.id)).toEqual([fresh, skewed]);
    expect(list.body.data[1]).toMatchObject({ eventAt: '2026-11-25T12:00:00.000Z', firstSeenAt: '2026-11-25T12:00:00.000Z' });

    // A date far in the future written straight to the store (no reader clamp) is bounded the same way.
    await sql`UPDATE articles SET published_at = '2031-01-01T00:00:00Z' WHERE url = ${CURRENT[1]!.link!}`.execute(h.t.db);
    await sql`UPDATE stories SET first_published_at = '2031-01-01T00:00:00Z' WHERE id = ${skewed}`.execute(h.t.db);
    expect((await getJson(h.app, '/v1/topics/all/stories')).body.data.map((x: any) => x.id)).toEqual([fresh, skewed]);
  });

  it('pagination over mixed event times (ties, odd microseconds, 2022 and now) returns every story exactly once, newest event first', async () => {
    await ingest('/current', CURRENT);
    h.clock.advanceMinutes(30);
    await ingest('/archive', ARCHIVE);
    h.clock.advanceMinutes(30);
    await ingest('/more', [
      { guid: 'm1', link: 'https://more.example/m1', title: 'Helicopter crash kills marines during training over Tamaulipas', description: 'Navy aviation grounded its fleet pending review.', pubDate: 'Wed, 25 Nov 2026 11:00:00 GMT' },
      { guid: 'm2', link: 'https://more.example/m2', title: 'Journalist shot dead outside radio station in Guerrero', description: 'Press freedom groups demanded protection for reporters.', pubDate: 'Tue, 01 Aug 2023 12:00:00 GMT' },
      { guid: 'm3', link: 'https://more.example/m3', title: 'Customs agents find rifles inside washing machines in Laredo', description: 'Weapons were hidden in appliances bound southbound.', pubDate: 'Sun, 01 Jan 2023 00:00:00 GMT' },
    ]);
    const ids = (await sql<{ id: number }>`SELECT id FROM stories WHERE merged_into IS NULL ORDER BY id`.execute(h.t.db)).rows.map((r) => Number(r.id));
    expect(ids).toHaveLength(8);
    // Ties on purpose, at an odd microsecond: three stories share one event time (ids break the tie).
    await sql`UPDATE stories SET first_published_at = '2024-03-03T03:03:03.123457Z' WHERE id = ANY(${ids.slice(2, 5)}::int8[])`.execute(h.t.db);

    const expected = (
      await sql<{ id: number }>`SELECT id FROM stories WHERE merged_into IS NULL ORDER BY LEAST(first_published_at, first_seen_at) DESC, id DESC`.execute(h.t.db)
    ).rows.map((r) => Number(r.id));
    for (const limit of [1, 2, 3, 5]) {
      const { items, pages } = await walk(h.app, `/v1/topics/cartel-violence/stories?limit=${limit}`);
      expect(items.map((x) => x.id), `limit=${limit}`).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / limit));
      for (let i = 1; i < items.length; i++) {
        const [a, b] = [items[i - 1], items[i]];
        expect(a.eventAt >= b.eventAt).toBe(true);
        if (a.eventAt === b.eventAt) expect(a.id).toBeGreaterThan(b.id);
      }
    }
    const tied = (await getJson(h.app, '/v1/topics/cartel-violence/stories?limit=100')).body.data.filter((x: any) => x.eventAt === '2024-03-03T03:03:03.123Z');
    expect(tied).toHaveLength(3);

    // The home page's "older" links walk the same order.
    const seen: number[] = [];
    let next: string | null = '/?topic=cartel-violence';
    while (next) {
      const html = await (await h.app.request(next)).text();
      seen.push(...[...html.matchAll(/<article class="story" id="story-(\d+)"/g)].map((m) => Number(m[1])));
      const older = html.match(/<a rel="next" href="([^"]+)">/);
      next = older ? older[1]!.replace(/&amp;/g, '&') : null;
    }
    expect(seen).toEqual(expected);

    // A cursor of the old activity-ordered list is refused, not followed into a wrong page.
    const stale = Buffer.from(JSON.stringify(['k', 1_700_000_000_000_000, ids[0]])).toString('base64url');
    expect((await getJson(h.app, `/v1/topics/cartel-violence/stories?cursor=${stale}`)).status).toBe(400);
  });
});
