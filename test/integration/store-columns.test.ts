// What the one-statement store writes is what the reader produced, column by column — including the columns
// that travel in a compact form (a summary whose text equals its HTML is sent once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { insertSources } from '../../db/repositories/sources.repository.js';
import type { NormalizedItem } from '../../src/model/types.js';
import { createBeat } from '../../src/beat/beat.js';
import { classifierFor, storeFeedItems } from '../../src/services/refresh-feeds.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';

function item(i: number, summaryHtml: string, summaryText: string): NormalizedItem {
  return {
    guid: `g${i}`,
    url: `https://news.example/${i}`,
    canonicalUrl: `https://news.example/${i}`,
    title: `Extraditan a Estados Unidos a operadores del Cártel de Sinaloa ${i}`,
    summaryHtml,
    summaryText,
    contentHtml: i === 2 ? '<p>Cuerpo <em>completo</em></p>' : null,
    author: i === 1 ? 'Redacción' : null,
    categories: i === 1 ? ['Seguridad', 'México "Norte"'] : [],
    enclosures: [],
    publishedAt: new Date(`2026-11-24T1${i}:00:00Z`),
    publishedAtFromFeed: true,
    lang: 'es',
  };
}

describe(`the batch insert stores every column as read (${dbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t?.close());

  it('summaries equal or different, empty, with quotes and backslashes', async () => {
    const [src] = await insertSources(t.db, [{ url: 'https://feeds.example/es' }], new Date());
    const items = [
      item(0, 'La FGR trasladó a 26 presuntos integrantes', 'La FGR trasladó a 26 presuntos integrantes'),
      item(1, '<p>Operativo en <b>Culiacán</b> &amp; Navolato</p>', 'Operativo en Culiacán & Navolato'),
      item(2, '', ''),
      item(3, 'Comillas "dobles" y \\barras\\ {llaves}', 'Comillas "dobles" y \\barras\\ {llaves}'),
    ];
    const beat = createBeat();
    const c = await t.db.transaction().execute((trx) => storeFeedItems(trx, src!.id, items, classifierFor(beat.classify), new Date(), { noneStored: true }));
    expect(c.created).toBe(4);
    const rows = await sql<{ guid: string; summary_html: string; summary_text: string; content_html: string | null; author: string | null; categories: string[] }>`
      SELECT guid, summary_html, summary_text, content_html, author, categories FROM articles ORDER BY guid`.execute(t.db);
    expect(rows.rows).toEqual(
      items.map((it) => ({ guid: it.guid, summary_html: it.summaryHtml, summary_text: it.summaryText, content_html: it.contentHtml, author: it.author, categories: it.categories })),
    );
  });
});
