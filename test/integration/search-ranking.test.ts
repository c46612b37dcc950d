// Search ranks a bounded set of the newest matches by text relevance with a recency boost, and pages
// through that set with a (score, id) keyset: every hit once, in score order, on PostgreSQL and PGlite.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchArticles, type SearchCursor, type SearchRanking } from '../../db/repositories/search.repository.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T12:00:00Z');

describe(`search ranking (${dbKind})`, () => {
  let t: TestDb;

  async function article(id: number, title: string, summary: string, daysAgo: number): Promise<void> {
    const at = new Date(NOW - daysAgo * DAY);
    await sql`
      INSERT INTO articles (id, dedup_key, url, canonical_url, title, summary_html, summary_text, lang, published_at, first_seen_at,
                            content_hash, first_source_id, relevance, score, topics, entities, evidence)
      OVERRIDING SYSTEM VALUE VALUES (${id}, ${`k${id}`}, ${`https://news.example/${id}`}, ${`https://news.example/${id}`}, ${title}, ${`<p>${summary}</p>`}, ${summary},
              'en', ${at}, ${at}, ${`h${id}`}, 1, 'on_beat', 5, '{}', '[]'::jsonb, '[]'::jsonb)`.execute(t.db);
  }

  async function walk(q: string, ranking: SearchRanking, limit: number) {
    const out: { id: number; rank: number; textRank: number }[] = [];
    let after: SearchCursor | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const r = await searchArticles(t.db, q, ranking, { limit, after });
      out.push(...r.rows.map((h) => ({ id: h.article.id, rank: h.rank, textRank: h.textRank })));
      if (!r.next) return out;
      after = r.next;
    }
    throw new Error('search paging did not end');
  }

  beforeAll(async () => {
    t = await createTestDb();
    await sql`INSERT INTO sources (id, url, name, lang, next_check_at) OVERRIDING SYSTEM VALUE VALUES (1, 'https://news.example/feed.xml', 'News', 'en', now())`.execute(t.db);
    // 1–30: the same words, one a day; 31: the word in the title (more relevant) but three weeks old;
    // 32: the word once in a summary, published today; 40: another subject.
    for (let i = 1; i <= 30; i++) await article(i, `Border report ${i}`, 'Officials describe a cartel operation near the border.', i);
    await article(31, 'Cartel leader captured: cartel operation ends', 'The cartel operation ended with an arrest.', 21);
    await article(32, 'Weather on the coast', 'A passing mention of a cartel.', 0);
    await article(40, 'Harvest festival opens', 'Farmers gather for the harvest.', 0);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ranks by relevance with a recency boost: a week newer counts twice', async () => {
    const hits = await walk('cartel', { candidates: 1000, halfLifeDays: 7 }, 50);
    expect(hits.map((h) => h.id).sort((a, b) => a - b)).toEqual([...Array.from({ length: 32 }, (_, i) => i + 1)]);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.rank).toBeGreaterThanOrEqual(hits[i]!.rank);
    // Equal text: the newest first.
    const same = hits.filter((h) => h.id <= 30).map((h) => h.id);
    expect(same).toEqual([...same].sort((a, b) => a - b));
    const byId = new Map(hits.map((h) => [h.id, h]));
    // The score is ln(textRank) + ln 2 · days / half-life: exactly, whatever the clock says now.
    const d = (byId.get(1)!.rank - Math.log(byId.get(1)!.textRank)) - (byId.get(8)!.rank - Math.log(byId.get(8)!.textRank));
    expect(d).toBeCloseTo(Math.LN2, 9);
    // The title match is more relevant than the daily reports…
    expect(byId.get(31)!.textRank).toBeGreaterThan(byId.get(21)!.textRank);
    // …so it comes before the reports as old as it is, and the whole order is the formula's.
    const pos = (id: number) => hits.findIndex((h) => h.id === id);
    expect(pos(31)).toBeLessThan(pos(21));
    const daysAgo = (id: number) => (id === 31 ? 21 : id === 32 ? 0 : id);
    const expected = [...hits].sort((x, y) => Math.log(y.textRank) - (Math.LN2 * daysAgo(y.id)) / 7 - (Math.log(x.textRank) - (Math.LN2 * daysAgo(x.id)) / 7) || y.id - x.id);
    expect(hits.map((h) => h.id)).toEqual(expected.map((h) => h.id));
  });

  it('ranks only the newest candidates, and pages through them once each, in order, at any page size', async () => {
    const ranking = { candidates: 10, halfLifeDays: 7 };
    const full = await walk('cartel', ranking, 100);
    // The 10 newest matches: 32 (today) and 1–9.
    expect(full.map((h) => h.id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 32]);
    for (const limit of [1, 3, 4]) {
      const paged = await walk('cartel', ranking, limit);
      expect(paged.map((h) => h.id)).toEqual(full.map((h) => h.id));
    }
  });

  it('reads every match of a rare word, the newest window alone for a common one', async () => {
    // 32 articles match; the newest 5 searchable articles are 32, 40 (today), 1, 2, 3: 4 of them match.
    const ids = async (r: SearchRanking) => (await walk('cartel', r, 100)).map((h) => h.id).sort((a, b) => a - b);
    // At most exactUpTo matches: all read, the newest 10 ranked, whatever the window.
    expect(await ids({ candidates: 10, halfLifeDays: 7, window: 5, exactUpTo: 32 })).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 32]);
    // More matches than exactUpTo (the estimate said fewer): the window's matches only.
    expect(await ids({ candidates: 10, halfLifeDays: 7, window: 5, exactUpTo: 31 })).toEqual([1, 2, 3, 32]);
    // Estimated above exactUpTo: straight to the window, whose 3 newest matches are the newest 3 of all.
    expect(await ids({ candidates: 3, halfLifeDays: 7, window: 5, exactUpTo: 0 })).toEqual([1, 2, 32]);
    expect(await ids({ candidates: 10, halfLifeDays: 7, window: 5, exactUpTo: 0 })).toEqual([1, 2, 3, 32]);
  });

  it('a rare word and a word in no article', async () => {
    expect((await walk('harvest', { candidates: 1000, halfLifeDays: 7 }, 10)).map((h) => h.id)).toEqual([40]);
    expect(await walk('zeppelin', { candidates: 1000, halfLifeDays: 7 }, 10)).toEqual([]);
  });
});
