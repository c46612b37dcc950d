import type { Db } from '../../db/client.js';
import {
  findNewsletter,
  findNewsletterId,
  insertNewsletter,
  listNewslettersPage,
  listPeriodStories,
  listRecentNewsletters,
  type NewsletterListFilter,
} from '../../db/repositories/newsletters.repository.js';
import { listLinkedStories } from '../../db/repositories/stories.repository.js';
import { listStoryPress } from '../../db/repositories/story-press.repository.js';
import { ALL_TOPICS } from '../../db/repositories/topics.repository.js';
import { AppError } from '../errors.js';
import type { Keyset, Page } from '../model/read-model.js';
import { buildNewsletterModelFitting, type NewsletterLimits } from '../render/newsletter-build.js';
import { renderNewsletterHtml } from '../render/newsletter-html.js';
import { renderNewsletterMarkdown } from '../render/newsletter-markdown.js';
import type { NewsletterIssue, NewsletterIssueSummary, NewsletterModel } from '../render/newsletter-model.js';
import type { Period, StoredPeriodKind } from '../render/newsletter-period.js';
import { renderNewsletterText } from '../render/newsletter-text.js';
import type { BeatTopics } from '../beat/beat.js';
import { BLINDSPOT_MIN_OUTLETS } from './stories.js';
import { findTopic } from './topics.js';

export type NewsletterFormat = 'html' | 'text' | 'md';

export const NEWSLETTER_MEDIA_TYPES: Record<NewsletterFormat, string> = {
  html: 'text/html; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

const RENDER: Record<NewsletterFormat, (m: NewsletterModel) => string> = {
  html: renderNewsletterHtml,
  text: renderNewsletterText,
  md: renderNewsletterMarkdown,
};

export function renderNewsletter(model: NewsletterModel, format: NewsletterFormat): string {
  return RENDER[format](model);
}

export interface BuildNewsletterQuery {
  slug: string;
  period: Period;
  /** Absolute base URL of the service (config.publicBaseUrl). */
  baseUrl: string;
  now: Date;
  limits?: Partial<NewsletterLimits>;
}

const RELATED_PER_EVENT = 3;

/** The newsletter model of a topic (`all` = the whole beat) over a period: two queries, then pure code. */
export async function buildNewsletter(db: Db, topics: BeatTopics, q: BuildNewsletterQuery): Promise<NewsletterModel> {
  const topic = findTopic(topics, q.slug);
  const wholeBeat = topic.slug === ALL_TOPICS;
  const period = await listPeriodStories(db, { topic: wholeBeat ? null : topic.slug, start: q.period.start, end: q.period.end });
  // Storyline links among the period's events: one query for the issue, whatever its size.
  const inPeriod = new Set(period.map((s) => s.id));
  // …and the two presses of every event: one more query for the issue.
  const [links, press] = await Promise.all([listLinkedStories(db, [...inPeriod], RELATED_PER_EVENT), listStoryPress(db, [...inPeriod])]);
  const stories = period.map((s) => {
    const related = (links.get(s.id) ?? []).filter((r) => inPeriod.has(r.id)).map((r) => ({ id: r.id, headline: r.headline }));
    const p = press.get(s.id);
    return { ...s, ...(related.length ? { related } : {}), ...(p ? { press: p } : {}) };
  });
  return buildNewsletterModelFitting({
    topic,
    wholeBeat,
    knownTopics: topics,
    period: q.period,
    stories,
    generatedAt: q.now,
    baseUrl: q.baseUrl,
    blindSpotMinOutlets: BLINDSPOT_MIN_OUTLETS,
    beat: { name: topics.beat.name, kicker: topics.beat.newsletter.kicker, press: { us: topics.beat.press.us.name, mx: topics.beat.press.mx.name } },
    pressNames: topics.beat.press,
    ...(q.limits ? { limits: q.limits } : {}),
  });
}

export type StoreOutcome = { outcome: 'created'; id: number } | { outcome: 'exists'; id: number } | { outcome: 'empty' };

/**
 * Stores the issue of (topic, kind, period) once. An existing issue is left alone (checked first to
 * skip the work; the unique key settles a race between two workers: the loser's insert is a no-op).
 * A period without events stores nothing, so no empty issue is ever sent.
 */
export async function storeNewsletterIssue(
  db: Db,
  topics: BeatTopics,
  q: { slug: string; period: Period & { kind: StoredPeriodKind }; baseUrl: string; now: Date; deliver: boolean },
): Promise<StoreOutcome> {
  const topic = findTopic(topics, q.slug);
  const existing = await findNewsletterId(db, topic.slug, q.period.kind, q.period.start);
  if (existing !== null) return { outcome: 'exists', id: existing };
  const model = await buildNewsletter(db, topics, q);
  if (model.figures.events === 0) return { outcome: 'empty' };
  const id = await insertNewsletter(db, {
    topic: topic.slug,
    periodKind: q.period.kind,
    periodStart: q.period.start,
    periodEnd: q.period.end,
    model,
    generatedAt: q.now,
    delivery: q.deliver ? 'pending' : 'none',
  });
  if (id !== null) return { outcome: 'created', id };
  const winner = await findNewsletterId(db, topic.slug, q.period.kind, q.period.start);
  return winner === null ? { outcome: 'empty' } : { outcome: 'exists', id: winner };
}

export async function listNewsletterIssues(
  db: Db,
  topics: BeatTopics,
  q: NewsletterListFilter & { after?: Keyset | undefined; limit: number },
): Promise<Page<NewsletterIssueSummary>> {
  if (q.topic) findTopic(topics, q.topic);
  return listNewslettersPage(db, q);
}

export async function getNewsletterIssue(db: Db, id: number): Promise<NewsletterIssue> {
  const issue = await findNewsletter(db, id);
  if (!issue) throw new AppError('not_found', `No newsletter ${id}`);
  return issue;
}

export async function listRecentNewsletterIssues(
  db: Db,
  topics: BeatTopics,
  q: NewsletterListFilter & { topic: string; limit: number },
): Promise<NewsletterIssue[]> {
  findTopic(topics, q.topic);
  return listRecentNewsletters(db, q);
}
