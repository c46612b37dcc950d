import type { Db } from '../../db/client.js';
import type { ArticleListFilter } from '../../db/repositories/articles.repository.js';
import { searchArticles, type SearchCursor } from '../../db/repositories/search.repository.js';
import type { SearchHit } from '../model/read-model.js';
import { markedToHtml } from '../render/highlight.js';

export type { SearchCursor };

/** Ranked bilingual full-text search; titleHtml/snippetHtml are escaped HTML whose only tags are <mark>. */
export async function search(
  db: Db,
  q: string,
  f: ArticleListFilter & { after?: SearchCursor | undefined; limit: number },
): Promise<{ items: SearchHit[]; next: SearchCursor | null }> {
  const r = await searchArticles(db, q, f);
  return {
    items: r.rows.map((h) => ({
      article: h.article,
      rank: h.rank,
      titleHtml: markedToHtml(h.titleMarked),
      snippetHtml: markedToHtml(h.snippetMarked),
    })),
    next: r.next,
  };
}
