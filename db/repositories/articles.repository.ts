import { sql, type RawBuilder } from 'kysely';
import type { ArticleDetail, ArticleSourceRef, Keyset, Page } from '../../src/model/read-model.js';
import type { Classification, EntityMention, Evidence, NormalizedItem, Relevance } from '../../src/model/types.js';
import type { Db } from '../client.js';

export interface StoredItemRef {
  articleId: number;
  contentHash: string;
}

export async function findSourceItems(db: Db, sourceId: number, itemKeys: string[]): Promise<Map<string, StoredItemRef>> {
  const map = new Map<string, StoredItemRef>();
  if (itemKeys.length === 0) return map;
  const rows = await sql<{ item_key: string; article_id: number; content_hash: string }>`
    SELECT item_key, article_id, content_hash FROM source_items
    WHERE source_id = ${sourceId} AND item_key = ANY(${itemKeys}::text[])`.execute(db);
  for (const r of rows.rows) map.set(r.item_key, { articleId: r.article_id, contentHash: r.content_hash });
  return map;
}

export interface NewArticle {
  dedupKey: string;
  canonicalUrl: string | null;
  item: NormalizedItem;
  contentHash: string;
  sourceId: number;
  classification: Classification | null;
}

/** One item of a source and the story it carries (its article is found by dedup key). */
export interface NewSourceItem {
  itemKey: string;
  dedupKey: string;
  contentHash: string;
}

/** `{"a","b"}`: a text[] as one text value (escaped per the array literal syntax). */
function textArrayLiteral(xs: readonly string[]): string {
  return `{${xs.map((s) => `"${s.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

/**
 * The columns an article insert binds, each as one text[] parameter (a column of the batch, unnested and cast
 * back per row): a feed of 50 items is ~25 bind parameters, where a multi-row VALUES list was ~1,200 that
 * kysely compiled and pg serialized one by one. Text carries every column alike: a text[] column travels as
 * an array literal (unnest would flatten a 2-D array), jsonb as JSON text, dates and numbers as pg writes
 * them anyway. first_seen_at and updated_at are the batch's `now`.
 */
interface ArticleColumn {
  name: string;
  type: string;
  value: (a: NewArticle) => unknown;
  /**
   * What the batch insert sends, with `expr` the SQL that rebuilds the value from the unnested row `u`: lets
   * a column that usually repeats another travel as NULL (default: the value itself, `u.<name>::<type>`).
   */
  sent?: (a: NewArticle) => unknown;
  expr?: string;
}

const ARTICLE_COLUMNS: ReadonlyArray<ArticleColumn> = [
  { name: 'dedup_key', type: 'text', value: (a) => a.dedupKey },
  { name: 'url', type: 'text', value: (a) => a.item.url },
  { name: 'canonical_url', type: 'text', value: (a) => a.canonicalUrl },
  { name: 'guid', type: 'text', value: (a) => a.item.guid },
  { name: 'title', type: 'text', value: (a) => a.item.title },
  { name: 'summary_html', type: 'text', value: (a) => a.item.summaryHtml },
  {
    name: 'summary_text',
    type: 'text',
    value: (a) => a.item.summaryText,
    // Most summaries are plain text already (the HTML and the text are the same string): sent once.
    sent: (a) => (a.item.summaryText === a.item.summaryHtml ? null : a.item.summaryText),
    expr: 'coalesce(u.summary_text, u.summary_html)',
  },
  { name: 'content_html', type: 'text', value: (a) => a.item.contentHtml },
  { name: 'author', type: 'text', value: (a) => a.item.author },
  { name: 'categories', type: 'text[]', value: (a) => textArrayLiteral(a.item.categories) },
  { name: 'enclosures', type: 'jsonb', value: (a) => JSON.stringify(a.item.enclosures) },
  { name: 'lang', type: 'text', value: (a) => a.item.lang },
  { name: 'published_at', type: 'timestamptz', value: (a) => a.item.publishedAt },
  { name: 'content_hash', type: 'text', value: (a) => a.contentHash },
  { name: 'first_source_id', type: 'int8', value: (a) => a.sourceId },
  { name: 'relevance', type: 'text', value: (a) => a.classification?.relevance ?? null },
  { name: 'score', type: 'real', value: (a) => a.classification?.score ?? null },
  { name: 'topics', type: 'text[]', value: (a) => textArrayLiteral(a.classification?.topics ?? []) },
  { name: 'entities', type: 'jsonb', value: (a) => JSON.stringify(a.classification?.entities ?? []) },
  { name: 'evidence', type: 'jsonb', value: (a) => JSON.stringify(a.classification?.evidence ?? []) },
  { name: 'rules_version', type: 'text', value: (a) => a.classification?.rulesVersion ?? null },
];
/** What an edited item changes: everything but its identity (keys, first source, publication time). */
const EDITABLE_COLUMNS = ARTICLE_COLUMNS.filter((c) => !['dedup_key', 'canonical_url', 'published_at', 'first_source_id'].includes(c.name));
const articleColumnNames = sql.raw(ARTICLE_COLUMNS.map((c) => c.name).join(', '));
const articleRowValues = sql.raw(ARTICLE_COLUMNS.map((c) => c.expr ?? `u.${c.name}::${c.type}`).join(', '));

/** `unnest($1::text[], …) AS u(dedup_key, …)`: the batch of articles as rows, one array per column. */
function articleRows(articles: NewArticle[]): RawBuilder<unknown> {
  const arrays = sql.join(ARTICLE_COLUMNS.map((c) => sql`${articles.map(c.sent ?? c.value)}::text[]`));
  return sql`unnest(${arrays}) AS u(${articleColumnNames})`;
}

/** `unnest(…) AS l(item_key, dedup_key, content_hash)`: the batch of items as rows. */
function itemRows(items: NewSourceItem[]): RawBuilder<unknown> {
  return sql`unnest(${items.map((i) => i.itemKey)}::text[], ${items.map((i) => i.dedupKey)}::text[], ${items.map((i) => i.contentHash)}::text[])
    AS l(item_key, dedup_key, content_hash)`;
}

export interface StoredBatch {
  /** Articles the statement created, by dedup key. */
  created: Map<string, number>;
  /** Dedup keys whose article another transaction committed meanwhile: their items are not linked yet. */
  unseen: string[];
}

/**
 * Inserts the articles whose dedup key is new and links every item to its article, new or existing, in
 * one statement. ON CONFLICT DO NOTHING makes a concurrent insert of the same story by another worker a
 * no-op here (it waits for that transaction, then skips), so the unique index, not timing, guarantees one
 * row per story. That row was committed after this statement's snapshot, which therefore cannot see it:
 * its dedup key comes back in `unseen`, for linkItemsToArticles in a statement of its own. (The rows `ins`
 * writes are not visible to the same statement either, except through its RETURNING: hence the coalesce.)
 */
export async function insertArticlesAndLinks(
  db: Db,
  sourceId: number,
  articles: NewArticle[],
  items: NewSourceItem[],
  now: Date,
): Promise<StoredBatch> {
  const rows = await sql<{ dedup_key: string; id: number | null }>`
    WITH ins AS (
      INSERT INTO articles (${articleColumnNames}, first_seen_at, updated_at)
      SELECT ${articleRowValues}, ${now}::timestamptz, ${now}::timestamptz FROM ${articleRows(articles)}
      ON CONFLICT (dedup_key) DO NOTHING
      RETURNING id, dedup_key
    ), links AS (
      SELECT l.*, coalesce(ins.id, (SELECT a.id FROM articles a WHERE a.dedup_key = l.dedup_key)) AS article_id
      FROM ${itemRows(items)} LEFT JOIN ins ON ins.dedup_key = l.dedup_key
    ), linked AS (
      INSERT INTO source_items (source_id, item_key, article_id, content_hash, first_seen_at, last_seen_at)
      SELECT ${sourceId}::int8, item_key, article_id, content_hash, ${now}::timestamptz, ${now}::timestamptz
      FROM links WHERE article_id IS NOT NULL
      ON CONFLICT (source_id, item_key) DO NOTHING
    )
    SELECT dedup_key, id FROM ins
    UNION ALL SELECT DISTINCT dedup_key, NULL::int8 FROM links WHERE article_id IS NULL`.execute(db);
  return storedBatchOf(rows.rows);
}

function storedBatchOf(rows: Array<{ dedup_key: string; id: number | null }>): StoredBatch {
  const out: StoredBatch = { created: new Map(), unseen: [] };
  for (const r of rows) {
    if (r.id === null) out.unseen.push(r.dedup_key);
    else out.created.set(r.dedup_key, r.id);
  }
  return out;
}

/** Links items to the existing articles of their dedup keys (an item already linked is left alone). */
export async function linkItemsToArticles(db: Db, sourceId: number, items: NewSourceItem[], now: Date): Promise<void> {
  if (items.length === 0) return;
  await sql`
    INSERT INTO source_items (source_id, item_key, article_id, content_hash, first_seen_at, last_seen_at)
    SELECT ${sourceId}::int8, l.item_key, a.id, l.content_hash, ${now}::timestamptz, ${now}::timestamptz
    FROM ${itemRows(items)} JOIN articles a ON a.dedup_key = l.dedup_key
    ON CONFLICT (source_id, item_key) DO NOTHING`.execute(db);
}

// An editor's correction (beat_corrections) wins over the classifier in every statement that writes an
// article's classification: this reclassification, an edited item's update, the correction itself. Each joins
// the article's correction as `bc` (NULL when there is none) and writes its columns through correctedValue,
// so no path (a later rules version, a retrained model, an edited item) can undo an editor's decision.

/** The "matched because" entry of a correction: weight 0 (it is not a rule), first in the evidence. */
const CORRECTION_EVIDENCE = sql`jsonb_build_object('rule', 'editor:correction',
  'matched', CASE bc.relevance WHEN 'on_beat' THEN 'on the beat' WHEN 'adjacent' THEN 'adjacent' ELSE 'off the beat' END
    || coalesce(' — ' || bc.note, ''),
  'field', 'title', 'weight', 0)`;

/** What a classification column becomes given the classifier's `value` and the joined correction `bc`. */
function correctedValue(column: string, value: RawBuilder<unknown>): RawBuilder<unknown> {
  if (column === 'relevance') return sql`coalesce(bc.relevance, ${value})`;
  if (column === 'topics') return sql`CASE WHEN bc.article_id IS NULL THEN ${value} ELSE bc.topics END`;
  if (column === 'evidence') return sql`CASE WHEN bc.article_id IS NULL THEN ${value} ELSE jsonb_build_array(${CORRECTION_EVIDENCE}) || ${value} END`;
  return value;
}

/** An edited item: same identity, new content. Updates in place (no duplicate); a correction still wins. */
export async function updateArticleContent(
  db: Db,
  articleId: number,
  a: Omit<NewArticle, 'dedupKey' | 'sourceId'>,
  sourceItem: { sourceId: number; itemKey: string },
  now: Date,
): Promise<void> {
  const row: NewArticle = { ...a, dedupKey: '', sourceId: 0 };
  const set = sql.join(EDITABLE_COLUMNS.map((c) => sql`${sql.ref(c.name)} = ${correctedValue(c.name, sql`${c.value(row)}::${sql.raw(c.type)}`)}`));
  await sql`
    UPDATE articles AS a SET ${set}, updated_at = ${now}::timestamptz
    FROM (SELECT ${articleId}::int8 AS id) AS t LEFT JOIN beat_corrections bc ON bc.article_id = t.id
    WHERE a.id = t.id`.execute(db);
  await db
    .updateTable('source_items')
    .set({ content_hash: a.contentHash, last_seen_at: now })
    .where('source_id', '=', sourceItem.sourceId)
    .where('item_key', '=', sourceItem.itemKey)
    .execute();
}

export async function countArticles(db: Db): Promise<number> {
  const r = await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface ArticleText {
  id: number;
  title: string;
  summaryText: string;
  categories: string[];
  lang: string | null;
}

/** A batch of articles classified by other rules than `rulesVersion`, in id order after `afterId`. */
export async function listArticlesToReclassify(db: Db, rulesVersion: string, afterId: number, limit: number): Promise<ArticleText[]> {
  const rows = await db
    .selectFrom('articles')
    .select(['id', 'title', 'summary_text', 'categories', 'lang'])
    .where('id', '>', afterId)
    .where((eb) => eb.or([eb('rules_version', 'is', null), eb('rules_version', '!=', rulesVersion)]))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, summaryText: r.summary_text, categories: r.categories, lang: r.lang }));
}

export async function countArticlesToReclassify(db: Db, rulesVersion: string): Promise<number> {
  const r = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb('rules_version', 'is', null), eb('rules_version', '!=', rulesVersion)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Writes a batch of classifications in one statement (UPDATE … FROM (VALUES …)). An article with an editor's
 * correction keeps the corrected relevance and topics (the classifier's score, entities, evidence and version
 * stamp are still written: a reclassification does not come back to it).
 */
export async function updateClassifications(db: Db, rows: Array<{ id: number; c: Classification }>): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map(
      (r) =>
        sql`(${r.id}::bigint, ${r.c.relevance}::text, ${r.c.score}::real, ${r.c.topics}::text[], ${JSON.stringify(r.c.entities)}::jsonb, ${JSON.stringify(r.c.evidence)}::jsonb, ${r.c.rulesVersion}::text)`,
    ),
  );
  await sql`
    UPDATE articles AS a SET relevance = ${correctedValue('relevance', sql`v.relevance`)}, score = v.score,
      topics = ${correctedValue('topics', sql`v.topics`)}, entities = v.entities,
      evidence = ${correctedValue('evidence', sql`v.evidence`)}, rules_version = v.rules_version
    FROM (VALUES ${values}) AS v (id, relevance, score, topics, entities, evidence, rules_version)
      LEFT JOIN beat_corrections bc ON bc.article_id = v.id
    WHERE a.id = v.id`.execute(db);
}

export interface ArticleToCorrect extends ArticleText {
  storyId: number | null;
  /** Topics of the article's story (a correction to on-beat without topics takes them). */
  storyTopics: string[];
}

/** An article's classifier input and its story's topics, for an editor's correction. */
export async function findArticleToCorrect(db: Db, id: number): Promise<ArticleToCorrect | null> {
  const r = (
    await sql<{ id: number; title: string; summary_text: string; categories: string[]; lang: string | null; story_id: number | null; story_topics: string[] | null }>`
      SELECT a.id, a.title, a.summary_text, a.categories, a.lang, a.story_id, s.topics AS story_topics
      FROM articles a LEFT JOIN stories s ON s.id = a.story_id
      WHERE a.id = ${id}`.execute(db)
  ).rows[0];
  if (!r) return null;
  return { id: r.id, title: r.title, summaryText: r.summary_text, categories: r.categories, lang: r.lang, storyId: r.story_id, storyTopics: r.story_topics ?? [] };
}

// ---------------------------------------------------------------------------------------------
// Read side (API): pages, details, carriers. Two queries per page at most, never one per row.

export interface ArticleListFilter {
  topic?: string | undefined;
  relevance?: Relevance | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  lang?: string | undefined;
  sourceId?: number | undefined;
}

/** WHERE conditions over `a` (articles) for the API filters; `TRUE` when none apply. */
export function articleFilterSql(f: ArticleListFilter): RawBuilder<unknown> {
  const c: RawBuilder<unknown>[] = [sql`TRUE`];
  // `<> '{}'` lets the planner use articles_topics_idx, which holds articles with topics only.
  if (f.topic) c.push(sql`a.topics @> ARRAY[${f.topic}]::text[] AND a.topics <> '{}'`);
  if (f.relevance) c.push(sql`a.relevance = ${f.relevance}`);
  if (f.since) c.push(sql`a.published_at >= ${f.since}`);
  if (f.until) c.push(sql`a.published_at < ${f.until}`);
  if (f.lang) c.push(sql`a.lang = ${f.lang}`);
  if (f.sourceId !== undefined) {
    c.push(sql`EXISTS (SELECT 1 FROM source_items si WHERE si.article_id = a.id AND si.source_id = ${f.sourceId})`);
  }
  return sql.join(c, sql` AND `);
}

/** Columns an ArticleDetail is built from (`a` = articles, `src` = its first source). */
export const articleDetailColumns = sql`a.id, a.url, a.canonical_url, a.title, a.summary_html, a.summary_text,
  a.lang, a.published_at, a.first_seen_at, a.relevance, a.score, a.topics, a.entities, a.evidence,
  a.story_id, a.duplicate_of, a.first_source_id, src.name AS first_source_name,
  (extract(epoch FROM a.published_at) * 1000000)::int8 AS k_micros`;

export interface ArticleDetailRow {
  id: number;
  url: string | null;
  canonical_url: string | null;
  title: string;
  summary_html: string;
  summary_text: string;
  lang: string | null;
  published_at: Date;
  first_seen_at: Date;
  relevance: Relevance | null;
  score: number | null;
  topics: string[];
  entities: EntityMention[];
  evidence: Evidence[];
  story_id: number | null;
  duplicate_of: number | null;
  first_source_id: number | null;
  first_source_name: string | null;
  k_micros: number;
}

export function toArticleDetail(r: ArticleDetailRow, sources: ArticleSourceRef[] = []): ArticleDetail {
  return {
    id: r.id,
    url: r.url,
    canonicalUrl: r.canonical_url,
    title: r.title,
    summaryHtml: r.summary_html,
    summaryText: r.summary_text,
    source: r.first_source_id === null ? null : { id: r.first_source_id, name: r.first_source_name },
    sources,
    lang: r.lang,
    publishedAt: r.published_at,
    firstSeenAt: r.first_seen_at,
    relevance: r.relevance,
    score: r.score,
    topics: r.topics,
    entities: r.entities,
    evidence: r.evidence,
    storyId: r.story_id,
    duplicateOf: r.duplicate_of,
  };
}

/** Every source that carried each article, first seen first: one query for the whole page. */
export async function listArticleCarriers(db: Db, articleIds: number[]): Promise<Map<number, ArticleSourceRef[]>> {
  const out = new Map<number, ArticleSourceRef[]>();
  if (articleIds.length === 0) return out;
  const rows = await sql<{ article_id: number; source_id: number; name: string | null; first_seen_at: Date }>`
    SELECT si.article_id, si.source_id, s.name, min(si.first_seen_at) AS first_seen_at
    FROM source_items si JOIN sources s ON s.id = si.source_id
    WHERE si.article_id = ANY(${articleIds}::int8[])
    GROUP BY si.article_id, si.source_id, s.name
    ORDER BY si.article_id, 4, si.source_id`.execute(db);
  for (const r of rows.rows) {
    const list = out.get(r.article_id) ?? [];
    list.push({ id: r.source_id, name: r.name, firstSeenAt: r.first_seen_at });
    out.set(r.article_id, list);
  }
  return out;
}

/** Newest published first, keyset on (published_at, id); `limit + 1` rows tell whether a next page exists. */
export async function listArticlesPage(
  db: Db,
  f: ArticleListFilter & { after?: Keyset | undefined; limit: number },
): Promise<Page<ArticleDetail>> {
  const after = f.after
    ? sql`AND (a.published_at, a.id) < (timestamptz 'epoch' + ${f.after.micros}::float8 * interval '1 microsecond', ${f.after.id}::int8)`
    : sql``;
  const rows = await sql<ArticleDetailRow>`
    SELECT ${articleDetailColumns}
    FROM articles a LEFT JOIN sources src ON src.id = a.first_source_id
    WHERE ${articleFilterSql(f)} ${after}
    ORDER BY a.published_at DESC, a.id DESC
    LIMIT ${f.limit + 1}`.execute(db);
  const page = rows.rows.slice(0, f.limit);
  const carriers = await listArticleCarriers(db, page.map((r) => r.id));
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toArticleDetail(r, carriers.get(r.id))),
    next: rows.rows.length > f.limit && last ? { micros: last.k_micros, id: last.id } : null,
  };
}

export async function findArticleDetail(db: Db, id: number): Promise<ArticleDetail | null> {
  const r = (
    await sql<ArticleDetailRow>`
      SELECT ${articleDetailColumns}
      FROM articles a LEFT JOIN sources src ON src.id = a.first_source_id
      WHERE a.id = ${id}`.execute(db)
  ).rows[0];
  if (!r) return null;
  return toArticleDetail(r, (await listArticleCarriers(db, [id])).get(id));
}
