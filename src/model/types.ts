// Plain domain types shared by every layer. No imports from db/, api/ or jobs/.

export type Lang = 'en' | 'es';

/** Feed-level metadata extracted by the reader. */
export interface FeedMeta {
  title: string | null;
  link: string | null;
  language: string | null;
  /** RSS <ttl> in minutes, if present. */
  ttlMinutes: number | null;
  /** sy:updatePeriod × sy:updateFrequency converted to minutes between updates, if present. */
  updateIntervalMinutes: number | null;
}

export interface Enclosure {
  url: string;
  type: string | null;
  length: number | null;
}

/** One feed item after parse + normalize: what the store keeps (raw enough to reprocess later). */
export interface NormalizedItem {
  guid: string | null;
  /** Absolute link as published (after xml:base / relative resolution, FeedBurner origLink preferred). */
  url: string | null;
  /** Canonical form used for dedup (tracking params stripped, AMP/mobile folded, scheme/trailing slash folded). */
  canonicalUrl: string | null;
  /** Plain text, entities decoded. */
  title: string;
  /** Sanitized HTML summary (may be empty). */
  summaryHtml: string;
  /** Plain-text summary (tags stripped, entities decoded, whitespace collapsed). */
  summaryText: string;
  /** Sanitized full content HTML when the feed has content:encoded / atom content, else null. */
  contentHtml: string | null;
  author: string | null;
  categories: string[];
  enclosures: Enclosure[];
  /** UTC publication time; a missing or future date falls back to the time first seen. */
  publishedAt: Date;
  /** True when publishedAt came from the feed (false when it fell back to first-seen). */
  publishedAtFromFeed: boolean;
  /** Detected language of title+summary ('en'/'es'), else the feed's declared language (2-letter), else null. */
  lang: string | null;
}

/** A source's item filter: case-insensitive substrings, never regular expressions (src/reader/item-filter.ts). */
export interface ItemFilterSpec {
  linkIncludes?: string[] | undefined;
  linkExcludes?: string[] | undefined;
  categoriesAny?: string[] | undefined;
}

export type Relevance = 'on_beat' | 'adjacent' | 'off_beat';

export interface EntityMention {
  /** Stable id from the gazetteer, e.g. "person:claudia-sheinbaum". */
  id: string;
  kind: 'person' | 'organization' | 'cartel' | 'place';
  name: string;
  /** The surface form found in the text. */
  matched: string;
}

export interface Evidence {
  /** Which rule fired, e.g. "topic:fentanyl-trafficking/pattern:fentanyl" or "trap:gulf-of-mexico". */
  rule: string;
  /** The text that matched. */
  matched: string;
  field: 'title' | 'body';
  weight: number;
}

export interface Classification {
  relevance: Relevance;
  score: number;
  topics: string[];
  entities: EntityMention[];
  evidence: Evidence[];
  rulesVersion: string;
}

export type SourceStatus = 'active' | 'paused' | 'retired';

/** A feed we poll, with its health. */
export interface Source {
  id: number;
  url: string;
  name: string | null;
  lang: string | null;
  siteUrl: string | null;
  status: SourceStatus;
  etag: string | null;
  lastModified: string | null;
  nextCheckAt: Date;
  lastFetchedAt: Date | null;
  lastSuccessAt: Date | null;
  lastStatus: number | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  errorCount: number;
  fetchCount: number;
  notModifiedCount: number;
  itemsStored: number;
  redirectUrl: string | null;
  redirectCount: number;
  /** Items of the feed this source does not follow (null: every item is kept). */
  itemFilter: ItemFilterSpec | null;
  /** Items the last successful fetch dropped by the filter. */
  itemsFilteredLast: number;
  /** Explicit outlet name (section feeds of one newspaper); null: the feed's registrable domain stands for it. */
  outlet: string | null;
  /** Registrable domain of the feed (for a Google News `site:` search, that site's), written by the service. */
  outletDomain: string | null;
  ttlMinutes: number | null;
  createdAt: Date;
  /** ISO 3166-1 alpha-2 code of the outlet's country (US, MX, …). */
  country: string | null;
  /** The country was inferred from the feed's domain, not given (sources add, API, OPML, default list). */
  countryInferred: boolean;
  /** How the entry was chosen and checked (default list), or an editor's note. */
  note: string | null;
  /** A Google News search standing for an outlet without a working feed. */
  standIn: boolean;
  lastVerified: SourceVerification | null;
  /** Since when its newest item has been older than STALE_AFTER_DAYS (null: fresh, or never checked). */
  staleSince: Date | null;
}

export type VerifyStatus = 'ok' | 'failed' | 'html' | 'empty';

/** One probe of a source (sources check, the check-sources job): nothing stored but this. */
export interface SourceVerification {
  at: Date;
  status: VerifyStatus;
  httpStatus: number | null;
  contentType: string | null;
  items: number | null;
  /** Age of the newest item at the check, in hours (null: no dated item). */
  newestItemAgeHours: number | null;
  durationMs: number;
  /** Error code and message of a failed probe. */
  errorCode: string | null;
  message: string | null;
  /** Feed URLs an HTML page advertises. */
  suggestions: string[];
}
