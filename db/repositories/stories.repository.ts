import { sql, type RawBuilder } from 'kysely';
import type { ArticleRef, Keyset, Page, RelatedStory, StorySummary } from '../../src/model/read-model.js';
import type { Relevance } from '../../src/model/types.js';
import { assembleStoryPress } from '../../src/press/types.js';
import type { Db } from '../client.js';
import { pressColumn, toPressSide, type PressSideJson } from './story-press.repository.js';

// Read side of stories (event clusters). Merged stories (merged_into set) are never listed;
// their ids resolve to the survivor through resolveStoryId.

export interface StoryListFilter {
  /** null = every topic (the whole beat). */
  topic: string | null;
  relevance?: Relevance | undefined;
  /** Activity window on last_updated_at: [since, until). */
  since?: Date | undefined;
  until?: Date | undefined;
  /** Stories with at least one article in this language. */
  lang?: string | undefined;
  /** Stories with at least one article carried by this source. */
  sourceId?: number | undefined;
  /** Stories with coverage from this press (a story_press row). */
  press?: 'US' | 'MX' | undefined;
  /**
   * Blind spots of this press: stories it did not cover (no article of its outlets) while the other press
   * covered them with at least `minOutlets` outlets.
   */
  blindspot?: { missing: 'US' | 'MX'; minOutlets: number } | undefined;
}

interface StoryRow {
  id: number;
  headline: string;
  first_article_id: number | null;
  first_source_id: number | null;
  first_source_name: string | null;
  first_published_at: Date;
  last_published_at: Date;
  first_seen_at: Date;
  last_updated_at: Date;
  event_at: Date;
  article_count: number;
  outlet_count: number;
  lang_counts: Record<string, number>;
  topics: string[];
  relevance: Relevance | null;
  k_micros: number;
  press?: PressSideJson[] | string | null;
}

const storyColumns = sql`s.id, s.headline, s.first_article_id, s.first_source_id, fs.name AS first_source_name,
  s.first_published_at, s.last_published_at, s.first_seen_at, s.last_updated_at, s.event_at, s.article_count,
  s.outlet_count, s.lang_counts, s.topics, s.relevance,
  (extract(epoch FROM s.event_at) * 1000000)::int8 AS k_micros`;

function toStory(r: StoryRow): StorySummary {
  return {
    id: r.id,
    headline: r.headline,
    firstArticleId: r.first_article_id,
    firstSource: r.first_source_id === null ? null : { id: r.first_source_id, name: r.first_source_name },
    firstPublishedAt: r.first_published_at,
    lastPublishedAt: r.last_published_at,
    firstSeenAt: r.first_seen_at,
    lastUpdatedAt: r.last_updated_at,
    eventAt: r.event_at,
    articleCount: r.article_count,
    outletCount: r.outlet_count,
    langCounts: r.lang_counts,
    topics: r.topics,
    relevance: r.relevance,
    ...(r.press !== undefined
      ? { press: assembleStoryPress(((typeof r.press === 'string' ? JSON.parse(r.press) : r.press) ?? []).map(toPressSide)) }
      : {}),
  };
}

function storyFilterSql(f: StoryListFilter): RawBuilder<unknown> {
  const c: RawBuilder<unknown>[] = [sql`s.merged_into IS NULL`];
  if (f.topic) c.push(sql`s.topics @> ARRAY[${f.topic}]::text[]`);
  if (f.relevance) c.push(sql`s.relevance = ${f.relevance}`);
  if (f.since) c.push(sql`s.last_updated_at >= ${f.since}`);
  if (f.until) c.push(sql`s.last_updated_at < ${f.until}`);
  if (f.lang) c.push(sql`s.lang_counts ? ${f.lang}`);
  if (f.sourceId !== undefined) {
    c.push(sql`EXISTS (SELECT 1 FROM articles a JOIN source_items si ON si.article_id = a.id
                       WHERE a.story_id = s.id AND si.source_id = ${f.sourceId})`);
  }
  if (f.press) c.push(sql`EXISTS (SELECT 1 FROM story_press p WHERE p.story_id = s.id AND p.country = ${f.press})`);
  if (f.blindspot) {
    const covering = f.blindspot.missing === 'US' ? 'MX' : 'US';
    c.push(sql`EXISTS (SELECT 1 FROM story_press p WHERE p.story_id = s.id AND p.country = ${covering} AND p.outlets >= ${f.blindspot.minOutlets})`);
    c.push(sql`NOT EXISTS (SELECT 1 FROM story_press p WHERE p.story_id = s.id AND p.country = ${f.blindspot.missing})`);
  }
  return sql.join(c, sql` AND `);
}

/**
 * Newest event first (event_at = LEAST(first_published_at, first_seen_at): when the event was first
 * reported, not when we ingested it), keyset on (event_at, id) — the stories_event_idx order.
 */
export async function listStoriesPage(
  db: Db,
  f: StoryListFilter & { after?: Keyset | undefined; limit: number },
): Promise<Page<StorySummary>> {
  const after = f.after
    ? sql`AND (s.event_at, s.id) < (timestamptz 'epoch' + ${f.after.micros}::float8 * interval '1 microsecond', ${f.after.id}::int8)`
    : sql``;
  const rows = await sql<StoryRow>`
    SELECT ${storyColumns}, ${pressColumn}
    FROM stories s LEFT JOIN sources fs ON fs.id = s.first_source_id
    WHERE ${storyFilterSql(f)} ${after}
    ORDER BY s.event_at DESC, s.id DESC
    LIMIT ${f.limit + 1}`.execute(db);
  const page = rows.rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toStory),
    next: rows.rows.length > f.limit && last ? { micros: last.k_micros, id: last.id } : null,
  };
}

interface ArticleRefRow {
  id: number;
  title: string;
  url: string | null;
  lang: string | null;
  published_at: Date;
  summary_text: string;
  duplicate_of: number | null;
  first_source_id: number | null;
  source_name: string | null;
  /** The first source's country of publication, where the query read it (the press side of the article). */
  source_country?: string | null;
}

function toArticleRef(r: ArticleRefRow): ArticleRef {
  return {
    id: r.id,
    title: r.title,
    url: r.url,
    lang: r.lang,
    publishedAt: r.published_at,
    summaryText: r.summary_text,
    duplicateOf: r.duplicate_of,
    source: r.first_source_id === null ? null : { id: r.first_source_id, name: r.source_name },
    ...(r.source_country !== undefined ? { country: r.source_country } : {}),
  };
}

/**
 * The member articles of several stories in one query, oldest first, at most `perStory` each
 * (the story's own article_count tells the full number).
 */
export function listStoryArticles(db: Db, storyIds: number[], perStory: number): Promise<Map<number, ArticleRef[]>> {
  return listArticleRefsPerStory(db, 'members', storyIds, perStory);
}

/**
 * Articles per story in one query, oldest first, at most `perStory` each: the stories' members (with the
 * first source's country, the article's press side), or the roundups attached to them (story_roundups).
 */
async function listArticleRefsPerStory(
  db: Db,
  of: 'members' | 'roundups',
  storyIds: number[],
  perStory: number,
): Promise<Map<number, ArticleRef[]>> {
  const out = new Map<number, ArticleRef[]>();
  if (storyIds.length === 0) return out;
  const storyId = of === 'members' ? sql`a.story_id` : sql`r.story_id`;
  const from = of === 'members' ? sql`articles a` : sql`story_roundups r JOIN articles a ON a.id = r.article_id`;
  const rows = await sql<ArticleRefRow & { story_id: number }>`
    SELECT x.* FROM (
      SELECT ${storyId} AS story_id, a.id, a.title, a.url, a.lang, a.published_at, a.summary_text, a.duplicate_of,
             a.first_source_id, coalesce(nullif(btrim(src.outlet), ''), src.name) AS source_name
             ${of === 'members' ? sql`, src.country AS source_country` : sql``},
             row_number() OVER (PARTITION BY ${storyId} ORDER BY a.published_at, a.id) AS rn
      FROM ${from} LEFT JOIN sources src ON src.id = a.first_source_id
      WHERE ${storyId} = ANY(${storyIds}::int8[])
    ) x
    WHERE x.rn <= ${perStory}
    ORDER BY x.story_id, x.published_at, x.id`.execute(db);
  for (const r of rows.rows) {
    const list = out.get(r.story_id) ?? [];
    list.push(toArticleRef(r));
    out.set(r.story_id, list);
  }
  return out;
}

/** Follows merged_into to the surviving story (bounded: a cycle cannot loop). null = no such story. */
export async function resolveStoryId(db: Db, id: number): Promise<number | null> {
  const r = await sql<{ id: number }>`
    WITH RECURSIVE chain (id, merged_into, depth) AS (
      SELECT id, merged_into, 0 FROM stories WHERE id = ${id}
      UNION ALL
      SELECT s.id, s.merged_into, c.depth + 1 FROM stories s JOIN chain c ON s.id = c.merged_into WHERE c.depth < 32
    )
    SELECT id FROM chain ORDER BY depth DESC LIMIT 1`.execute(db);
  return r.rows[0]?.id ?? null;
}

export async function findStory(db: Db, id: number): Promise<StorySummary | null> {
  return (await findStoryOrMerge(db, id))?.story ?? null;
}

/** A story and the story it was merged into (null for a live story): one primary-key read. */
export async function findStoryOrMerge(db: Db, id: number): Promise<{ story: StorySummary; mergedInto: number | null } | null> {
  const r = (
    await sql<StoryRow & { merged_into: number | null }>`
      SELECT ${storyColumns}, ${pressColumn}, s.merged_into FROM stories s LEFT JOIN sources fs ON fs.id = s.first_source_id WHERE s.id = ${id}`.execute(db)
  ).rows[0];
  return r ? { story: toStory(r), mergedInto: r.merged_into === null ? null : Number(r.merged_into) } : null;
}

/** Every story merged (directly or through a chain) into `id`. */
export async function listMergedStoryIds(db: Db, id: number): Promise<number[]> {
  const r = await sql<{ id: number }>`
    WITH RECURSIVE merged (id, depth) AS (
      SELECT id, 0 FROM stories WHERE merged_into = ${id}
      UNION ALL
      SELECT s.id, m.depth + 1 FROM stories s JOIN merged m ON s.merged_into = m.id WHERE m.depth < 32
    )
    SELECT DISTINCT id FROM merged ORDER BY id`.execute(db);
  return r.rows.map((x) => x.id);
}

/**
 * The stored storyline links (story_links, written by placement: addStoryLinks) of several stories in one
 * query — the primary key range of each — at most `perStory` each, strongest first; links to stories
 * merged away since are skipped (the next refresh of the survivor deletes them).
 */
export async function listLinkedStories(db: Db, storyIds: number[], perStory: number): Promise<Map<number, RelatedStory[]>> {
  const out = new Map<number, RelatedStory[]>();
  if (storyIds.length === 0) return out;
  const rows = await sql<StoryRow & { from_id: number; kind: string; shared: string[] }>`
    SELECT x.* FROM (
      SELECT l.story_id AS from_id, l.kind, l.shared, ${storyColumns},
             row_number() OVER (PARTITION BY l.story_id
                                ORDER BY cardinality(l.shared) DESC, l.score DESC, s.event_at DESC, s.id DESC) AS rn
      FROM story_links l JOIN stories s ON s.id = l.related_id LEFT JOIN sources fs ON fs.id = s.first_source_id
      WHERE l.story_id = ANY(${storyIds}::int8[]) AND s.merged_into IS NULL AND s.relevance IN ('on_beat', 'adjacent')
    ) x
    WHERE x.rn <= ${perStory}
    ORDER BY x.from_id, x.rn`.execute(db);
  for (const r of rows.rows) {
    const list = out.get(r.from_id) ?? [];
    list.push({ ...toStory(r), reason: 'storyline', shared: r.shared });
    out.set(r.from_id, list);
  }
  return out;
}

/**
 * The roundups attached to several stories (story_roundups) in one query, oldest first, at most
 * `perStory` each: articles naming several events, shown as related coverage, never as members.
 */
export function listStoryRoundups(db: Db, storyIds: number[], perStory: number): Promise<Map<number, ArticleRef[]>> {
  return listArticleRefsPerStory(db, 'roundups', storyIds, perStory);
}

/**
 * A marker that changes whenever what the API serves changes: newest story activity, newest story
 * and article ids, merges, source changes readers see (sources.updated_at, and the sources' health as the
 * home page sums it up) and editors' corrections (an article's label can change without any story moving).
 * Every part is an index lookup or a small table.
 */
export async function findDataVersion(db: Db): Promise<string> {
  const r = await sql<{ v: string }>`
    SELECT concat_ws(':',
      (SELECT (extract(epoch FROM max(last_updated_at)) * 1000000)::int8 FROM stories WHERE merged_into IS NULL),
      (SELECT max(id) FROM stories),
      (SELECT count(*) FROM stories WHERE merged_into IS NOT NULL),
      (SELECT max(id) FROM articles),
      (SELECT (extract(epoch FROM max(updated_at)) * 1000000)::int8 FROM sources),
      -- The sources' health as the home page summarises it (which are failing, how many delivered or wait for a
      -- first fetch): it changes when a feed starts or stops failing, not with every fetch.
      (SELECT count(*) FILTER (WHERE status = 'active' AND error_count > 0) || '+' ||
              coalesce(sum(id) FILTER (WHERE status = 'active' AND error_count > 0), 0) || '/' ||
              count(*) FILTER (WHERE last_success_at IS NOT NULL) || '/' ||
              count(*) FILTER (WHERE status = 'active' AND last_fetched_at IS NULL) FROM sources),
      (SELECT count(*) || '@' || coalesce((extract(epoch FROM max(corrected_at)) * 1000000)::int8, 0) FROM beat_corrections)) AS v`.execute(db);
  return r.rows[0]?.v ?? '';
}

export async function countLiveStories(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*) AS n FROM stories WHERE merged_into IS NULL`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
