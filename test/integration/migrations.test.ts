import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateDownAll, migrateToLatest } from '../../db/migrator.js';
import { migrations } from '../../db/migrations/index.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';

describe(`migrations on ${dbKind}`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb({ migrate: false });
  });
  afterAll(async () => t?.close());

  const tables = async () =>
    (
      await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%' ORDER BY 1`.execute(
        t.db,
      )
    ).rows.map((r) => r.tablename);

  it('runs up → down → up and ends with the full schema', async () => {
    const up1 = await migrateToLatest(t.db);
    expect(up1).toEqual(Object.keys(migrations));
    const full = await tables();
    expect(full).toEqual(expect.arrayContaining(['articles', 'source_items', 'sources', 'stories', 'story_keys', 'article_bands']));

    const down = await migrateDownAll(t.db);
    expect(down).toEqual(Object.keys(migrations).reverse());
    expect(await tables()).toEqual([]);

    await migrateToLatest(t.db);
    expect(await tables()).toEqual(full);
    // A second run is a no-op.
    expect(await migrateToLatest(t.db)).toEqual([]);
  });
});
