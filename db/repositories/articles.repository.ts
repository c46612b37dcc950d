import { sql } from 'kysely';
import type { Classification, NormalizedItem } from '../../src/model/types.js';
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
