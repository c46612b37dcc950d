import type { Db } from '../../db/client.js';
import { ALL_TOPICS } from '../../db/repositories/topics.repository.js';
import type { ArticleDetail, ArticleRef, StoryLinksAndRoundups, StoryWithArticles } from '../model/read-model.js';
import type { FeedFormat, FeedRelatedArticle, TopicFeed, TopicFeedItem } from '../render/topic-feed-model.js';
import { listArticles } from './articles.js';
import type { BeatTopics } from '../beat/beat.js';
import { listLinksAndRoundups, listTopicStories } from './stories.js';
import { findTopic } from './topics.js';

export type FeedItemsMode = 'stories' | 'articles';

export interface TopicFeedQuery {
  slug: string;
  items: FeedItemsMode;
  limit: number;
  lang?: string | undefined;
  sourceId?: number | undefined;
  /** Absolute base URL of this service (config.publicBaseUrl), for self links. */
  baseUrl: string;
  /** Used only when the feed has no item (its <updated> must still be a date). */
  now: Date;
  /** The request's query string ('' or '?…'), kept in the self links. */
  selfQuery?: string;
  /** Stories only: those with coverage from this press. */
  press?: 'us' | 'mx' | undefined;
}

/** Blind-spot feeds (`/feeds/blindspot-us.*`): what that press did not cover; see src/services/press.ts. */
export const BLINDSPOT_FEEDS: Record<string, 'us' | 'mx'> = { 'blindspot-us': 'us', 'blindspot-mx': 'mx' };
/** A blind-spot feed's title and description, naming the presses as the rules do (`beat.press`). */
function blindspotInfo(topics: BeatTopics, side: 'us' | 'mx'): { name: string; description: string } {
  const { press } = topics.beat;
  const other = press[side === 'us' ? 'mx' : 'us'];
  return { name: `Blind spots of the ${press[side].name}`, description: `Stories the ${other.name} covered (at least two outlets) and no outlet published in ${press[side].country} did.` };
}

const GENERATOR = 'Frontera';

/**
 * GUIDs: `urn:frontera:story:<id>` — a story keeps its id for life as it gains coverage, so readers
 * never see it twice; its `updated` date moves instead. When stories merge, the survivor keeps its
 * id (and GUID); the merged-away story's item simply leaves the feed (readers keep what they have).
 * Articles: `urn:frontera:article:<id>`.
 */
export function storyGuid(id: number): string {
  return `urn:frontera:story:${id}`;
}
export function articleGuid(id: number): string {
  return `urn:frontera:article:${id}`;
}

function feedArticle(a: ArticleRef): FeedRelatedArticle {
  return { articleId: a.id, title: a.title, url: a.url, outlet: a.source?.name ?? null, lang: a.lang, publishedAt: a.publishedAt };
}

function storyItem(s: StoryWithArticles, links: StoryLinksAndRoundups, baseUrl: string): TopicFeedItem {
  const first = s.articles.find((a) => a.id === s.firstArticleId) ?? s.articles[0];
  const outlets: string[] = [];
  const firstOutlet = s.firstSource?.name ?? first?.source?.name;
  if (firstOutlet) outlets.push(firstOutlet);
  for (const a of s.articles) if (a.source?.name && !outlets.includes(a.source.name)) outlets.push(a.source.name);
  const langs = Object.keys(s.langCounts);
  return {
    id: storyGuid(s.id),
    kind: 'story',
    storyId: s.id,
    articleId: first?.id ?? null,
    title: s.headline,
    url: first?.url ?? null,
    summary: first?.summaryText ?? '',
    published: s.eventAt,
    updated: s.lastUpdatedAt,
    lang: langs.length === 1 ? langs[0]! : (first?.lang ?? null),
    topics: s.topics,
    outlets,
    related: s.articles.map(feedArticle),
    articleCount: s.articleCount,
    roundups: (links.roundups.get(s.id) ?? []).map(feedArticle),
    relatedStories: (links.related.get(s.id) ?? []).map((r) => ({
      storyId: r.id,
      headline: r.headline,
      url: `${baseUrl}/stories/${r.id}`,
      shared: r.shared,
    })),
    ...(s.press ? { press: s.press } : {}),
  };
}

function articleItem(a: ArticleDetail): TopicFeedItem {
  return {
    id: articleGuid(a.id),
    kind: 'article',
    storyId: a.storyId,
    articleId: a.id,
    title: a.title,
    url: a.url,
    summary: a.summaryText,
    published: a.publishedAt,
    updated: a.publishedAt,
    lang: a.lang,
    topics: a.topics,
    outlets: a.sources.map((s) => s.name).filter((n): n is string => !!n),
    related: [],
    articleCount: 1,
    roundups: [],
    relatedStories: [],
  };
}

/** The neutral feed model for a topic (`all` = the whole beat): newest event first (articles: newest published). */
export async function buildTopicFeed(db: Db, topics: BeatTopics, q: TopicFeedQuery): Promise<TopicFeed> {
  const blindspot = BLINDSPOT_FEEDS[q.slug];
  const topic = blindspot ? { slug: q.slug, ...blindspotInfo(topics, blindspot) } : findTopic(topics, q.slug);
  let items: TopicFeedItem[];
  if (blindspot) {
    // Always one item per story: a blind spot is a story-level fact.
    const page = await listTopicStories(db, topics, ALL_TOPICS, { lang: q.lang, sourceId: q.sourceId, limit: q.limit, blindspot });
    const links = await listLinksAndRoundups(db, page.items.map((s) => s.id));
    items = page.items.map((s) => storyItem(s, links, q.baseUrl));
  } else if (q.items === 'articles') {
    const page = await listArticles(db, {
      topic: topic.slug === ALL_TOPICS ? undefined : topic.slug,
      relevance: 'on_beat',
      lang: q.lang,
      sourceId: q.sourceId,
      limit: q.limit,
    });
    items = page.items.map(articleItem);
  } else {
    const page = await listTopicStories(db, topics, topic.slug, { lang: q.lang, sourceId: q.sourceId, limit: q.limit, press: q.press });
    // The page's storyline links and roundups: two queries for the page, whatever its size.
    const links = await listLinksAndRoundups(db, page.items.map((s) => s.id));
    items = page.items.map((s) => storyItem(s, links, q.baseUrl));
  }
  const suffix = q.selfQuery ?? (q.items === 'articles' && !blindspot ? '?items=articles' : '');
  const link = (f: FeedFormat) => `${q.baseUrl}/feeds/${topic.slug}.${f}${suffix}`;
  const updated = items.reduce<Date | null>((m, it) => (m && m >= it.updated ? m : it.updated), null) ?? q.now;
  return {
    id: `urn:frontera:feed:${topic.slug}${q.items === 'articles' && !blindspot ? ':articles' : ''}${q.press && !blindspot ? `:press-${q.press}` : ''}`,
    topic: topic.slug,
    title: `Frontera — ${topic.name}`,
    description: topic.description,
    links: { rss: link('rss'), atom: link('atom'), json: link('json') },
    homePageUrl: blindspot ? `${q.baseUrl}/v1/blindspots?side=${blindspot}` : `${q.baseUrl}/v1/topics/${topic.slug}/stories`,
    updated,
    generator: GENERATOR,
    items,
  };
}
