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

/** Keyset of a search page: the ordering score of the last hit and its id. */
export interface SearchCursor {
  rank: number;
  id: number;
}

export interface SearchRow {
  article: ArticleDetail;
  /** The ordering score: log text relevance plus the recency boost (see searchArticles). */
  rank: number;
  /** ts_rank_cd of the article for the query: text relevance alone. */
  textRank: number;
  /** ts_headline output: raw text with MARK_START/MARK_END around matches (not escaped). */
  titleMarked: string;
  snippetMarked: string;
}

export interface SearchRanking {
  /** The newest this many matching articles are ranked; older matches are not returned. */
  candidates: number;
  /** Recency boost: an article this many days newer than another counts as twice as relevant. */
  halfLifeDays: number;
}

const headlineOpts = `StartSel=${MARK_START}, StopSel=${MARK_END}`;
const snippetOpts = `${headlineOpts}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;

/**
 * Bilingual full-text search. The user's text is unaccented and parsed with websearch_to_tsquery in
 * both configurations, OR-ed, against the English+Spanish search_vector. The newest `candidates` matching
 * articles are ranked, never every match: for a common word the newest matches come from a backward scan
 * of articles_published_idx that stops once it has enough, for a rare one from the GIN index; the query is
 * written inline (not in a CTE) so the planner sees its selectivity and picks between the two. Each
 * candidate scores ln(ts_rank_cd) + ln 2 · (published_at in days) / halfLifeDays: relevance with a recency
 * boost that depends only on the article, so a cursor (score, id) stays valid as time passes. Headlines
 * are computed for the page only, with the accent-folding configuration of the article's language so
 * "Culiacán" is highlighted for "culiacan". An all-stopword query matches nothing.
 */
export async function searchArticles(
  db: Db,
  q: string,
  ranking: SearchRanking,
  f: ArticleListFilter & { after?: SearchCursor | undefined; limit: number },
): Promise<{ rows: SearchRow[]; next: SearchCursor | null }> {
  const query = sql`(websearch_to_tsquery('english', public.f_unaccent(${q})) || websearch_to_tsquery('spanish', public.f_unaccent(${q})))`;
  const after = f.after ? sql`WHERE (r.score, r.id) < (${f.after.rank}::float8, ${f.after.id}::int8)` : sql``;
  const perDay = Math.LN2 / ranking.halfLifeDays;
  const res = await sql<ArticleDetailRow & { rank: number; text_rank: number; title_marked: string; snippet_marked: string }>`
    WITH candidates AS (
      SELECT a.id, a.published_at, a.search_vector
      FROM articles a
      WHERE a.search_vector @@ ${query} AND ${articleFilterSql(f)}
      ORDER BY a.published_at DESC, a.id DESC
      LIMIT ${ranking.candidates}
    ),
    -- Materialised: the query is parsed once, not once per candidate.
    q AS MATERIALIZED (SELECT ${query} AS query),
    hits AS (
      SELECT r.id, r.score, r.text_rank FROM (
        SELECT s.id, s.text_rank, ln(greatest(s.text_rank, 1e-9)) + s.days * ${perDay}::float8 AS score
        FROM (SELECT c.id, ts_rank_cd(c.search_vector, q.query)::float8 AS text_rank,
                     extract(epoch FROM c.published_at)::float8 / 86400 AS days
              FROM candidates c CROSS JOIN q) s
      ) r
      ${after}
      ORDER BY r.score DESC, r.id DESC
      LIMIT ${f.limit + 1}
    )
    SELECT ${articleDetailColumns}, h.score AS rank, h.text_rank,
      ts_headline(cfg.c, a.title, q.query, ${headlineOpts + ', HighlightAll=true'}) AS title_marked,
      ts_headline(cfg.c, a.summary_text, q.query, ${snippetOpts}) AS snippet_marked
    FROM hits h
      JOIN articles a ON a.id = h.id
      LEFT JOIN sources src ON src.id = a.first_source_id
      CROSS JOIN q
      CROSS JOIN LATERAL (SELECT (CASE WHEN a.lang = 'es' THEN 'public.frontera_spanish'
                                       ELSE 'public.frontera_english' END)::regconfig AS c) cfg
    ORDER BY h.score DESC, h.id DESC`.execute(db);
  const page = res.rows.slice(0, f.limit);
  const carriers = await listArticleCarriers(db, page.map((r) => r.id));
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => ({
      article: toArticleDetail(r, carriers.get(r.id)),
      rank: r.rank,
      textRank: r.text_rank,
      titleMarked: r.title_marked,
      snippetMarked: r.snippet_marked,
    })),
    next: res.rows.length > f.limit && last ? { rank: last.rank, id: last.id } : null,
  };
}
