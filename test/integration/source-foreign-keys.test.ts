import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { migrateToLatest } from '../../db/migrator.js';
import { migrations } from '../../db/migrations/index.js';
import { deleteSource, insertSources } from '../../db/repositories/sources.repository.js';
import type { NormalizedItem } from '../../src/model/types.js';
import { classifierFor, storeFeedItems } from '../../src/services/refresh-feeds.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';

// The database, not the writers' discipline, keeps an article's first source and a source's items pointing at
// a source that exists (migration 017): a writer that skips lockSourceForStore cannot commit an orphan, and
// removing a source by any path removes its items and clears it as first source.

const FK_VIOLATION = { code: '23503' };
const item = (guid: string, url: string, title: string): NormalizedItem => ({
  guid, url, canonicalUrl: url, title, summaryHtml: '', summaryText: '', contentHtml: null, author: null,
  categories: [], enclosures: [], publishedAt: new Date('2026-11-20T00:00:00Z'), publishedAtFromFeed: true, lang: 'es',
});
const none = classifierFor(undefined);
const MISSING = 987_654;

async function count(t: TestDb, where: ReturnType<typeof sql>) {
  return (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${where}`.execute(t.db)).rows[0]!.n;
}

describe(`sources referenced by foreign keys (${dbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => (t = await createTestDb()));
  afterAll(async () => t?.close());

  it('a store for a source that does not exist commits nothing', async () => {
    const store = t.db.transaction().execute((trx) => storeFeedItems(trx, MISSING, [item('x1', 'https://x.example/1', 'Uno')], none, new Date()));
    await expect(store).rejects.toMatchObject(FK_VIOLATION);
    expect(await count(t, sql`articles`)).toBe(0);
    expect(await count(t, sql`source_items`)).toBe(0);
  });

  it('rejects an orphan row of each reference', async () => {
    const [s] = await insertSources(t.db, [{ url: 'https://fk.example/f' }], new Date());
    await t.db.transaction().execute((trx) => storeFeedItems(trx, s!.id, [item('f1', 'https://fk.example/1', 'Uno')], none, new Date()));
    const articleId = Number((await sql<{ id: number }>`SELECT id FROM articles`.execute(t.db)).rows[0]!.id);

    const itemOfMissingSource = sql`INSERT INTO source_items (source_id, item_key, article_id, content_hash) VALUES (${MISSING}, 'k', ${articleId}, 'h')`;
    const itemOfMissingArticle = sql`INSERT INTO source_items (source_id, item_key, article_id, content_hash) VALUES (${s!.id}, 'k', ${MISSING}, 'h')`;
    const articleOfMissingSource = sql`
      INSERT INTO articles (dedup_key, title, published_at, content_hash, first_source_id) VALUES ('orphan', 'Huérfano', now(), 'h', ${MISSING})`;
    for (const statement of [itemOfMissingSource, itemOfMissingArticle, articleOfMissingSource]) {
      await expect(t.db.transaction().execute((trx) => statement.execute(trx))).rejects.toMatchObject(FK_VIOLATION);
    }
    // Deferred to commit: a transaction may write a row before the source it names.
    await t.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO source_items (source_id, item_key, article_id, content_hash) VALUES (${MISSING}, 'early', ${articleId}, 'h')`.execute(trx);
      await sql`INSERT INTO sources (id, url) OVERRIDING SYSTEM VALUE VALUES (${MISSING}, 'https://late.example/f')`.execute(trx);
    });
    expect(await count(t, sql`source_items WHERE source_id = ${MISSING}`)).toBe(1);
    expect(await deleteSource(t.db, MISSING)).toBe(true);
  });

  it('removing a source, through deleteSource or a plain DELETE, removes its items and clears it as first source', async () => {
    const [a, b, c] = await insertSources(t.db, ['https://a.example/f', 'https://b.example/f', 'https://c.example/f'].map((url) => ({ url })), new Date());
    const wire = item('w', 'https://wire.example/extradicion', 'Extraditan a 26');
    for (const s of [a!, b!, c!]) {
      await t.db.transaction().execute((trx) => storeFeedItems(trx, s.id, [wire, item(`own-${s.id}`, `https://own.example/${s.id}`, `Propia ${s.id}`)], none, new Date()));
    }
    const firstOf = (id: number) => count(t, sql`articles WHERE first_source_id = ${id}`);
    const itemsOf = (id: number) => count(t, sql`source_items WHERE source_id = ${id}`);
    expect([await firstOf(a!.id), await itemsOf(a!.id), await itemsOf(b!.id)]).toEqual([2, 2, 2]);
    const articles = await count(t, sql`articles`);

    expect(await deleteSource(t.db, a!.id)).toBe(true);
    expect([await firstOf(a!.id), await itemsOf(a!.id), await itemsOf(b!.id), await count(t, sql`articles`)]).toEqual([0, 0, 2, articles]);
    expect(await deleteSource(t.db, a!.id)).toBe(false);

    await sql`DELETE FROM sources WHERE id = ${b!.id}`.execute(t.db);
    expect([await firstOf(b!.id), await itemsOf(b!.id), await itemsOf(c!.id), await count(t, sql`articles`)]).toEqual([0, 0, 2, articles]);
  });
});

describe(`migration 017 on a store written without the foreign keys (${dbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => (t = await createTestDb({ migrate: false })));
  afterAll(async () => t?.close());

  it('settles the orphans as the removal would have, then holds the references', async () => {
    const names = Object.keys(migrations);
    const before = names[names.indexOf('2026-12-07-017-source-foreign-keys') - 1]!;
    const r = await new Migrator({ db: t.db, provider: { getMigrations: async () => migrations } }).migrateTo(before);
    expect(r.error).toBeUndefined();

    const [s] = await insertSources(t.db, [{ url: 'https://kept.example/f' }], new Date());
    await t.db.transaction().execute((trx) => storeFeedItems(trx, s!.id, [item('k1', 'https://kept.example/1', 'Uno')], none, new Date()));
    // What a writer that skipped deleteSource could leave behind: a source gone, its item and first-source mark kept.
    await t.db.transaction().execute((trx) => storeFeedItems(trx, MISSING, [item('o1', 'https://gone.example/1', 'Dos')], none, new Date()));
    expect(await count(t, sql`source_items WHERE source_id = ${MISSING}`)).toBe(1);

    expect(await migrateToLatest(t.db)).toContain('2026-12-07-017-source-foreign-keys');
    expect(await count(t, sql`source_items WHERE source_id = ${MISSING}`)).toBe(0);
    expect(await count(t, sql`articles WHERE first_source_id = ${MISSING}`)).toBe(0);
    expect(await count(t, sql`articles`)).toBe(2);
    expect(await count(t, sql`source_items WHERE source_id = ${s!.id}`)).toBe(1);
    const orphan = sql`INSERT INTO source_items (source_id, item_key, article_id, content_hash) SELECT ${MISSING}, 'again', id, 'h' FROM articles LIMIT 1`;
    await expect(t.db.transaction().execute((trx) => orphan.execute(trx))).rejects.toMatchObject(FK_VIOLATION);
  });
});
