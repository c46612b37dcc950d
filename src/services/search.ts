import type { Db } from '../../db/client.js';
import type { ArticleListFilter } from '../../db/repositories/articles.repository.js';
import { searchArticles, type SearchCursor, type SearchRanking } from '../../db/repositories/search.repository.js';
import type { SearchHit } from '../model/read-model.js';
import { markedToHtml } from '../render/highlight.js';

export type { SearchCursor };

/**
 * How hits are ranked: the newest 500 matches of a query, by text relevance with a recency boost that
 * doubles an article's weight per week of recency. A word with at most 4,000 matches has them all read; a
 * commoner one is looked for in the newest 2,500 searchable articles only (searchArticles). Bounding the
 * candidates keeps the commonest beat words ("cartel", "frontera") as cheap as rare ones at any store size;
 * a reader paging past them narrows the query or the dates instead.
 */
export const SEARCH_RANKING: SearchRanking = { candidates: 500, halfLifeDays: 7, exactUpTo: 4000, window: 2500 };

/** Ranked bilingual full-text search; titleHtml/snippetHtml are escaped HTML whose only tags are <mark>. */
export async function search(
  db: Db,
  q: string,
  f: ArticleListFilter & { after?: SearchCursor | undefined; limit: number },
): Promise<{ items: SearchHit[]; next: SearchCursor | null }> {
  const r = await searchArticles(db, q, SEARCH_RANKING, f);
  return {
    items: r.rows.map((h) => ({
      article: h.article,
      rank: h.rank,
      textRank: h.textRank,
      titleHtml: markedToHtml(h.titleMarked),
      snippetHtml: markedToHtml(h.snippetMarked),
    })),
    next: r.next,
  };
}
