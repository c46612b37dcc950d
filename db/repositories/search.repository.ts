import { sql } from 'kysely';
import type { ArticleDetail } from '../../src/model/read-model.js';
import { MARK_END, MARK_START } from '../../src/render/highlight.js';
import type { Db } from '../client.js';
import {
  articleDetailColumns,
  articleFilterSql,
  listArticleCarriers,
  toArticleDetail,
  type ArticleDetailRow,
  type ArticleListFilter,
} from './articles.repository.js';

export interface SearchCursor {
  rank: number;
  id: number;
}

export interface SearchRow {
  article: ArticleDetail;
  rank: number;
  /** ts_headline output: raw text with MARK_START/MARK_END around matches (not escaped). */
  titleMarked: string;
  snippetMarked: string;
}

const headlineOpts = `StartSel=${MARK_START}, StopSel=${MARK_END}`;
const snippetOpts = `${headlineOpts}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;

/**
 * Bilingual full-text search. The user's text is unaccented and parsed with websearch_to_tsquery in
 * both configurations, OR-ed, against the English+Spanish search_vector (GIN). Ranked by ts_rank_cd
 * (title weight A over summary B); keyset on (rank, id). Headlines are computed for the page only,
 * with the accent-folding configuration of the article's language so "Culiacán" is highlighted for
 * "culiacan". An all-stopword query matches nothing.
 */
export async function searchArticles(
  db: Db,
  q: string,
  f: ArticleListFilter & { after?: SearchCursor | undefined; limit: number },
): Promise<{ rows: SearchRow[]; next: SearchCursor | null }> {
  const after = f.after ? sql`WHERE (r.rank, r.id) < (${f.after.rank}::real, ${f.after.id}::int8)` : sql``;
  const res = await sql<ArticleDetailRow & { rank: number; title_marked: string; snippet_marked: string }>`
    WITH q AS (
      SELECT websearch_to_tsquery('english', public.f_unaccent(${q}))
          || websearch_to_tsquery('spanish', public.f_unaccent(${q})) AS query
    ),
    hits AS (
      SELECT r.id, r.rank FROM (
        SELECT a.id, ts_rank_cd(a.search_vector, q.query) AS rank
        FROM articles a, q
        WHERE a.search_vector @@ q.query AND ${articleFilterSql(f)}
      ) r
      ${after}
      ORDER BY r.rank DESC, r.id DESC
      LIMIT ${f.limit + 1}
    )
    SELECT ${articleDetailColumns}, h.rank,
      ts_headline(cfg.c, a.title, q.query, ${headlineOpts + ', HighlightAll=true'}) AS title_marked,
      ts_headline(cfg.c, a.summary_text, q.query, ${snippetOpts}) AS snippet_marked
    FROM hits h
      JOIN articles a ON a.id = h.id
      LEFT JOIN sources src ON src.id = a.first_source_id
      CROSS JOIN q
      CROSS JOIN LATERAL (SELECT (CASE WHEN a.lang = 'es' THEN 'public.frontera_spanish'
                                       ELSE 'public.frontera_english' END)::regconfig AS c) cfg
    ORDER BY h.rank DESC, h.id DESC`.execute(db);
  const page = res.rows.slice(0, f.limit);
  const carriers = await listArticleCarriers(db, page.map((r) => r.id));
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => ({
      article: toArticleDetail(r, carriers.get(r.id)),
      rank: r.rank,
      titleMarked: r.title_marked,
      snippetMarked: r.snippet_marked,
    })),
    next: res.rows.length > f.limit && last ? { rank: last.rank, id: last.id } : null,
  };
}
