import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { deleteSource, insertSources, lockSourceForStore } from '../../db/repositories/sources.repository.js';
import type { NormalizedItem } from '../../src/model/types.js';
import { classifierFor, storeFeedItems } from '../../src/services/refresh-feeds.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';

// Removing a source removes what it carried and clears it as an article's first source (the foreign keys of
// migration 017; test/integration/source-foreign-keys.test.ts shows the database refusing orphans); a store of
// the source in flight finishes first, and a store that starts after the removal stores nothing.

const item = (guid: string, url: string, title: string): NormalizedItem => ({
  guid, url, canonicalUrl: url, title, summaryHtml: '', summaryText: '', contentHtml: null, author: null,
  categories: [], enclosures: [], publishedAt: new Date('2026-11-20T00:00:00Z'), publishedAtFromFeed: true, lang: 'es',
});
const none = classifierFor(undefined);

async function counts(t: TestDb, sourceId: number) {
  const r = await sql<{ items: number; first: number; articles: number }>`
    SELECT (SELECT count(*)::int FROM source_items WHERE source_id = ${sourceId}) AS items,
           (SELECT count(*)::int FROM articles WHERE first_source_id = ${sourceId}) AS first,
           (SELECT count(*)::int FROM articles) AS articles`.execute(t.db);
  return r.rows[0]!;
}

describe(`removing a source (${dbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => (t = await createTestDb()));
  afterAll(async () => t?.close());

  it('deletes its items, keeps its articles without it as first source, leaves other sources alone', async () => {
    const [a, b] = await insertSources(t.db, [{ url: 'https://a.example/f' }, { url: 'https://b.example/f' }], new Date());
    const now = new Date();
    await t.db.transaction().execute((trx) =>
      storeFeedItems(trx, a!.id, [item('a1', 'https://wire.example/extradicion', 'Extraditan a 26'), item('a2', 'https://a.example/propia', 'Propia')], none, now),
    );
    await t.db.transaction().execute((trx) => storeFeedItems(trx, b!.id, [item('b1', 'https://wire.example/extradicion', 'Extraditan a 26')], none, now));
    expect(await counts(t, a!.id)).toEqual({ items: 2, first: 2, articles: 2 });

    expect(await deleteSource(t.db, a!.id)).toBe(true);
    expect(await counts(t, a!.id)).toEqual({ items: 0, first: 0, articles: 2 });
    expect((await counts(t, b!.id)).items).toBe(1);
    expect(await deleteSource(t.db, a!.id)).toBe(false);
    // A store that starts after the removal finds no source to lock.
    expect(await t.db.transaction().execute((trx) => lockSourceForStore(trx, a!.id))).toBeNull();
    expect(await t.db.transaction().execute((trx) => lockSourceForStore(trx, b!.id))).not.toBeNull();
  });

  it.skipIf(dbKind !== 'postgres')('a removal waits for the store of that source in flight, then removes what it stored', async () => {
    const [c] = await insertSources(t.db, [{ url: 'https://c.example/f' }], new Date());
    let release!: () => void;
    const mayCommit = new Promise<void>((r) => (release = r));
    const store = t.db.transaction().execute(async (trx) => {
      expect(await lockSourceForStore(trx, c!.id)).not.toBeNull();
      await storeFeedItems(trx, c!.id, [item('c1', 'https://c.example/1', 'Uno'), item('c2', 'https://c.example/2', 'Dos')], none, new Date());
      await mayCommit;
    });
    await new Promise((r) => setTimeout(r, 200));
    let removed = false;
    const removal = deleteSource(t.db, c!.id).then((ok) => (removed = ok));
    await new Promise((r) => setTimeout(r, 300));
    expect(removed).toBe(false); // blocked on the store's row lock
    release();
    await store;
    await removal;
    expect(removed).toBe(true);
    expect(await counts(t, c!.id)).toMatchObject({ items: 0, first: 0 });
  });
});
