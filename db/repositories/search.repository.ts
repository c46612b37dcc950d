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
  /**
   * A word with at most this many matches (the planner's estimate, then the count read) has all its matches
   * read and the newest `candidates` ranked exactly. Default 4,000.
   */
  exactUpTo?: number;
  /**
   * A commoner word: the newest this many searchable articles (after the filters) are tested, and their
   * matches (the newest `candidates` of them) are ranked. Default 2,500.
   */
  window?: number;
}

const DEFAULT_WINDOW = 2500;
const DEFAULT_EXACT_UP_TO = 4000;

const tsQuery = (q: string) => sql`(websearch_to_tsquery('english', public.f_unaccent(${q})) || websearch_to_tsquery('spanish', public.f_unaccent(${q})))`;

/**
 * The ids of the articles a search ranks: the newest `candidates` matches, read so that the work stays bounded
 * whatever the store's size or the word's frequency. Either plan PostgreSQL has for "newest matches" reads
 * tens of thousands of rows for a word in a few percent of a million articles: a backward scan in
 * publication order tests every article it passes, a GIN bitmap visits every match (and the planner, guessing
 * how the matches spread in time, picked the scan for "cartel" at 1M articles and read 63,000 rows).
 *  - The planner's estimate of the matches (EXPLAIN: the GIN's statistics, no rows read) sorts the word.
 *  - Rare (estimate ≤ `exactUpTo`): every match is read from the GIN index, at most `exactUpTo` + 1 of them;
 *    if they are no more than `exactUpTo`, the newest `candidates` are exactly the newest matches.
 *  - Common (or more matches than estimated): the newest `window` searchable articles (after the filters,
 *    articles_searchable_published_idx) are tested. If `candidates` of them match, those are the newest
 *    matches; otherwise their matches are the candidates: a bounded recent candidate set.
 */
async function searchCandidates(db: Db, q: string, ranking: SearchRanking, f: ArticleListFilter): Promise<number[]> {
  const window = ranking.window ?? DEFAULT_WINDOW;
  const exactUpTo = ranking.exactUpTo ?? DEFAULT_EXACT_UP_TO;
  const matches = sql`SELECT a.id, (extract(epoch FROM a.published_at) * 1000000)::int8 AS k FROM articles a
    WHERE a.search_vector @@ ${tsQuery(q)} AND ${articleFilterSql(f)}`;
  const plan = (await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (FORMAT JSON) ${matches}`.execute(db)).rows[0]?.['QUERY PLAN'];
  const estimate = Number((typeof plan === 'string' ? JSON.parse(plan) : plan)?.[0]?.Plan?.['Plan Rows'] ?? Infinity);
  if (estimate <= exactUpTo) {
    // Only here, where the planner expects no more rows than the LIMIT, so it cannot hope to stop a table scan
    // early: it reads the GIN index.
    const all = (await sql<{ id: number; k: number }>`${matches} LIMIT ${exactUpTo + 1}`.execute(db)).rows;
    if (all.length <= exactUpTo) {
      return all
        .map((r) => ({ id: Number(r.id), k: Number(r.k) }))
        .sort((x, y) => y.k - x.k || y.id - x.id)
        .slice(0, ranking.candidates)
        .map((r) => r.id);
    }
  }
  const recent = await sql<{ id: number }>`
    SELECT w.id FROM (
      SELECT a.id, a.published_at, a.search_vector FROM articles a
      WHERE a.search_vector IS NOT NULL AND ${articleFilterSql(f)}
      ORDER BY a.published_at DESC, a.id DESC
      LIMIT ${window}
    ) w
    WHERE w.search_vector @@ ${tsQuery(q)}
    ORDER BY w.published_at DESC, w.id DESC
    LIMIT ${ranking.candidates}`.execute(db);
  return recent.rows.map((r) => Number(r.id));
}

const headlineOpts = `StartSel=${MARK_START}, StopSel=${MARK_END}`;
const snippetOpts = `${headlineOpts}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;

/**
 * Bilingual full-text search. The user's text is unaccented and parsed with websearch_to_tsquery in
 * both configurations, OR-ed, against the English+Spanish search_vector. A bounded set of recent matches is
 * ranked, never every match, so a common word costs the same at any store size (searchCandidates). Each
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
  const ids = await searchCandidates(db, q, ranking, f);
  if (ids.length === 0) return { rows: [], next: null };
  const after = f.after ? sql`WHERE (r.score, r.id) < (${f.after.rank}::float8, ${f.after.id}::int8)` : sql``;
  const perDay = Math.LN2 / ranking.halfLifeDays;
  const res = await sql<ArticleDetailRow & { rank: number; text_rank: number; title_marked: string; snippet_marked: string }>`
    WITH q AS MATERIALIZED (SELECT ${tsQuery(q)} AS query),
    hits AS (
      SELECT r.id, r.score, r.text_rank FROM (
        SELECT s.id, s.text_rank, ln(greatest(s.text_rank, 1e-9)) + s.days * ${perDay}::float8 AS score
        FROM (SELECT c.id, ts_rank_cd(c.search_vector, q.query)::float8 AS text_rank,
                     extract(epoch FROM c.published_at)::float8 / 86400 AS days
              FROM articles c CROSS JOIN q WHERE c.id = ANY(${ids}::int8[])) s
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
