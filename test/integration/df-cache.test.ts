import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  addDocumentFrequencies,
  findDocumentFrequencies,
  lockClustering,
  newDfCache,
  type DfCache,
} from '../../db/repositories/clustering.repository.js';
import type { Db } from '../../db/client.js';
import { createTestDb, dbKind, emptyStore, type TestDb } from '../helpers/db.js';

// A clustering drain keeps the term frequencies it has read across its batches. The cache must answer
// exactly what the table holds: after its own additions, and after anybody else's change (another
// process's batch, a reset, a rolled-back batch), which it must notice and forget.

describe(`document-frequency cache (${dbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    await emptyStore(t.db);
    await sql`DELETE FROM term_df`.execute(t.db);
    await sql`UPDATE cluster_stats SET total_docs = 0 WHERE id = 1`.execute(t.db);
  });

  /** One clustering batch's use of the table: read the terms, then count one document with them. */
  const batch = (db: Db, terms: string[], cache?: DfCache) =>
    db.transaction().execute(async (trx) => {
      await lockClustering(trx);
      const read = await findDocumentFrequencies(trx, terms, cache);
      await addDocumentFrequencies(trx, new Map(terms.map((x) => [x, 1])), 1, cache);
      return read;
    });
  const truth = async (terms: string[]) => findDocumentFrequencies(t.db, terms);
  it('answers what the table holds, and reads only the terms it has not seen', async () => {
    const cache = newDfCache();
    await batch(t.db, ['cartel', 'sinaloa'], cache);
    await batch(t.db, ['cartel', 'fentanyl'], cache);
    const mine = await findDocumentFrequencies(t.db, ['cartel', 'sinaloa', 'fentanyl', 'never'], cache);
    expect(mine).toEqual(await truth(['cartel', 'sinaloa', 'fentanyl', 'never']));
    expect(Object.fromEntries(mine.df)).toEqual({ cartel: 2, sinaloa: 1, fentanyl: 1, never: 0 });
    expect(mine.totalDocs).toBe(2);
    // Everything asked for is known: no term_df read at all.
    let reads = 0;
    const counting = t.db.withPlugin({
      transformQuery: (a) => {
        if (JSON.stringify(a.node).includes('FROM term_df')) reads++;
        return a.node;
      },
      transformResult: async (a) => a.result,
    });
    await findDocumentFrequencies(counting, ['cartel', 'sinaloa', 'fentanyl'], cache);
    expect(reads).toBe(0);
    await findDocumentFrequencies(counting, ['cartel', 'extradition'], cache);
    expect(reads).toBe(1);
  });

  it("forgets what it knew when another process changed the counts, or reset them", async () => {
    const cache = newDfCache();
    await batch(t.db, ['cartel', 'sinaloa'], cache);
    await batch(t.db, ['cartel'], undefined); // another worker's batch: no cache of ours saw it
    expect(await findDocumentFrequencies(t.db, ['cartel', 'sinaloa'], cache)).toEqual(await truth(['cartel', 'sinaloa']));
    expect((await findDocumentFrequencies(t.db, ['cartel'], cache)).df.get('cartel')).toBe(2);

    await sql`DELETE FROM term_df`.execute(t.db);
    await sql`UPDATE cluster_stats SET total_docs = 0 WHERE id = 1`.execute(t.db); // what resetClustering does
    expect(await findDocumentFrequencies(t.db, ['cartel', 'sinaloa'], cache)).toEqual({ totalDocs: 0, df: new Map([['cartel', 0], ['sinaloa', 0]]) });
  });

  it('forgets a batch that rolled back', async () => {
    const cache = newDfCache();
    await batch(t.db, ['cartel'], cache);
    await expect(
      t.db.transaction().execute(async (trx) => {
        await lockClustering(trx);
        await findDocumentFrequencies(trx, ['cartel'], cache);
        await addDocumentFrequencies(trx, new Map([['cartel', 5]]), 5, cache);
        throw new Error('crash after counting');
      }),
    ).rejects.toThrow('crash after counting');
    expect(await findDocumentFrequencies(t.db, ['cartel'], cache)).toEqual({ totalDocs: 1, df: new Map([['cartel', 1]]) });
  });
});
