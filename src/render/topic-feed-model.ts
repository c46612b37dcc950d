// The one neutral output model every feed format is rendered from (architecture rule 7).
// Built by src/services/topic-feed.ts; rendered by the pure functions in rss.ts, atom.ts, json-feed.ts.
import type { StoryPress } from '../press/types.js';

export type FeedFormat = 'rss' | 'atom' | 'json';

export interface FeedRelatedArticle {
  articleId: number;
  title: string;
  url: string | null;
  outlet: string | null;
  lang: string | null;
  publishedAt: Date;
}

/** A story of the same storyline (story_links), linked to its page on this service. */
export interface FeedRelatedStory {
  storyId: number;
  headline: string;
  /** Absolute URL of the story page. */
  url: string;
  /** The entity ids the two stories share. */
  shared: string[];
}

export interface TopicFeedItem {
  /** Stable GUID: urn:frontera:story:<id> or urn:frontera:article:<id>; never changes with new coverage. */
  id: string;
  kind: 'story' | 'article';
  storyId: number | null;
  articleId: number | null;
  title: string;
  /** The first report's link (story) or the article's own link. */
  url: string | null;
  /** Plain text. */
  summary: string;
  published: Date;
  /** Changes when the story gains coverage. */
  updated: Date;
  lang: string | null;
  topics: string[];
  /** Outlet names, first reporter first. */
  outlets: string[];
  /** Every outlet's article, oldest first (stories); empty in the one-item-per-article mode. */
  related: FeedRelatedArticle[];
  /** Total member articles of the story (related may be capped). */
  articleCount: number;
  /** Roundups that mention the story (related coverage naming several events; not members). */
  roundups: FeedRelatedArticle[];
  /** Stories of the same storyline, strongest link first; empty in the one-item-per-article mode. */
  relatedStories: FeedRelatedStory[];
  /** The two presses' coverage of the story; absent in the one-item-per-article mode. */
  press?: StoryPress;
}

export interface TopicFeed {
  /** Stable feed id, e.g. urn:frontera:feed:border-security. */
  id: string;
  topic: string;
  title: string;
  description: string;
  /** Where this feed is served in each format (self links and alternates). */
  links: Record<FeedFormat, string>;
  /** JSON API listing of the same items (the feeds' "home page"). */
  homePageUrl: string;
  updated: Date;
  generator: string;
  items: TopicFeedItem[];
}
