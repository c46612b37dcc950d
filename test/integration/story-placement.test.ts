// Issue 17: what a reader sees of placement, through the real path (local feed server, refreshDueSources,
// the cluster scheduler, the HTTP API), on PGlite and PostgreSQL: roundups attached to each event they name
// and glued into none; a story's headline, topics and relevance from its on-beat articles only.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Classification } from '../../src/model/types.js';
import type { Classify } from '../../src/services/refresh-feeds.js';
import { getJson } from '../api/api-helpers.js';
import { dbKind } from '../helpers/db.js';
import type { TestItem } from '../helpers/feed-server.js';
import { useIngestHarness } from '../helpers/ingest-harness.js';

/** Relevance by a marker in the title ("markets"), so each test decides what the classifier says. */
const classify: Classify = (input) => {
  const relevance = /markets/i.test(input.title) ? 'adjacent' : 'on_beat';
  return {
    relevance,
    score: relevance === 'on_beat' ? 0.9 : 0.4,
    topics: relevance === 'on_beat' ? ['cartel-violence'] : [],
    entities: [],
    evidence: [],
    rulesVersion: 'test',
  } satisfies Classification;
};

const TRANSFER: TestItem = {
  guid: 't1',
  link: 'https://a.example/transfer',
  title: 'Mexico sends 26 cartel members to the United States in mass transfer',
  description: 'Mexico transferred 26 alleged cartel figures to US custody on Tuesday, the Justice Department said.',
  pubDate: 'Tue, 24 Nov 2026 15:00:00 GMT',
};
const TRANSFER_2: TestItem = {
  guid: 't2',
  link: 'https://b.example/transfer',
  title: 'US receives 26 alleged cartel members transferred by Mexico',
  description: 'The 26 cartel figures transferred by Mexico arrived in US custody on Tuesday, the Justice Department said.',
  pubDate: 'Tue, 24 Nov 2026 16:00:00 GMT',
};
const DRONES: TestItem = {
  guid: 'd1',
  link: 'https://a.example/drones',
  title: 'Pentagon prepares drone strike options against fentanyl laboratories in Sinaloa',
  description: 'Defense officials reviewed plans for drone missions against clandestine fentanyl laboratories in the Sinaloa mountains.',
  pubDate: 'Tue, 24 Nov 2026 10:00:00 GMT',
};
const DRONES_2: TestItem = {
  guid: 'd2',
  link: 'https://b.example/drones',
  title: 'Drone strikes on Sinaloa fentanyl laboratories weighed by the Pentagon',
  description: 'Pentagon planners weighed drone missions against fentanyl laboratories hidden in the Sinaloa mountains.',
  pubDate: 'Tue, 24 Nov 2026 11:00:00 GMT',
};
const ROUNDUP: TestItem = {
  guid: 'r1',
  link: 'https://c.example/week',
  title: "Mexico's week in review: 26 cartel members transferred to the US, Pentagon weighs drone strikes in Sinaloa",
  description:
    'Mexico transferred 26 cartel members to US custody; the Pentagon weighed drone strikes against fentanyl laboratories in Sinaloa.',
  pubDate: 'Wed, 25 Nov 2026 09:00:00 GMT',
};

describe(`story placement as readers see it (${dbKind})`, () => {
  const h = useIngestHarness({ classify, start: new Date('2026-11-25T12:00:00Z') });
  const ingest = h.ingest;
  const article = async (url: string) =>
    (await sql<{ id: number; story_id: number | null; is_roundup: boolean }>`SELECT id, story_id, is_roundup FROM articles WHERE url = ${url}`.execute(h.t.db)).rows[0]!;

  it('a roundup is attached to each event it names, joins none, and glues none together', async () => {
    await ingest('/a', [TRANSFER, DRONES]);
    await ingest('/b', [TRANSFER_2, DRONES_2]);
    h.clock.advanceMinutes(60 * 20);
    await ingest('/c', [ROUNDUP]);

    const [t1, t2, d1, d2, r] = await Promise.all([TRANSFER, TRANSFER_2, DRONES, DRONES_2, ROUNDUP].map((i) => article(i.link!)));
    expect(t2!.story_id).toBe(t1!.story_id);
    expect(d2!.story_id).toBe(d1!.story_id);
    expect(d1!.story_id).not.toBe(t1!.story_id);
    expect(r).toMatchObject({ story_id: null, is_roundup: true });

    const attached = await sql<{ story_id: number }>`SELECT story_id FROM story_roundups WHERE article_id = ${r!.id} ORDER BY story_id`.execute(h.t.db);
    expect(attached.rows.map((x) => Number(x.story_id))).toEqual([t1!.story_id, d1!.story_id].map(Number).sort((a, b) => a - b));

    // Readers see it as related coverage of both stories, never as a member.
    for (const id of [t1!.story_id, d1!.story_id]) {
      const s = await getJson(h.app, `/v1/stories/${id}`);
      expect(s.status).toBe(200);
      expect(s.body.articleCount).toBe(2);
      expect(s.body.articles.map((a: any) => a.id)).not.toContain(r!.id);
      expect(s.body.roundups.map((a: any) => a.id)).toEqual([r!.id]);
    }
    // The topic list has the two events, not a third story for the roundup.
    const list = await getJson(h.app, '/v1/topics/all/stories?limit=50');
    expect(list.body.data.map((x: any) => x.id).sort()).toEqual([t1!.story_id, d1!.story_id].sort());
  });

  it("a story's headline, topics and relevance come from its on-beat articles, even when an adjacent one came first", async () => {
    // An adjacent piece on the same event arrives first (earlier date, earlier fetch).
    const adjacentFirst: TestItem = {
      guid: 'x1',
      link: 'https://a.example/adjacent/transfer-markets',
      title: 'Mexico sends 26 cartel members to the United States as markets watch trade talks',
      description: 'Mexico transferred 26 alleged cartel figures to US custody on Tuesday; traders watched tariff talks.',
      pubDate: 'Tue, 24 Nov 2026 14:00:00 GMT',
    };
    await ingest('/adj', [adjacentFirst]);
    const first = await article(adjacentFirst.link!);
    const before = await sql<{ headline: string; relevance: string; topics: string[] }>`SELECT headline, relevance, topics FROM stories WHERE id = ${first.story_id}`.execute(h.t.db);
    expect(before.rows[0]).toMatchObject({ relevance: 'adjacent', topics: [] });

    await ingest('/a', [TRANSFER]);
    const on = await article(TRANSFER.link!);
    expect(on.story_id).toBe(first.story_id);
    const s = await getJson(h.app, `/v1/stories/${on.story_id}`);
    expect(s.body).toMatchObject({ headline: TRANSFER.title, relevance: 'on_beat', topics: ['cartel-violence'] });
    expect(s.body.firstReport).toMatchObject({ articleId: on.id });
    // Story time is still the event's first report, whoever made it.
    expect(s.body.eventAt).toBe('2026-11-24T14:00:00.000Z');
  });
});
