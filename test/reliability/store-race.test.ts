import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { insertSources } from '../../db/repositories/sources.repository.js';
import type { NormalizedItem } from '../../src/model/types.js';
import { classifierFor, storeFeedItems } from '../../src/services/refresh-feeds.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';

// Two workers store the same syndicated story at once. The second one's INSERT waits for the first's
// uncommitted row, then skips it (ON CONFLICT DO NOTHING); its statement snapshot cannot see that row,
// so its item is linked by a second statement. One article, both sources' links, nothing lost.

const item = (guid: string, url: string, title: string): NormalizedItem => ({
  guid, url, canonicalUrl: url, title, summaryHtml: '', summaryText: '', contentHtml: null, author: null,
  categories: [], enclosures: [], publishedAt: new Date('2026-11-20T00:00:00Z'), publishedAtFromFeed: true, lang: 'en',
});

describe.skipIf(dbKind !== 'postgres')('concurrent stores of one story (postgres)', () => {
  let t: TestDb;
  beforeAll(async () => (t = await createTestDb()));
  afterAll(async () => t?.close());

  it('the waiting transaction links its item to the article the other committed', async () => {
    const [a, b] = await insertSources(t.db, [{ url: 'https://a.example/f' }, { url: 'https://b.example/f' }], new Date());
    const now = new Date();
    const none = classifierFor(undefined);
    let releaseA!: () => void;
    const aMayCommit = new Promise<void>((r) => (releaseA = r));
    const txA = t.db.transaction().execute(async (trx) => {
      const c = await storeFeedItems(trx, a!.id, [item('a1', 'https://wire.example/story', 'Story')], none, now);
      await aMayCommit;
      return c;
    });
    await new Promise((r) => setTimeout(r, 300));
    const txB = t.db.transaction().execute((trx) =>
      storeFeedItems(trx, b!.id, [item('b0', 'https://b.example/own', 'Own'), item('b1', 'https://wire.example/story', 'Story'), item('b2', 'https://b.example/own2', 'Own 2')], none, now),
    );
    // B is blocked on A's row lock until A commits.
    for (let i = 0; i < 50; i++) {
      const w = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(t.db);
      if (w.rows[0]!.n === 1) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    releaseA();
    const [ca, cb] = await Promise.all([txA, txB]);
    expect([ca.created, ca.linked]).toEqual([1, 0]);
    expect([cb.created, cb.linked]).toEqual([2, 1]);
    const arts = await sql<{ dedup_key: string }>`SELECT dedup_key FROM articles ORDER BY id`.execute(t.db);
    expect(arts.rows.filter((r) => r.dedup_key.includes('wire.example'))).toHaveLength(1);
    const links = await sql<{ source_id: number; item_key: string; article_id: number }>`
      SELECT si.source_id, si.item_key, a.dedup_key FROM source_items si JOIN articles a ON a.id = si.article_id ORDER BY si.source_id, si.item_key`.execute(t.db);
    expect(links.rows).toHaveLength(4);
    const wire = links.rows.filter((r) => (r as unknown as { dedup_key: string }).dedup_key.includes('wire.example'));
    expect(wire.map((r) => r.source_id).sort()).toEqual([a!.id, b!.id].sort());
  });
});
