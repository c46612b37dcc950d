import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSources } from '../../db/repositories/sources.repository.js';
import type { NormalizedItem } from '../../src/model/types.js';
import { createBeat } from '../../src/beat/beat.js';
import { reclassifyWithStories } from '../../src/services/recluster.js';
import { classifierFor, storeFeedItems, type Classify } from '../../src/services/refresh-feeds.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';

const at = new Date('2026-11-24T10:00:00Z');

function item(i: number, title: string): NormalizedItem {
  return {
    guid: `g${i}`,
    url: `https://news.example/${i}`,
    canonicalUrl: `https://news.example/${i}`,
    title,
    summaryHtml: '',
    summaryText: '',
    contentHtml: null,
    author: null,
    categories: [],
    enclosures: [],
    publishedAt: at,
    publishedAtFromFeed: true,
    lang: 'en',
  };
}

// The reclassify job's service: articles that become on-beat get their stories in the batch that reclassified them.
describe(`reclassifyWithStories (${dbKind})`, () => {
  let t: TestDb;
  const beat = createBeat();
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t?.close());

  it('places the articles a new classification puts on the beat, and is a no-op when rerun', async () => {
    const [src] = await insertSources(t.db, [{ url: 'https://feeds.example/reclassify' }], at);
    const titles = [
      'Pentagon prepares options for strikes on cartel drug labs inside Mexico',
      'Local bakery wins a regional award for its sourdough',
    ];
    const offBeat: Classify = () => ({ relevance: 'off_beat', score: 0, topics: [], entities: [], evidence: [], rulesVersion: 'old-1' });
    await t.db.transaction().execute((trx) => storeFeedItems(trx, src!.id, titles.map((x, i) => item(i, x)), classifierFor(offBeat), at));
    const before = await t.db.selectFrom('articles').select(['title', 'story_id']).orderBy('id').execute();
    expect(before.map((a) => a.story_id)).toEqual([null, null]);

    const r = await reclassifyWithStories(t.db, beat.classify, beat.rulesVersion, () => at, { batchSize: 1 });
    expect(r.reclassified).toBe(2);
    const after = await t.db.selectFrom('articles').select(['relevance', 'story_id']).orderBy('id').execute();
    expect(after[0]).toMatchObject({ relevance: 'on_beat' });
    expect(after[0]!.story_id).not.toBeNull();
    expect(after[1]!.relevance).not.toBe('on_beat');
    expect(after[1]!.story_id).toBeNull();
    const story = await t.db.selectFrom('stories').select(['id', 'article_count']).where('id', '=', after[0]!.story_id!).executeTakeFirstOrThrow();
    expect(story.article_count).toBe(1);

    expect((await reclassifyWithStories(t.db, beat.classify, beat.rulesVersion, () => at)).reclassified).toBe(0);
  });
});
