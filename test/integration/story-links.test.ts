// Issue 17: storyline links between stories, found by placement (coverage within three weeks that scores as related), stored both ways.
// Real path: a local feed server, refreshDueSources, the cluster scheduler, then the HTTP API.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { mergeStories } from '../../db/repositories/clustering.repository.js';
import type { Classification, EntityMention } from '../../src/model/types.js';
import type { Classify } from '../../src/services/refresh-feeds.js';
import { getJson } from '../api/api-helpers.js';
import { dbKind } from '../helpers/db.js';
import type { TestItem } from '../helpers/feed-server.js';
import { useIngestHarness } from '../helpers/ingest-harness.js';

// Entities by keyword, as the gazetteer would find them (the test is about links, not matching).
const GAZETTEER: Array<[RegExp, string]> = [
  [/culiac[aá]n/i, 'place:mx-sin-culiacan'],
  [/chapitos/i, 'cartel:los-chapitos'],
  [/sheinbaum/i, 'person:claudia-sheinbaum'],
  [/sinaloa cartel/i, 'cartel:sinaloa-cartel'],
  ...['Bachigualato', 'Trevilla', 'Navolato', 'Rocha Moya', 'Eldorado', 'SEP', 'Imala', 'Fiscalía', 'Costa Rica',
      'Tijuana', 'Nogales', 'Chicago', 'Arizona', 'Hermosillo', 'Mazatlán', 'Ebrard', 'Landau', 'Harfuch', 'Cuauhtémoc',
      'Durazo', 'Reynosa', 'Juárez', 'Monterrey', 'Toluca', 'Zacatecas', 'Tabasco', 'Colima'].map(
    (w): [RegExp, string] => [new RegExp(w, 'i'), `place:${w.toLowerCase().normalize('NFD').replace(/[^a-z]+/g, '-')}`],
  ),
];
const entitiesOf = (text: string): EntityMention[] =>
  GAZETTEER.filter(([re]) => re.test(text)).map(([, id]) => {
    const [kind, slug] = id.split(':') as [EntityMention['kind'], string];
    return { id, kind, name: slug, matched: slug };
  });
const classify: Classify = (input) =>
  ({
    relevance: 'on_beat',
    score: 0.9,
    topics: ['cartel-violence'],
    entities: entitiesOf(`${input.title} ${input.text}`),
    evidence: [],
    rulesVersion: 'test',
  }) satisfies Classification;

// A storyline: the Chapitos war in Culiacán, three distinct events over six days (different words and
// places, two shared entities: the clusterer keeps them apart, the links tie them together).
const WAR: TestItem[] = [
  {
    guid: 'w1',
    link: 'https://war.example/army-deploys',
    title: 'Army flies six hundred paratroopers into Culiacán after Chapitos ambush',
    description: 'General Trevilla said reinforcements landed at Bachigualato and patrol the road to Navolato.',
    pubDate: 'Fri, 20 Nov 2026 08:00:00 GMT',
  },
  {
    guid: 'w2',
    link: 'https://war.example/schools-closed',
    title: 'Culiacán parents keep children home; classrooms empty for a third day',
    description: 'Governor Rocha Moya and the SEP suspended lessons in Eldorado while Chapitos lookouts watch the avenues.',
    pubDate: 'Mon, 23 Nov 2026 07:00:00 GMT',
  },
  {
    guid: 'w3',
    link: 'https://war.example/morgue',
    title: 'Forensic service in Culiacán overwhelmed, refrigerated containers brought in',
    description: 'The Fiscalía identified bodies found in Imala and Costa Rica that the Chapitos faction left along the highway.',
    pubDate: 'Thu, 26 Nov 2026 09:00:00 GMT',
  },
];

describe(`storyline links (${dbKind})`, () => {
  const h = useIngestHarness({ classify, start: new Date('2026-11-28T12:00:00Z') });
  const { ingest, storyOf } = h;
  const links = async () =>
    (await sql<{ story_id: number; related_id: number; kind: string; shared: string[] }>`
      SELECT story_id, related_id, kind, shared FROM story_links ORDER BY story_id, related_id`.execute(h.t.db)).rows;
  const asymmetric = async () =>
    Number(
      (await sql<{ n: number }>`
        SELECT count(*) AS n FROM story_links l
        WHERE NOT EXISTS (SELECT 1 FROM story_links r WHERE r.story_id = l.related_id AND r.related_id = l.story_id
                            AND r.shared = l.shared AND r.score = l.score)`.execute(h.t.db)).rows[0]!.n,
    );
  const relatedIds = async (id: number) => ((await getJson(h.app, `/v1/stories/${id}`)).body.related as any[]).map((r) => r.id).sort((a, b) => a - b);

  it('stories of one storyline link both ways through ingest, read back by the API and the page', async () => {
    // Fed one event at a time, as they happen: each placement refreshes only the stories it touched.
    for (const [i, item] of WAR.entries()) {
      h.clock.advanceMinutes(60);
      await ingest(`/war-${i}`, [item]);
    }
    const [w1, w2, w3] = await Promise.all(WAR.map((i) => storyOf(i.link!)));
    expect(new Set([w1, w2, w3]).size).toBe(3);

    const rows = await links();
    expect(await asymmetric()).toBe(0);
    const war = new Set([w1!, w2!, w3!]);
    // Every pair of the war is linked by placement, in both directions, with what they share…
    for (const a of war) for (const b of war) if (a !== b) {
      const row = rows.find((r) => r.story_id === a && r.related_id === b);
      expect(row, `${a}→${b}`).toMatchObject({ kind: 'similar' });
      expect(row!.shared, `${a}→${b}`).toContain('culiacan');
    }
    expect(rows).toHaveLength(6);

    // The API reads them: A lists B and B lists A.
    expect(await relatedIds(w1!)).toEqual([w2!, w3!].sort((a, b) => a - b));
    expect(await relatedIds(w3!)).toEqual([w1!, w2!].sort((a, b) => a - b));
    const detail = await getJson(h.app, `/v1/stories/${w2}`);
    expect(detail.body.related.every((r: any) => r.reason === 'storyline')).toBe(true);
    const page = await (await h.app.request(`/stories/${w2}`)).text();
    expect(page).toContain(`<a href="/stories/${w1}">`);
  });

  it('a story merged away loses its links both ways', async () => {
    for (const [i, item] of WAR.entries()) await ingest(`/war-${i}`, [item]);
    const [w1, w2, w3] = await Promise.all(WAR.map((i) => storyOf(i.link!)));
    expect((await links()).some((r) => r.story_id === w3 || r.related_id === w3)).toBe(true);

    // The placer's merge (clustering.repository mergeStories): members and keys move, merged_into is set.
    await h.t.db.transaction().execute(async (trx) => {
      await mergeStories(trx, w1!, [w3!]);
    });
    const rows = await links();
    expect(rows.some((r) => r.story_id === w3 || r.related_id === w3)).toBe(false);
    expect(rows.map((r) => [r.story_id, r.related_id])).toEqual(
      [
        [w1!, w2!],
        [w2!, w1!],
      ].sort((a, b) => a[0]! - b[0]!),
    );
    expect(await asymmetric()).toBe(0);
    expect(await relatedIds(w2!)).toEqual([w1!]);
  });

  it('stories more than three weeks apart are not linked', async () => {
    await ingest('/war-2', [WAR[2]!]);
    await ingest('/war-early', [{ ...WAR[0]!, guid: 'early', link: 'https://war.example/early', pubDate: 'Mon, 19 Oct 2026 09:00:00 GMT' }]);
    const [a, b] = [await storyOf(WAR[2]!.link!), await storyOf('https://war.example/early')];
    expect(a).not.toBe(b);
    expect(await links()).toEqual([]);
  });
});
