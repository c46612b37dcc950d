// Issue 17: storyline links between stories, stored both ways, refreshed by the placer's last step.
// Real path: a local feed server, refreshDueSources, the cluster scheduler, then the HTTP API.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { refreshStoryLinks } from '../../db/repositories/story-links.repository.js';
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
/** Unrelated events of one day sharing only entities carried by most stories of the period. */
const EVERYDAY: string[][] = [
  ['person:claudia-sheinbaum', 'cartel:sinaloa-cartel', 'place:tijuana'],
  ['person:claudia-sheinbaum', 'cartel:sinaloa-cartel', 'place:nogales'],
  ['person:claudia-sheinbaum', 'cartel:sinaloa-cartel', 'place:chicago'],
  ['person:claudia-sheinbaum', 'cartel:sinaloa-cartel', 'place:hermosillo'],
  ['person:claudia-sheinbaum', 'cartel:sinaloa-cartel', 'place:mazatlan', 'place:reynosa'],
  ['person:claudia-sheinbaum', 'cartel:sinaloa-cartel', 'place:reynosa', 'place:mazatlan'],
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
    // Every pair of the war is linked, in both directions, by the two distinctive entities they share…
    for (const a of war) for (const b of war) if (a !== b) {
      expect(rows.find((r) => r.story_id === a && r.related_id === b), `${a}→${b}`).toMatchObject({
        kind: 'storyline',
        shared: ['cartel:los-chapitos', 'place:mx-sin-culiacan'],
      });
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

  it('a story merged away loses its links both ways; the survivor is refreshed', async () => {
    for (const [i, item] of WAR.entries()) await ingest(`/war-${i}`, [item]);
    const [w1, w2, w3] = await Promise.all(WAR.map((i) => storyOf(i.link!)));
    expect((await links()).some((r) => r.story_id === w3 || r.related_id === w3)).toBe(true);

    // The placer merges w3 into w1 (members move, merged_into set), then refreshes the stories it touched:
    // the survivor only (a merged-away story is not in its touched set).
    await h.t.db.transaction().execute(async (trx) => {
      await sql`UPDATE articles SET story_id = ${w1} WHERE story_id = ${w3}`.execute(trx);
      await sql`UPDATE stories SET merged_into = ${w1} WHERE id = ${w3}`.execute(trx);
      await refreshStoryLinks(trx, [w1!]);
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

    // A story that leaves the beat loses its links too (both directions).
    await sql`UPDATE stories SET relevance = 'off_beat' WHERE id = ${w2}`.execute(h.t.db);
    await refreshStoryLinks(h.t.db, [w2!]);
    expect(await links()).toEqual([]);
  });

  it('stories more than a week apart are not linked', async () => {
    await ingest('/war-2', [WAR[2]!]);
    await ingest('/war-early', [{ ...WAR[0]!, guid: 'early', link: 'https://war.example/early', pubDate: 'Mon, 02 Nov 2026 09:00:00 GMT' }]);
    const [a, b] = [await storyOf(WAR[2]!.link!), await storyOf('https://war.example/early')];
    expect(a).not.toBe(b);
    expect(await links()).toEqual([]);
  });

  it('entities carried by most of the window\'s stories link nothing; two distinctive ones do', async () => {
    // Stories written directly (what the placer leaves behind), then the refresh step over all of them.
    const ids: number[] = [];
    for (const [i, ents] of EVERYDAY.entries()) {
      const at = new Date(Date.UTC(2026, 10, 24, 10 + i));
      const st = await sql<{ id: number }>`
        INSERT INTO stories (headline, first_published_at, last_published_at, first_seen_at, last_updated_at, topics, relevance)
        VALUES (${`Everyday ${i}`}, ${at}, ${at}, ${at}, ${at}, '{cartel-violence}', 'on_beat') RETURNING id`.execute(h.t.db);
      const id = st.rows[0]!.id;
      ids.push(id);
      await sql`
        INSERT INTO articles (dedup_key, title, published_at, first_seen_at, updated_at, content_hash, relevance, topics, entities, story_id)
        VALUES (${`k${i}`}, ${`Everyday ${i}`}, ${at}, ${at}, ${at}, ${`h${i}`}, 'on_beat', '{cartel-violence}',
                ${JSON.stringify(ents.map((e) => ({ id: e, kind: e.split(':')[0], name: e, matched: e })))}::jsonb, ${id})`.execute(h.t.db);
    }
    await refreshStoryLinks(h.t.db, ids);
    // Six stories carry the president and the cartel (more than the floor of five): only the last two,
    // which also share Mazatlán and Reynosa, are linked — by those two alone.
    const rows = await links();
    expect(rows).toEqual([
      { story_id: ids[4], related_id: ids[5], kind: 'storyline', shared: ['place:mazatlan', 'place:reynosa'] },
      { story_id: ids[5], related_id: ids[4], kind: 'storyline', shared: ['place:mazatlan', 'place:reynosa'] },
    ]);
    // Refreshing one side only rewrites the pair, still both ways.
    await refreshStoryLinks(h.t.db, [ids[5]!]);
    expect(await links()).toEqual(rows);
    expect(await asymmetric()).toBe(0);
  });
});
