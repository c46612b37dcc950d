// The in-memory store (src/cluster/memory-store.ts) answers as the SQL store does: the same articles placed
// by the one placer over either end in the identical partition, with the same roundup attachments. This is
// what lets bench:cluster measure the shipped placer at a million articles without a database.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backgroundDocuments, loadGnews, shuffled } from '../../bench/eval-clusters-lib.js';
import { memoryPartition, samePartition, shippedPartition, type PlacedItem } from '../../bench/lib/shipped-clusters.js';
import { createTestDb, dbKind } from '../helpers/db.js';

const h = (x: number) => new Date(Date.parse('2026-11-24T00:00:00Z') + x * 3_600_000);
const en = (id: string, title: string, summary: string, hour: number): PlacedItem => ({ id, input: { title, summary, lang: 'en', publishedAt: h(hour) } });
const es = (id: string, title: string, summary: string, hour: number): PlacedItem => ({ id, input: { title, summary, lang: 'es', publishedAt: h(hour) } });

/** Events in two languages, wire copies, a late bridge, a roundup, a follow-up a week later, an off-topic item. */
const HANDMADE: PlacedItem[] = [
  en('t1', 'Mexico sends 26 cartel members to the United States in mass transfer', 'Mexico transferred 26 alleged cartel figures to US custody on Tuesday, the Justice Department said.', 1),
  en('t1-wire', 'Mexico sends 26 cartel members to the United States in mass transfer', 'Mexico transferred 26 alleged cartel figures to US custody Tuesday, the Justice Department said.', 2),
  es('t1-es', 'México envía a 26 integrantes de cárteles a Estados Unidos', 'El gobierno de México trasladó a 26 presuntos integrantes de cárteles a Estados Unidos, informó el Departamento de Justicia.', 3),
  en('d1', 'Pentagon prepares drone strike options against fentanyl laboratories in Sinaloa', 'Defense officials reviewed plans for drone missions against clandestine fentanyl laboratories in the Sinaloa mountains.', 2),
  en('d2', 'Drone strikes on Sinaloa fentanyl laboratories weighed by the Pentagon', 'Pentagon planners weighed drone missions against fentanyl laboratories hidden in the Sinaloa mountains.', 4),
  es('d1-es', 'El Pentágono evalúa ataques con drones contra laboratorios de fentanilo en Sinaloa', 'Funcionarios de Defensa revisaron planes de misiones con drones contra laboratorios clandestinos de fentanilo en Sinaloa.', 5),
  en('r1', "Mexico's week in review: 26 cartel members transferred, drone strikes weighed in Sinaloa", 'Mexico transferred 26 cartel members to US custody; the Pentagon weighed drone strikes on fentanyl laboratories in Sinaloa.', 30),
  en('f1', 'Cartel members transferred to the US plead not guilty in New York court', 'Several of the 26 cartel figures Mexico transferred pleaded not guilty before a federal judge in New York.', 24 * 7),
  es('m1', 'Asesinan a alcalde de Temoac en ataque armado en Morelos', 'El alcalde de Temoac fue atacado a balazos por hombres armados en Morelos.', 6),
  es('m2', 'Atacan a balazos al alcalde de Temoac, Morelos; muere en el hospital', 'El edil de Temoac murió tras el ataque armado en Morelos.', 8),
  en('x1', 'Strong storm set to pummel Los Angeles with heavy rains', 'Forecasters warn of flooding in Los Angeles County.', 3),
];

const gnewsFile = path.join(process.env.CORPUS_DIR ?? path.resolve(import.meta.dirname, '../../../shared/corpus'), 'derived/google-news-top-stories-2022-07-28.related-coverage.jsonl');

async function bothWays(items: PlacedItem[], batch: number, background = backgroundDocuments()) {
  let databaseUrl: string | undefined;
  let drop = async () => {};
  if (dbKind === 'postgres') {
    const t = await createTestDb({ migrate: false });
    databaseUrl = t.url;
    drop = () => t.close();
  }
  try {
    const db = await shippedPartition(items, undefined, background, { databaseUrl, batch });
    const mem = await memoryPartition(items, undefined, background, { batch });
    return { db, mem };
  } finally {
    await drop();
  }
}

describe(`in-memory store = SQL store (${dbKind})`, () => {
  for (const batch of [1, 3, 50]) {
    it(`hand-made events, copies, roundup and follow-up, in batches of ${batch}: identical partition and roundup links`, async () => {
      const { db, mem } = await bothWays(HANDMADE, batch, []);
      expect(samePartition(db.assignment, mem.assignment)).toBe(true);
      expect(db.roundups).toBe(1);
      expect(mem.roundups).toBe(1);
      // The roundup names the same stories in both (story ids differ only by name).
      const members = (p: typeof db, story: string) => [...p.assignment].filter(([, s]) => s === story).map(([id]) => id).sort();
      const named = (p: typeof db) => (p.roundupLinks.get('r1') ?? []).map((s) => members(p, s).join(',')).sort();
      expect(named(db)).toEqual(named(mem));
      expect(named(db).length).toBeGreaterThan(0);
    }, 60_000);
  }

  it.skipIf(!existsSync(gnewsFile))('the 170 Google News headlines, with the eval\'s background document frequencies, in batches of 40', async () => {
    const data = loadGnews(gnewsFile);
    const items = shuffled(data.items, 7).map((it) => ({ id: it.id, input: it.input }));
    const { db, mem } = await bothWays(items, 40);
    expect(samePartition(db.assignment, mem.assignment)).toBe(true);
  }, 120_000);
});
