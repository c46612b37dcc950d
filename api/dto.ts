import type { z } from '@hono/zod-openapi';
import type { ArticleDetail, ArticleRef, RelatedStory, StorySummary, StoryWithArticles, StoryDetail } from '../src/model/read-model.js';
import type { Source } from '../src/model/types.js';
import { assembleStoryPress, type StoryPress } from '../src/press/types.js';
import { pressJson } from '../src/render/json-feed.js';
import type { TopicSummary } from '../src/services/topics.js';
import type {
  ArticleRefSchema,
  ArticleSchema,
  PressSchema,
  RelatedStorySchema,
  SourceSchema,
  StoryDetailSchema,
  StorySchema,
  StorySummarySchema,
  TopicSchema,
} from './schemas.js';

// Domain → JSON (camelCase, ISO 8601 instants, absolute links).

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export function articleRefDto(a: ArticleRef): z.infer<typeof ArticleRefSchema> {
  return { id: a.id, title: a.title, url: a.url, source: a.source, lang: a.lang, publishedAt: iso(a.publishedAt), duplicateOf: a.duplicateOf };
}

function storyFields(base: string, s: StorySummary, firstUrl: string | null) {
  return {
    id: s.id,
    headline: s.headline,
    url: firstUrl,
    firstReport: { articleId: s.firstArticleId, source: s.firstSource, publishedAt: iso(s.firstPublishedAt) },
    lastPublishedAt: iso(s.lastPublishedAt),
    firstSeenAt: iso(s.firstSeenAt),
    lastUpdatedAt: iso(s.lastUpdatedAt),
    eventAt: iso(s.eventAt),
    articleCount: s.articleCount,
    outletCount: s.outletCount,
    languageCount: Object.keys(s.langCounts).length,
    languages: s.langCounts,
    topics: s.topics,
    relevance: s.relevance,
    links: { self: `${base}/v1/stories/${s.id}` },
  };
}

function firstUrl(s: StoryWithArticles): string | null {
  return (s.articles.find((a) => a.id === s.firstArticleId) ?? s.articles[0])?.url ?? null;
}

const NO_PRESS: StoryPress = assembleStoryPress([]);

/** The story's two presses; the same shape as the JSON Feed's `_frontera.press`. */
export function pressDto(p: StoryPress | undefined): z.infer<typeof PressSchema> {
  return pressJson(p ?? NO_PRESS);
}

export function storyDto(base: string, s: StoryWithArticles): z.infer<typeof StorySchema> {
  return { ...storyFields(base, s, firstUrl(s)), articles: s.articles.map(articleRefDto), press: pressDto(s.press) };
}

export function storySummaryDto(base: string, s: StorySummary): z.infer<typeof StorySummarySchema> {
  return storyFields(base, s, null);
}

function relatedDto(base: string, s: RelatedStory): z.infer<typeof RelatedStorySchema> {
  return { ...storyFields(base, s, null), reason: s.reason, shared: s.shared };
}

export function storyDetailDto(base: string, s: StoryDetail): z.infer<typeof StoryDetailSchema> {
  return {
    ...storyDto(base, s),
    mergedFrom: s.mergedFrom,
    related: s.related.map((r) => relatedDto(base, r)),
    roundups: s.roundups.map(articleRefDto),
  };
}

export function articleDto(base: string, a: ArticleDetail): z.infer<typeof ArticleSchema> {
  return {
    id: a.id,
    url: a.url,
    canonicalUrl: a.canonicalUrl,
    title: a.title,
    summary: a.summaryText,
    summaryHtml: a.summaryHtml,
    source: a.source,
    sources: a.sources.map((s) => ({ id: s.id, name: s.name, firstSeenAt: iso(s.firstSeenAt) })),
    language: a.lang,
    publishedAt: iso(a.publishedAt),
    firstSeenAt: iso(a.firstSeenAt),
    relevance: a.relevance,
    score: a.score,
    topics: a.topics,
    entities: a.entities,
    evidence: a.evidence,
    storyId: a.storyId,
    duplicateOf: a.duplicateOf,
    links: { self: `${base}/v1/articles/${a.id}`, story: a.storyId === null ? null : `${base}/v1/stories/${a.storyId}` },
  };
}

export function topicDto(base: string, t: TopicSummary): z.infer<typeof TopicSchema> {
  return {
    slug: t.slug,
    name: t.name,
    description: t.description,
    storyCount: t.storyCount,
    lastUpdatedAt: isoOrNull(t.lastUpdatedAt),
    links: {
      stories: `${base}/v1/topics/${t.slug}/stories`,
      rss: `${base}/feeds/${t.slug}.rss`,
      atom: `${base}/feeds/${t.slug}.atom`,
      json: `${base}/feeds/${t.slug}.json`,
    },
  };
}

export function sourceDto(s: Source): z.infer<typeof SourceSchema> {
  return {
    id: s.id,
    url: s.url,
    name: s.name,
    lang: s.lang,
    siteUrl: s.siteUrl,
    status: s.status,
    lastFetchedAt: isoOrNull(s.lastFetchedAt),
    lastSuccessAt: isoOrNull(s.lastSuccessAt),
    lastStatus: s.lastStatus,
    lastErrorCode: s.lastErrorCode,
    lastErrorMessage: s.lastErrorMessage,
    errorCount: s.errorCount,
    fetchCount: s.fetchCount,
    notModifiedCount: s.notModifiedCount,
    notModifiedShare: s.fetchCount > 0 ? Math.round((s.notModifiedCount / s.fetchCount) * 1000) / 1000 : null,
    itemsStored: s.itemsStored,
    itemFilter: s.itemFilter,
    itemsFilteredLast: s.itemsFilteredLast,
    outlet: s.outlet ?? s.outletDomain,
    outletDomain: s.outletDomain,
    nextCheckAt: iso(s.nextCheckAt),
    createdAt: iso(s.createdAt),
    country: s.country,
    countryInferred: s.countryInferred,
    standIn: s.standIn,
    note: s.note,
    lastVerified: s.lastVerified ? { ...s.lastVerified, at: iso(s.lastVerified.at) } : null,
    staleSince: isoOrNull(s.staleSince),
  };
}

/** Page metadata: the next cursor and a ready-to-follow URL with the same query. */
export function pageInfo(requestUrl: string, base: string, limit: number, nextCursor: string | null) {
  let next: string | null = null;
  if (nextCursor) {
    const u = new URL(requestUrl);
    u.searchParams.set('cursor', nextCursor);
    next = `${base}${u.pathname}?${u.searchParams.toString()}`;
  }
  return { limit, nextCursor, next };
}
