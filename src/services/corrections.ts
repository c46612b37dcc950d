import type { Db } from '../../db/client.js';
import { findArticleToCorrect, updateClassifications } from '../../db/repositories/articles.repository.js';
import { lockClustering } from '../../db/repositories/clustering.repository.js';
import {
  deleteCorrection,
  findCorrectedArticle,
  insertCorrection,
  listCorrectedArticles,
  type CorrectedArticle,
  type Correction,
} from '../../db/repositories/corrections.repository.js';
import { sha1, titleKey, type Label } from '../beat/labels-corpus.js';
import { AppError } from '../errors.js';
import type { Relevance } from '../model/types.js';
import { detectLanguage } from '../reader/language.js';
import type { Beat } from '../beat/beat.js';
import { classifierInput } from '../beat/classify-item.js';
import { afterReclassifyBatch } from './recluster.js';

// An editor's correction loop: mark an article on the beat, adjacent or off the beat. The correction is
// stored, applied at once to the article and its story (in one transaction under the clustering lock, as a
// reclassification batch is), wins over every later classification (articles.repository.ts), is exported in
// the labels' JSONL format and is learned from by the retrain job (src/services/retrain.ts).

export type { CorrectedArticle, Correction } from '../../db/repositories/corrections.repository.js';

const SHORTHANDS: Record<string, Relevance> = { on: 'on_beat', on_beat: 'on_beat', adjacent: 'adjacent', off: 'off_beat', off_beat: 'off_beat' };

/** `on` / `on_beat`, `adjacent`, `off` / `off_beat` → the relevance; null for anything else. */
export function parseRelevance(s: string): Relevance | null {
  return Object.hasOwn(SHORTHANDS, s) ? SHORTHANDS[s]! : null;
}

export interface MarkOptions {
  /** Topic slugs of the beat; default for on-beat: the classifier's topics, else the article's story's. */
  topics?: readonly string[] | undefined;
  note?: string | null | undefined;
  /** Who corrected (an editor's name, `api`, `cli`). */
  by?: string | null | undefined;
}

const invalid = (parameter: string, message: string) => new AppError('invalid_parameter', `Invalid parameter "${parameter}": ${message}`, { details: { parameter } });

function checkTopics(beat: Beat, relevance: Relevance, topics: readonly string[] | undefined): string[] | undefined {
  if (topics === undefined) return undefined;
  const known = new Set(beat.topics.map((t) => t.slug));
  const unknown = topics.filter((t) => !known.has(t));
  if (unknown.length) throw invalid('topics', `unknown topic ${unknown.map((t) => JSON.stringify(t)).join(', ')} (topics: ${[...known].join(', ')})`);
  const unique = [...new Set(topics)];
  // The label format: topics exactly when on the beat.
  if (relevance !== 'on_beat' && unique.length) throw invalid('topics', `only an on-beat article has topics (this one is marked ${relevance})`);
  return unique;
}

/**
 * Stores the editor's correction of one article (re-marking replaces it) and applies it at once: the
 * article is classified again (the correction overrides relevance and topics and adds an `editor:correction`
 * evidence entry) and its story re-derives its topics and relevance — or, newly clusterable, it gets a story.
 */
export async function markArticle(db: Db, beat: Beat, articleId: number, relevance: Relevance, opts: MarkOptions, now: Date): Promise<Correction> {
  const given = checkTopics(beat, relevance, opts.topics);
  return db.transaction().execute(async (trx) => {
    // The clustering lock first, before any write (as a reclassification batch and the clustering drain take it).
    await lockClustering(trx);
    const a = await findArticleToCorrect(trx, articleId);
    if (!a) throw new AppError('not_found', `No article ${articleId}`);
    const c = beat.classify(classifierInput(a));
    let topics = given ?? [];
    if (relevance === 'on_beat' && topics.length === 0) topics = c.topics.length ? [...c.topics] : a.storyTopics;
    if (relevance === 'on_beat' && topics.length === 0) {
      throw invalid('topics', 'an on-beat article needs a topic: none given, and neither the classifier nor its story has one');
    }
    const correction: Correction = { articleId, relevance, topics, note: opts.note?.trim() || null, correctedBy: opts.by ?? null, correctedAt: now };
    await insertCorrection(trx, correction);
    await updateClassifications(trx, [{ id: articleId, c }]);
    await afterReclassifyBatch(trx, [articleId], now, beat.clusterOptions);
    return correction;
  });
}

/** Removes an article's correction: the classifier decides again, at once. False when it had none. */
export async function unmarkArticle(db: Db, beat: Beat, articleId: number, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await lockClustering(trx);
    const a = await findArticleToCorrect(trx, articleId);
    if (!a) throw new AppError('not_found', `No article ${articleId}`);
    if (!(await deleteCorrection(trx, articleId))) return false;
    await updateClassifications(trx, [{ id: articleId, c: beat.classify(classifierInput(a)) }]);
    await afterReclassifyBatch(trx, [articleId], now, beat.clusterOptions);
    return true;
  });
}

export function listCorrections(db: Db): Promise<CorrectedArticle[]> {
  return listCorrectedArticles(db);
}

export function findCorrection(db: Db, articleId: number): Promise<CorrectedArticle | null> {
  return findCorrectedArticle(db, articleId);
}

/**
 * The stable key of a corrected article in exports and training: `article:<canonical URL>`, or
 * `article:<dedup key>` for an article without a URL (`g:<source id>:<guid>` or `f:<content fingerprint>`).
 * Article ids are not used: they differ from one database to another.
 */
export function correctionKey(a: Pick<CorrectedArticle, 'canonicalUrl' | 'dedupKey'>): string {
  return `article:${a.canonicalUrl ?? a.dedupKey}`;
}

/** The labels' title_sha1 of an article title (entities decoded, whitespace collapsed, trimmed). */
export function titleSha1(title: string): string {
  return sha1(titleKey(title));
}

/** A correction as a label line of ../shared/labels (same fields, same order). */
export function correctionLabel(a: CorrectedArticle): Label {
  const lang = a.lang === 'en' || a.lang === 'es' ? a.lang : (detectLanguage(`${a.title}\n${a.summaryText}`) ?? 'en');
  return {
    key: correctionKey(a),
    relevance: a.relevance,
    topics: a.relevance === 'on_beat' ? a.topics : [],
    lang,
    event: null,
    confidence: 'high',
    title_sha1: titleSha1(a.title),
    reason: a.note ?? 'editor correction',
  };
}

/** Every correction as JSONL in the labels' format, one line per article, article id order. */
export async function exportCorrectionsJsonl(db: Db): Promise<string> {
  return (await listCorrectedArticles(db)).map((a) => `${JSON.stringify(correctionLabel(a))}\n`).join('');
}
