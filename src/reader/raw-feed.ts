// What a parser found in a feed, before normalization: what parse-feed.ts and json-feed.ts produce and
// normalize-item.ts reads. Its own module, so that none of the three imports another for these types.
import type { FeedMeta } from '../model/types.js';

export type TextKind = 'text' | 'html';

export interface RawEnclosure {
  url: string;
  type: string | null;
  length: number | null;
}

/** One item as found in the feed: strings unnormalized, URLs possibly relative to `baseUrl`. */
export interface RawItem {
  format: 'rss' | 'atom' | 'json';
  guid: string | null;
  title: string | null;
  titleKind: TextKind;
  link: string | null;
  /** FeedBurner's feedburner:origLink (the publisher URL behind a feedproxy redirect). */
  origLink: string | null;
  /** Effective xml:base of the item (absolute), else null: resolve relative URLs against the feed URL. */
  baseUrl: string | null;
  published: string | null;
  updated: string | null;
  author: string | null;
  categories: string[];
  summary: string | null;
  summaryKind: TextKind;
  summaryBase: string | null;
  content: string | null;
  contentKind: TextKind;
  contentBase: string | null;
  enclosures: RawEnclosure[];
  language: string | null;
}

export interface ParsedFeed {
  meta: FeedMeta;
  items: RawItem[];
}
