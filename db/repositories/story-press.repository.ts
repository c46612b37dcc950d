import { sql } from 'kysely';
import { buildStoryPress, type PressArticle } from '../../src/press/story-press.js';
import { assembleStoryPress, type PressName, type PressSideView, type PressTerm, type StoryPress } from '../../src/press/types.js';
import type { Db } from '../client.js';

// Two presses per story: story_press holds, per story, one row per press side ('US', 'MX',
// 'other'), rewritten whenever the story changes: the clustering transaction calls refreshStoryPress with
// the stories it touched, after their aggregates and links.

interface PressArticleRow {
  story_id: number;
  id: number;
  country: string;
  outlet: string;
  at: Date;
  title: string;
  summary: string;
  entities: unknown;
}

const INSERT_CHUNK = 500;

/**
 * Rewrites the press sides of `storyIds`: one read of their member articles with each first source's country
 * and outlet, the pure per-side computation (src/press), one delete and one insert per 500 rows. A story merged
 * away or left without any article of a known country keeps no row. Caller owns the transaction.
 */
export async function refreshStoryPress(db: Db, storyIds: readonly number[]): Promise<void> {
  const ids = [...new Set(storyIds.map(Number))];
  if (ids.length === 0) return;
  const rows = await sql<PressArticleRow>`
    SELECT a.story_id, a.id, src.country,
           coalesce(nullif(btrim(src.outlet), ''), src.outlet_domain, 'source:' || src.id) AS outlet,
           LEAST(a.published_at, a.first_seen_at) AS at, a.title, left(a.summary_text, 2000) AS summary, a.entities
    FROM articles a
    JOIN stories s ON s.id = a.story_id AND s.merged_into IS NULL
    JOIN sources src ON src.id = a.first_source_id
    WHERE a.story_id = ANY(${ids}::int8[]) AND src.country IS NOT NULL
    ORDER BY a.story_id, a.id`.execute(db);
  const byStory = new Map<number, PressArticle[]>();
  for (const r of rows.rows) {
    const sid = Number(r.story_id);
    const list = byStory.get(sid) ?? [];
    const entities = (typeof r.entities === 'string' ? JSON.parse(r.entities) : (r.entities ?? [])) as PressArticle['entities'];
    list.push({ id: Number(r.id), country: r.country, outlet: r.outlet, at: r.at, title: r.title, summary: r.summary, entities });
    byStory.set(sid, list);
  }
  await sql`DELETE FROM story_press WHERE story_id = ANY(${ids}::int8[])`.execute(db);
  const values = [...byStory].flatMap(([sid, arts]) =>
    buildStoryPress(arts).map(
      (p) =>
        sql`(${sid}::int8, ${p.country}::text, ${p.outlets}::int4, ${p.articles}::int4, ${p.firstArticleId}::int8, ${p.firstAt}::timestamptz, ${JSON.stringify(p.terms)}::jsonb, ${JSON.stringify(p.names)}::jsonb)`,
    ),
  );
  for (let i = 0; i < values.length; i += INSERT_CHUNK) {
    await sql`
      INSERT INTO story_press (story_id, country, outlets, articles, first_article_id, first_at, terms, names)
      VALUES ${sql.join(values.slice(i, i + INSERT_CHUNK))}`.execute(db);
  }
}

/** The live stories with an article first delivered by this source (whose press side follows its country). */
export async function listStoryIdsOfSource(db: Db, sourceId: number): Promise<number[]> {
  const r = await sql<{ story_id: number }>`
    SELECT DISTINCT a.story_id FROM articles a JOIN stories s ON s.id = a.story_id AND s.merged_into IS NULL
    WHERE a.first_source_id = ${sourceId}`.execute(db);
  return r.rows.map((x) => Number(x.story_id));
}

/** A batch of live story ids after `after`, in id order (for a full recompute). */
export async function listLiveStoryIds(db: Db, after: number, limit: number): Promise<number[]> {
  const r = await sql<{ id: number }>`
    SELECT id FROM stories WHERE merged_into IS NULL AND id > ${after} ORDER BY id LIMIT ${limit}`.execute(db);
  return r.rows.map((x) => Number(x.id));
}

/** A story_press row as json_agg gives it inside a story query (timestamps as text). */
export interface PressSideJson {
  country: PressSideView['country'];
  outlets: number;
  articles: number;
  first_article_id: number | string | null;
  first_at: string | Date;
  terms: PressTerm[];
  names: PressName[];
}

export function toPressSide(j: PressSideJson): PressSideView {
  return {
    country: j.country,
    outlets: Number(j.outlets),
    articles: Number(j.articles),
    firstArticleId: j.first_article_id === null ? null : Number(j.first_article_id),
    firstAt: new Date(j.first_at),
    terms: j.terms ?? [],
    names: j.names ?? [],
  };
}

/**
 * The press sides of a story, as a column of the story queries (one subquery on the primary key per row of the
 * page, inside the page's own query: no extra round trip per story, nor per page).
 */
export const pressColumn = sql`(SELECT json_agg(json_build_object('country', p.country, 'outlets', p.outlets, 'articles', p.articles,
    'first_article_id', p.first_article_id, 'first_at', p.first_at, 'terms', p.terms, 'names', p.names))
  FROM story_press p WHERE p.story_id = s.id) AS press`;

/** The two presses of several stories in one query (the newsletter's events): stories without a side are absent. */
export async function listStoryPress(db: Db, storyIds: readonly number[]): Promise<Map<number, StoryPress>> {
  const out = new Map<number, StoryPress>();
  const ids = [...new Set(storyIds.map(Number))];
  if (ids.length === 0) return out;
  const r = await sql<PressSideJson & { story_id: number }>`
    SELECT story_id, country, outlets, articles, first_article_id, first_at, terms, names
    FROM story_press WHERE story_id = ANY(${ids}::int8[]) ORDER BY story_id, country`.execute(db);
  const sides = new Map<number, PressSideView[]>();
  for (const row of r.rows) {
    const list = sides.get(Number(row.story_id)) ?? [];
    list.push(toPressSide(row));
    sides.set(Number(row.story_id), list);
  }
  for (const [id, list] of sides) out.set(id, assembleStoryPress(list));
  return out;
}
