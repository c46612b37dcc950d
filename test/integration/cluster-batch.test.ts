import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { resetClustering } from '../../db/repositories/clustering.repository.js';
import { articleFeatures } from '../../src/cluster/features.js';
import { defaultIdf } from '../../src/cluster/similarity.js';
import { createLogger } from '../../src/logger.js';
import { ClusterScheduler } from '../../src/services/cluster-scheduler.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';

// A batch is decided in memory over what the store holds (cluster-batch.ts). Whatever the batch size,
// the decisions must be those of placing the articles one at a time against the store: same stories,
// same wire-copy originals. Document frequencies are pre-seeded so that the few documents the fixture
// adds barely move the IDF weights between one-article batches.

const STRIKES =
  'The Pentagon is preparing options for drone strikes on Sinaloa Cartel fentanyl labs inside Mexico, officials told reporters on Monday. Defense Secretary Pete Hegseth reviewed the plans, which would use CIA and special operations forces.';
const TRANSFER =
  'Mexico transferred 26 alleged cartel figures to US custody on Tuesday, the Justice Department said, the second mass transfer this year under pressure from Washington.';

interface Row {
  key: string;
  title: string;
  summary: string;
  lang: 'en' | 'es';
  at: string;
  entities?: string[];
}

// Insertion order = id order = the order one-at-a-time sweeps take them (by id); batches sort by time.
const rows: Row[] = [
  { key: 'nbc', title: 'US prepares drone strikes on Sinaloa Cartel labs in Mexico', summary: STRIKES, lang: 'en', at: '2026-11-23T10:00:00Z', entities: ['organization:sinaloa-cartel', 'person:pete-hegseth'] },
  { key: 'transfer-ap', title: 'Mexico sends 26 cartel members to the United States in mass transfer', summary: TRANSFER, lang: 'en', at: '2026-11-24T15:00:00Z' },
  { key: 'wire-late', title: 'US prepares drone strikes on Sinaloa Cartel labs in Mexico', summary: STRIKES.replace('on Monday', 'Monday'), lang: 'en', at: '2026-11-23T10:30:00Z', entities: ['organization:sinaloa-cartel', 'person:pete-hegseth'] },
  {
    key: 'milenio',
    title: 'EU prepara ataques con drones contra laboratorios del Cártel de Sinaloa en México',
    summary: 'El Pentágono prepara opciones para ataques con drones contra laboratorios de fentanilo del Cártel de Sinaloa en México; el secretario de Defensa Pete Hegseth revisó los planes de la CIA y fuerzas especiales.',
    lang: 'es',
    at: '2026-11-23T12:00:00Z',
    entities: ['organization:sinaloa-cartel', 'person:pete-hegseth'],
  },
  {
    key: 'transfer-jornada',
    title: 'México envía a 26 integrantes de cárteles a Estados Unidos en un traslado masivo',
    summary: 'México trasladó a 26 presuntos integrantes de cárteles a custodia de Estados Unidos el martes, informó el Departamento de Justicia, el segundo traslado masivo del año.',
    lang: 'es',
    at: '2026-11-24T16:00:00Z',
  },
  { key: 'nogales', title: 'Record fentanyl seizure at the Nogales port of entry', summary: 'CBP officers found 400 pounds of fentanyl pills hidden in a tomato shipment at the Nogales crossing in Arizona.', lang: 'en', at: '2026-11-22T08:00:00Z' },
  // A copy published before the first report, stored last: the one-at-a-time path repoints the family.
  { key: 'wire-early', title: 'US prepares drone strikes on Sinaloa Cartel labs in Mexico', summary: STRIKES.replace('officials told', 'officials said to'), lang: 'en', at: '2026-11-23T09:45:00Z', entities: ['organization:sinaloa-cartel', 'person:pete-hegseth'] },
];

const eventOf = (key: string) => (key.startsWith('transfer') ? 'transfer' : key === 'nogales' ? 'nogales' : 'strikes');

describe(`batched clustering decides as one article at a time does (${dbKind})`, () => {
  let t: TestDb;
  const now = () => new Date('2026-11-25T12:00:00Z');
  const silent = createLogger('silent');
  const ids = new Map<string, number>();

  beforeAll(async () => {
    t = await createTestDb();
    for (const r of rows) {
      const ents = (r.entities ?? []).map((id) => ({ id, kind: id.split(':')[0], name: id, matched: id }));
      const res = await sql<{ id: number }>`
        INSERT INTO articles (dedup_key, title, summary_text, lang, entities, published_at, content_hash, relevance, first_seen_at)
        VALUES (${'u:' + r.key}, ${r.title}, ${r.summary}, ${r.lang}, ${JSON.stringify(ents)}::jsonb, ${new Date(r.at)}, ${r.key}, 'on_beat', ${now()})
        RETURNING id`.execute(t.db);
      ids.set(r.key, Number(res.rows[0]!.id));
    }
  });
  afterAll(async () => t?.close());

  async function seedFrequencies(): Promise<void> {
    // As in a real table: words that unrelated events share ("Mexico", "cartel") are common; the rest
    // weigh as the fallback weights do (entities and names rarer than concepts).
    const events = new Map<string, Set<string>>();
    for (const r of rows) {
      const f = articleFeatures({ title: r.title, summary: r.summary, lang: r.lang, entities: (r.entities ?? []).map((id) => ({ id })), publishedAt: new Date(r.at) });
      for (const k of [...Object.keys(f.terms), ...Object.keys(f.anchors)]) events.set(k, new Set([...(events.get(k) ?? []), eventOf(r.key)]));
    }
    const terms = [...events.keys()];
    const df = terms.map((k) => (events.get(k)!.size > 1 ? 30000 : Math.round(100000 / (Math.exp(defaultIdf(k)) - 1))));
    await sql`INSERT INTO term_df (term, df) SELECT * FROM unnest(${terms}::text[], ${df}::int[])`.execute(t.db);
    await sql`UPDATE cluster_stats SET total_docs = 100000 WHERE id = 1`.execute(t.db);
  }

  /** Clusters everything pending in batches of `size`; returns the partition and the copy pointers by key. */
  async function run(size: number) {
    await resetClustering(t.db);
    await seedFrequencies();
    await new ClusterScheduler(t.db, now, silent, { batchSize: size }).settle();
    const r = await sql<{ id: number; story_id: number | null; duplicate_of: number | null }>`
      SELECT id, story_id, duplicate_of FROM articles ORDER BY id`.execute(t.db);
    const key = new Map([...ids].map(([k, v]) => [v, k]));
    const groups = new Map<number, string[]>();
    for (const x of r.rows) {
      expect(x.story_id).not.toBeNull();
      groups.set(Number(x.story_id), [...(groups.get(Number(x.story_id)) ?? []), key.get(Number(x.id))!]);
    }
    const partition = [...groups.values()].map((g) => g.sort().join(' ')).sort();
    const copies = Object.fromEntries(r.rows.filter((x) => x.duplicate_of !== null).map((x) => [key.get(Number(x.id)), key.get(Number(x.duplicate_of))]));
    const live = await sql<{ n: number }>`SELECT count(*)::int AS n FROM stories WHERE merged_into IS NULL`.execute(t.db);
    return { partition, copies, liveStories: live.rows[0]!.n };
  }

  it('one batch, batches of three and one article per batch end with the same stories and originals', async () => {
    const one = await run(1);
    // The fixture's events: the strikes (EN, ES, three wire copies), the transfer (EN, ES), the seizure.
    expect(one.partition).toEqual(['milenio nbc wire-early wire-late', 'nogales', 'transfer-ap transfer-jornada']);
    expect(one.copies).toEqual({ nbc: 'wire-early', 'wire-late': 'wire-early' });
    expect(one.liveStories).toBe(3);
    expect(await run(3)).toEqual(one);
    expect(await run(100)).toEqual(one);
  });
});
