import { sql } from 'kysely';
import type { Keyset, Page } from '../../src/model/read-model.js';
import type { DigestArticle, DigestStory, NewsletterIssue, NewsletterIssueSummary, NewsletterModel } from '../../src/render/newsletter-model.js';
import type { Db } from '../client.js';

// Newsletters: the period's events (read side of stories/articles) and the stored issues.

/**
 * Live on-beat stories (of one topic, or all when null) with their articles published in
 * [start, end), oldest first: one query driven by articles_published_idx, whatever the period.
 */
export async function listPeriodStories(db: Db, f: { topic: string | null; start: Date; end: Date }): Promise<DigestStory[]> {
  const rows = await sql<{
    story_id: number;
    headline: string;
    story_topics: string[];
    id: number;
    title: string;
    url: string | null;
    lang: string | null;
    published_at: Date;
    summary_text: string;
    topics: string[];
    source_id: number | null;
    source_name: string | null;
    source_url: string | null;
    source_site_url: string | null;
  }>`
    SELECT s.id AS story_id, s.headline, s.topics AS story_topics,
           a.id, a.title, a.url, a.lang, a.published_at, a.summary_text, a.topics,
           src.id AS source_id, src.name AS source_name, src.url AS source_url, src.site_url AS source_site_url
    FROM articles a
    JOIN stories s ON s.id = a.story_id
    LEFT JOIN sources src ON src.id = a.first_source_id
    WHERE a.published_at >= ${f.start} AND a.published_at < ${f.end}
      AND s.merged_into IS NULL AND s.relevance = 'on_beat'
      ${f.topic ? sql`AND s.topics @> ARRAY[${f.topic}]::text[]` : sql``}
    ORDER BY s.id, a.published_at, a.id`.execute(db);
  const out: DigestStory[] = [];
  let cur: DigestStory | undefined;
  for (const r of rows.rows) {
    if (!cur || cur.id !== r.story_id) {
      cur = { id: r.story_id, headline: r.headline, topics: r.story_topics, articles: [] };
      out.push(cur);
    }
    const article: DigestArticle = {
      id: r.id,
      storyId: r.story_id,
      title: r.title,
      url: r.url,
      lang: r.lang,
      publishedAt: r.published_at,
      summaryText: r.summary_text,
      topics: r.topics,
      source: r.source_id === null ? null : { id: r.source_id, name: r.source_name, url: r.source_url, siteUrl: r.source_site_url },
    };
    cur.articles.push(article);
  }
  return out;
}

export interface NewNewsletter {
  topic: string;
  periodKind: 'daily' | 'weekly';
  periodStart: Date;
  periodEnd: Date;
  model: NewsletterModel;
  generatedAt: Date;
  delivery: 'none' | 'pending';
}

/** Stores an issue unless one exists for (topic, period kind, period start): returns the new id, or null. */
export async function insertNewsletter(db: Db, n: NewNewsletter): Promise<number | null> {
  const r = await db
    .insertInto('newsletters')
    .values({
      topic: n.topic,
      period_kind: n.periodKind,
      period_start: n.periodStart,
      period_end: n.periodEnd,
      title: n.model.title,
      event_count: n.model.figures.events,
      article_count: n.model.figures.articles,
      model: JSON.stringify(n.model),
      generated_at: n.generatedAt,
      delivery: n.delivery,
    })
    .onConflict((oc) => oc.columns(['topic', 'period_kind', 'period_start']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

export async function findNewsletterId(db: Db, topic: string, kind: 'daily' | 'weekly', periodStart: Date): Promise<number | null> {
  const r = await db
    .selectFrom('newsletters')
    .select('id')
    .where('topic', '=', topic)
    .where('period_kind', '=', kind)
    .where('period_start', '=', periodStart)
    .executeTakeFirst();
  return r?.id ?? null;
}

const summaryColumns = [
  'id',
  'topic',
  'period_kind',
  'period_start',
  'period_end',
  'title',
  'event_count',
  'article_count',
  'generated_at',
  'delivery',
  'delivered_at',
] as const;

type SummaryRow = {
  id: number;
  topic: string;
  period_kind: 'daily' | 'weekly';
  period_start: Date;
  period_end: Date;
  title: string;
  event_count: number;
  article_count: number;
  generated_at: Date;
  delivery: 'none' | 'pending' | 'sent' | 'failed';
  delivered_at: Date | null;
};

function toSummary(r: SummaryRow): NewsletterIssueSummary {
  return {
    id: r.id,
    topic: r.topic,
    periodKind: r.period_kind,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    title: r.title,
    eventCount: r.event_count,
    articleCount: r.article_count,
    generatedAt: r.generated_at,
    delivery: r.delivery,
    deliveredAt: r.delivered_at,
  };
}

/** jsonb comes back parsed from node-postgres and PGlite alike; a string would be a driver change. */
const parseModel = (v: unknown): NewsletterModel => (typeof v === 'string' ? JSON.parse(v) : v) as NewsletterModel;

export async function findNewsletter(db: Db, id: number): Promise<NewsletterIssue | null> {
  const r = await db.selectFrom('newsletters').select([...summaryColumns, 'model']).where('id', '=', id).executeTakeFirst();
  return r ? { ...toSummary(r), model: parseModel(r.model) } : null;
}

export interface NewsletterListFilter {
  topic?: string | undefined;
  kind?: 'daily' | 'weekly' | undefined;
}

/** Newest period first, keyset on (period_start, id). */
export async function listNewslettersPage(
  db: Db,
  f: NewsletterListFilter & { after?: Keyset | undefined; limit: number },
): Promise<Page<NewsletterIssueSummary>> {
  let q = db
    .selectFrom('newsletters')
    .select([...summaryColumns, sql<number>`(extract(epoch FROM period_start) * 1000000)::int8`.as('k_micros')])
    .orderBy('period_start', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1);
  if (f.topic) q = q.where('topic', '=', f.topic);
  if (f.kind) q = q.where('period_kind', '=', f.kind);
  if (f.after) {
    const at = sql<Date>`timestamptz 'epoch' + ${f.after.micros}::float8 * interval '1 microsecond'`;
    q = q.where(sql<boolean>`(period_start, id) < (${at}, ${f.after.id}::int8)`);
  }
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return { items: page.map(toSummary), next: rows.length > f.limit && last ? { micros: Number(last.k_micros), id: last.id } : null };
}

/** The newest issues of a topic with their models (the issues RSS feed). */
export async function listRecentNewsletters(db: Db, f: NewsletterListFilter & { limit: number }): Promise<NewsletterIssue[]> {
  let q = db
    .selectFrom('newsletters')
    .select([...summaryColumns, 'model'])
    .orderBy('period_start', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit);
  if (f.topic) q = q.where('topic', '=', f.topic);
  if (f.kind) q = q.where('period_kind', '=', f.kind);
  return (await q.execute()).map((r) => ({ ...toSummary(r), model: parseModel(r.model) }));
}

/**
 * Claims pending deliveries for `leaseSeconds`: several workers never send the same issue at once
 * (SKIP LOCKED), and a worker that dies mid-send loses its claim when the lease expires.
 */
export async function claimPendingDeliveries(db: Db, now: Date, leaseSeconds: number, limit: number): Promise<NewsletterIssue[]> {
  const until = new Date(now.getTime() + leaseSeconds * 1000);
  const r = await sql<SummaryRow & { model: unknown }>`
    UPDATE newsletters SET delivery_lease_until = ${until}
    WHERE id IN (
      SELECT id FROM newsletters
      WHERE delivery = 'pending' AND (delivery_lease_until IS NULL OR delivery_lease_until < ${now})
      ORDER BY id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, topic, period_kind, period_start, period_end, title, event_count, article_count,
              generated_at, delivery, delivered_at, model`.execute(db);
  return r.rows.sort((a, b) => a.id - b.id).map((x) => ({ ...toSummary(x), model: parseModel(x.model) }));
}

export async function markNewsletterDelivered(db: Db, id: number, now: Date): Promise<void> {
  await db
    .updateTable('newsletters')
    .set((eb) => ({ delivery: 'sent', delivered_at: now, delivery_lease_until: null, last_delivery_error: null, delivery_attempts: eb('delivery_attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** A failed attempt: back to pending (retried on a later tick) until maxAttempts, then 'failed'. */
export async function markNewsletterDeliveryFailed(db: Db, id: number, error: string, maxAttempts: number): Promise<void> {
  await sql`
    UPDATE newsletters
    SET delivery_attempts = delivery_attempts + 1,
        delivery = CASE WHEN delivery_attempts + 1 >= ${maxAttempts} THEN 'failed' ELSE 'pending' END,
        delivery_lease_until = NULL,
        last_delivery_error = ${error.slice(0, 1000)}
    WHERE id = ${id}`.execute(db);
}
