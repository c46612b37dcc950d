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
  const rows = await db
    .selectFrom('source_items')
    .select(['item_key', 'article_id', 'content_hash'])
    .where('source_id', '=', sourceId)
    .where('item_key', 'in', itemKeys)
    .execute();
  for (const r of rows) map.set(r.item_key, { articleId: r.article_id, contentHash: r.content_hash });
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

function articleValues(a: NewArticle, now: Date) {
  const it = a.item;
  const c = a.classification;
  return {
    url: it.url,
    canonical_url: a.canonicalUrl,
    guid: it.guid,
    title: it.title,
    summary_html: it.summaryHtml,
    summary_text: it.summaryText,
    content_html: it.contentHtml,
    author: it.author,
    categories: it.categories,
    enclosures: JSON.stringify(it.enclosures),
    lang: it.lang,
    published_at: it.publishedAt,
    content_hash: a.contentHash,
    relevance: c?.relevance ?? null,
    score: c?.score ?? null,
    topics: c?.topics ?? [],
    entities: JSON.stringify(c?.entities ?? []),
    evidence: JSON.stringify(c?.evidence ?? []),
    rules_version: c?.rulesVersion ?? null,
    updated_at: now,
  };
}

/**
 * Inserts articles whose dedup key is new. ON CONFLICT DO NOTHING makes a concurrent insert
 * of the same story by another worker a no-op here (it waits for that transaction, then
 * skips), so the unique index, not timing, guarantees one row per story.
 */
export async function insertArticles(db: Db, articles: NewArticle[], now: Date): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (articles.length === 0) return out;
  const rows = await db
    .insertInto('articles')
    .values(
      articles.map((a) => ({
        ...articleValues(a, now),
        dedup_key: a.dedupKey,
        first_seen_at: now,
        first_source_id: a.sourceId,
      })),
    )
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .returning(['id', 'dedup_key'])
    .execute();
  for (const r of rows) out.set(r.dedup_key, r.id);
  return out;
}

export async function findArticleIdsByDedupKeys(db: Db, keys: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (keys.length === 0) return out;
  const rows = await db.selectFrom('articles').select(['id', 'dedup_key']).where('dedup_key', 'in', keys).execute();
  for (const r of rows) out.set(r.dedup_key, r.id);
  return out;
}

export async function insertSourceItems(
  db: Db,
  rows: Array<{ sourceId: number; itemKey: string; articleId: number; contentHash: string }>,
  now: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await db
    .insertInto('source_items')
    .values(
      rows.map((x) => ({
        source_id: x.sourceId,
        item_key: x.itemKey,
        article_id: x.articleId,
        content_hash: x.contentHash,
        first_seen_at: now,
        last_seen_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['source_id', 'item_key']).doNothing())
    .returning('article_id')
    .execute();
  return r.length;
}

/** An edited item: same identity, new content. Updates in place (no duplicate). */
export async function updateArticleContent(
  db: Db,
  articleId: number,
  a: Omit<NewArticle, 'dedupKey' | 'sourceId'>,
  sourceItem: { sourceId: number; itemKey: string },
  now: Date,
): Promise<void> {
  const { canonical_url: _keepIdentity, published_at: _keepDate, ...values } = articleValues({ ...a, dedupKey: '', sourceId: 0 }, now);
  await db.updateTable('articles').set(values).where('id', '=', articleId).execute();
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

/** Writes a batch of classifications in one statement (UPDATE … FROM (VALUES …)). */
export async function updateClassifications(db: Db, rows: Array<{ id: number; c: Classification }>): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map(
      (r) =>
        sql`(${r.id}::bigint, ${r.c.relevance}::text, ${r.c.score}::real, ${r.c.topics}::text[], ${JSON.stringify(r.c.entities)}::jsonb, ${JSON.stringify(r.c.evidence)}::jsonb, ${r.c.rulesVersion}::text)`,
    ),
  );
  await sql`
    UPDATE articles AS a SET relevance = v.relevance, score = v.score, topics = v.topics,
      entities = v.entities, evidence = v.evidence, rules_version = v.rules_version
    FROM (VALUES ${values}) AS v (id, relevance, score, topics, entities, evidence, rules_version)
    WHERE a.id = v.id`.execute(db);
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
  if (f.topic) c.push(sql`a.topics @> ARRAY[${f.topic}]::text[]`);
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
