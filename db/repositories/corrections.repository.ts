import { sql } from 'kysely';
import type { Relevance } from '../../src/model/types.js';
import type { Db } from '../client.js';

// An editor's corrections of the beat classifier: one per article. Every statement that writes an
// article's classification lets the correction win (articles.repository.ts, correctedValue).

export interface Correction {
  articleId: number;
  relevance: Relevance;
  /** Non-empty exactly when on the beat (the label format; a CHECK constraint holds it). */
  topics: string[];
  note: string | null;
  correctedBy: string | null;
  correctedAt: Date;
}

/** A correction with what an export and the training need of its article. */
export interface CorrectedArticle extends Correction {
  title: string;
  summaryText: string;
  categories: string[];
  lang: string | null;
  url: string | null;
  canonicalUrl: string | null;
  dedupKey: string;
  storyId: number | null;
}

interface CorrectionRow {
  article_id: number;
  relevance: Relevance;
  topics: string[];
  note: string | null;
  corrected_by: string | null;
  corrected_at: Date;
}

function toCorrection(r: CorrectionRow): Correction {
  return { articleId: r.article_id, relevance: r.relevance, topics: r.topics, note: r.note, correctedBy: r.corrected_by, correctedAt: r.corrected_at };
}

/** Stores a correction; re-marking an article replaces its correction. */
export async function insertCorrection(db: Db, c: Correction): Promise<void> {
  await sql`
    INSERT INTO beat_corrections (article_id, relevance, topics, note, corrected_by, corrected_at)
    VALUES (${c.articleId}, ${c.relevance}, ${c.topics}::text[], ${c.note}, ${c.correctedBy}, ${c.correctedAt})
    ON CONFLICT (article_id) DO UPDATE SET relevance = EXCLUDED.relevance, topics = EXCLUDED.topics, note = EXCLUDED.note,
      corrected_by = EXCLUDED.corrected_by, corrected_at = EXCLUDED.corrected_at`.execute(db);
}

/** Removes an article's correction; false when it had none. */
export async function deleteCorrection(db: Db, articleId: number): Promise<boolean> {
  const r = await db.deleteFrom('beat_corrections').where('article_id', '=', articleId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function findCorrection(db: Db, articleId: number): Promise<Correction | null> {
  const r = (await sql<CorrectionRow>`SELECT * FROM beat_corrections WHERE article_id = ${articleId}`.execute(db)).rows[0];
  return r ? toCorrection(r) : null;
}

type CorrectedArticleRow = CorrectionRow & {
  title: string;
  summary_text: string;
  categories: string[];
  lang: string | null;
  url: string | null;
  canonical_url: string | null;
  dedup_key: string;
  story_id: number | null;
};

const correctedArticleColumns = sql`bc.*, a.title, a.summary_text, a.categories, a.lang, a.url, a.canonical_url, a.dedup_key, a.story_id`;

/** Every correction with its article, in article id order (stable exports, deterministic training). */
export async function listCorrectedArticles(db: Db): Promise<CorrectedArticle[]> {
  const rows = await sql<CorrectedArticleRow>`
    SELECT ${correctedArticleColumns} FROM beat_corrections bc JOIN articles a ON a.id = bc.article_id
    ORDER BY bc.article_id`.execute(db);
  return rows.rows.map(toCorrectedArticle);
}

export async function findCorrectedArticle(db: Db, articleId: number): Promise<CorrectedArticle | null> {
  const r = (
    await sql<CorrectedArticleRow>`
      SELECT ${correctedArticleColumns} FROM beat_corrections bc JOIN articles a ON a.id = bc.article_id
      WHERE bc.article_id = ${articleId}`.execute(db)
  ).rows[0];
  return r ? toCorrectedArticle(r) : null;
}

function toCorrectedArticle(r: CorrectedArticleRow): CorrectedArticle {
  return {
    ...toCorrection(r),
    title: r.title,
    summaryText: r.summary_text,
    categories: r.categories,
    lang: r.lang,
    url: r.url,
    canonicalUrl: r.canonical_url,
    dedupKey: r.dedup_key,
    storyId: r.story_id,
  };
}
