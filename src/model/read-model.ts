// Read-side domain types: what the API and the feed renderers are built from.
// Plain data; no imports from db/, api/ or jobs/.

import type { StoryPress } from '../press/types.js';
import type { EntityMention, Evidence, Relevance, SourceStatus } from './types.js';

export interface SourceRef {
  id: number;
  name: string | null;
}

/** One outlet's article as listed under a story ("related coverage"). */
export interface ArticleRef {
  id: number;
  title: string;
  url: string | null;
  source: SourceRef | null;
  lang: string | null;
  publishedAt: Date;
  summaryText: string;
  duplicateOf: number | null;
  /** The first source's country of publication (its press side), where the query read it. */
  country?: string | null;
}

export interface StorySummary {
  id: number;
  headline: string;
  firstArticleId: number | null;
  firstSource: SourceRef | null;
  firstPublishedAt: Date;
  lastPublishedAt: Date;
  firstSeenAt: Date;
  lastUpdatedAt: Date;
  /** When the event was first reported: min(first report's date, first seen), the list order. */
  eventAt: Date;
  articleCount: number;
  outletCount: number;
  langCounts: Record<string, number>;
  topics: string[];
  relevance: Relevance | null;
  /** The two presses' coverage (story_press), where the query read it (story lists and the story itself). */
  press?: StoryPress;
}

export interface StoryWithArticles extends StorySummary {
  /** Oldest first; capped in list views (articleCount is the full count). */
  articles: ArticleRef[];
}

export interface RelatedStory extends StorySummary {
  /**
   * 'storyline': a stored link (story_links, both directions) found by placement: coverage within three weeks
   * that scores as related without being the same event; `shared` lists the entities and names in common.
   */
  reason: 'storyline';
  shared: string[];
}

export interface StoryDetail extends StoryWithArticles {
  /** Ids of stories merged into this one (their URLs redirect here). */
  mergedFrom: number[];
  related: RelatedStory[];
  /** Roundups (articles naming several events) attached to this story as related coverage; not members. */
  roundups: ArticleRef[];
}

/** What list views add to a story beyond its members: its storyline links and the roundups naming it. */
export interface StoryLinksAndRoundups {
  related: Map<number, RelatedStory[]>;
  roundups: Map<number, ArticleRef[]>;
}

export interface ArticleSourceRef extends SourceRef {
  firstSeenAt: Date;
}

export interface ArticleDetail {
  id: number;
  url: string | null;
  canonicalUrl: string | null;
  title: string;
  summaryHtml: string;
  summaryText: string;
  /** The source that first delivered the article. */
  source: SourceRef | null;
  /** Every source that carried it, first seen first. */
  sources: ArticleSourceRef[];
  lang: string | null;
  publishedAt: Date;
  firstSeenAt: Date;
  relevance: Relevance | null;
  score: number | null;
  topics: string[];
  entities: EntityMention[];
  evidence: Evidence[];
  storyId: number | null;
  duplicateOf: number | null;
}

export interface SearchHit {
  article: ArticleDetail;
  /** The ordering score (log scale): text relevance with a recency boost; higher first. */
  rank: number;
  /** Text relevance alone (ts_rank_cd). */
  textRank: number;
  /** HTML-escaped text in which only the <mark> tags are markup. */
  titleHtml: string;
  snippetHtml: string;
}

export interface TopicStat {
  slug: string;
  storyCount: number;
  lastUpdatedAt: Date | null;
}

export interface SourceHealthTotals {
  byStatus: Record<SourceStatus, number>;
  fetches: number;
  notModified: number;
  errors: number;
  failingSources: number;
  itemsStored: number;
  articles: number;
  stories: number;
}

/** Keyset position: the sort timestamp in microseconds since the epoch (exact), and the id. */
export interface Keyset {
  micros: number;
  id: number;
}

export interface Page<T> {
  items: T[];
  next: Keyset | null;
}

/** One piece of classifier evidence folded over a story's articles ("matched because …"). */
export interface StoryEvidence {
  rule: string;
  matched: string;
  field: 'title' | 'body';
  /** The strongest weight this rule had in any of the story's articles (negative for traps). */
  weight: number;
  /** In how many of the story's articles it fired. */
  articles: number;
}
