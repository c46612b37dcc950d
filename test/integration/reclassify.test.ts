import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSources } from '../../db/repositories/sources.repository.js';
import type { NormalizedItem } from '../../src/model/types.js';
import { createBeat } from '../../src/beat/beat.js';
import { reclassifyArticles } from '../../src/services/reclassify.js';
import { classifierFor, storeFeedItems, type Classify } from '../../src/services/refresh-feeds.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';

function item(i: number, title: string, summary = ''): NormalizedItem {
  return {
    guid: `g${i}`,
    url: `https://news.example/${i}`,
    canonicalUrl: `https://news.example/${i}`,
    title,
    summaryHtml: summary,
    summaryText: summary,
    contentHtml: null,
    author: null,
    categories: [],
    enclosures: [],
    publishedAt: new Date('2026-11-24T10:00:00Z'),
    publishedAtFromFeed: true,
    lang: null,
  };
}

describe(`classification at ingest and the reclassify job (${dbKind})`, () => {
  let t: TestDb;
  const beat = createBeat();
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t?.close());

  it('stores the classification with the rules version, and reclassifies stale articles idempotently', async () => {
    const [src] = await insertSources(t.db, [{ url: 'https://feeds.example/a' }], new Date());
    const titles = [
      'Pentagon prepares options for strikes on cartel drug labs inside Mexico',
      'Sheinbaum rechaza cualquier intervención militar de Estados Unidos contra los cárteles',
      'Hurricane season forecast for the Gulf of Mexico',
      ...Array.from({ length: 20 }, (_, i) => `Local bakery wins award number ${i}`),
    ];
    const oldRules: Classify = () => ({ relevance: 'off_beat', score: 0, topics: [], entities: [], evidence: [], rulesVersion: 'old-1' });
    await t.db.transaction().execute((trx) => storeFeedItems(trx, src!.id, titles.map((x, i) => item(i, x)), classifierFor(oldRules), new Date()));

    const progress: number[] = [];
    const r = await reclassifyArticles(t.db, beat.classify, beat.rulesVersion, { batchSize: 7, progress: (d) => progress.push(d) });
    expect(r.reclassified).toBe(titles.length);
    expect(progress).toEqual([7, 14, 21, 23]);

    const rows = await t.db.selectFrom('articles').select(['title', 'relevance', 'topics', 'rules_version', 'evidence']).orderBy('id').execute();
    expect(rows.every((x) => x.rules_version === beat.rulesVersion)).toBe(true);
    expect(rows[0]).toMatchObject({ relevance: 'on_beat' });
    expect(rows[0]!.topics).toContain('us-military-action');
    expect(rows[1]).toMatchObject({ relevance: 'on_beat' });
    expect(rows[2]!.relevance).not.toBe('on_beat');
    expect((rows[0]!.evidence as unknown[]).length).toBeGreaterThan(0);

    // Nothing stale left: a rerun is a no-op.
    expect((await reclassifyArticles(t.db, beat.classify, beat.rulesVersion)).reclassified).toBe(0);
  });
});
