// Issue 17: an outlet naming itself in a lead ("Mexico News Daily spoke to residents…") says nothing about the
// event. The articles clustering reads back carry their first source's outlet (else its name), and the features
// stored for them hold none of its words. Real database (PGlite, or PostgreSQL with DATABASE_URL).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPendingClusterArticles, lockClustering } from '../../db/repositories/clustering.repository.js';
import { clusterArticles } from '../../src/services/cluster-articles.js';
import { addSources } from '../../src/services/sources.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';

const now = new Date('2026-03-01T12:00:00Z');

describe(`clustering reads each article's outlet and drops its self-mentions (${dbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('named source: the lead loses "Mexico News Daily"; the source without one keeps its text', async () => {
    const { added } = await addSources(
      t.db,
      [
        { url: 'http://127.0.0.1:9/mnd.xml', name: 'Mexico News Daily - Article Feed' },
        { url: 'http://127.0.0.1:9/other.xml', name: 'Other - Article Feed', outlet: 'Border Report' },
      ],
      now,
    );
    const [mnd, other] = added;
    const lead = 'Mexico News Daily spoke to residents in Guadalajara about daily life after the blockades.';
    for (const [key, source] of [
      ['a', mnd!.id],
      ['b', other!.id],
    ] as const) {
      await sql`
        INSERT INTO articles (dedup_key, title, summary_text, lang, published_at, first_seen_at, updated_at, content_hash, relevance, entities, first_source_id)
        VALUES (${`outlet:${key}`}, ${`Life in Guadalajara after the blockades (${key})`}, ${lead}, 'en', ${now}, ${now}, ${now}, ${`h:${key}`}, 'on_beat', '[]'::jsonb, ${source})`.execute(t.db);
    }
    const rows = await listPendingClusterArticles(t.db, 10);
    expect(rows.map((r) => r.outlet).sort()).toEqual(['Border Report', 'Mexico News Daily - Article Feed']);

    await t.db.transaction().execute(async (trx) => {
      await lockClustering(trx);
      await clusterArticles(trx, rows, now, undefined);
    });
    const features = await sql<{ dedup_key: string; anchors: Record<string, number>; terms: Record<string, number> }>`
      SELECT dedup_key, cluster_features->'anchors' AS anchors, cluster_features->'terms' AS terms FROM articles ORDER BY dedup_key`.execute(t.db);
    const [a, b] = features.rows;
    expect(Object.keys(a!.anchors)).not.toContain('n:news');
    expect(Object.keys(a!.anchors)).toContain('n:guadalajara');
    expect(a!.terms).not.toHaveProperty('news');
    // Another outlet's article quoting Mexico News Daily keeps the name: it is a source it cites.
    expect(Object.keys(b!.anchors)).toContain('n:news');
  });
});
