import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Table types for Kysely. Only db/ imports this.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TimestampNullable = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | undefined, string>;

export interface SourcesTable {
  id: Generated<number>;
  url: string;
  name: string | null;
  lang: string | null;
  site_url: string | null;
  status: Generated<'active' | 'paused' | 'retired'>;
  etag: string | null;
  last_modified: string | null;
  next_check_at: Timestamp;
  lease_until: TimestampNullable;
  lease_owner: string | null;
  last_fetched_at: TimestampNullable;
  last_success_at: TimestampNullable;
  last_status: number | null;
  last_error_code: string | null;
  last_error_message: string | null;
  error_count: Generated<number>;
  fetch_count: Generated<number>;
  not_modified_count: Generated<number>;
  items_stored: Generated<number>;
  redirect_url: string | null;
  redirect_count: Generated<number>;
  ttl_minutes: number | null;
  /** Migration 013: the item filter (src/reader/item-filter.ts), its last count, and outlet identity. */
  item_filter: ColumnType<unknown, string | null | undefined, string | null>;
  items_filtered_last: Generated<number>;
  outlet: string | null;
  outlet_domain: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Migration 012: the entry's origin and its last verification (sources check, check-sources job). */
  country: string | null;
  note: string | null;
  stand_in: Generated<boolean>;
  verified_at: TimestampNullable;
  verify_status: 'ok' | 'failed' | 'html' | 'empty' | null;
  verify_detail: Json<unknown> | null;
  stale_since: TimestampNullable;
  /** Migration 016: the country was inferred from the feed's domain, not given. */
  country_inferred: Generated<boolean>;
}

export interface ArticlesTable {
  id: Generated<number>;
  dedup_key: string;
  url: string | null;
  canonical_url: string | null;
  guid: string | null;
  title: string;
  summary_html: Generated<string>;
  summary_text: Generated<string>;
  content_html: string | null;
  author: string | null;
  categories: ColumnType<string[], string[] | undefined, string[]>;
  enclosures: Json<unknown[]>;
  lang: string | null;
  published_at: Timestamp;
  first_seen_at: Timestamp;
  updated_at: Timestamp;
  content_hash: string;
  first_source_id: number | null;
  relevance: 'on_beat' | 'adjacent' | 'off_beat' | null;
  score: number | null;
  topics: ColumnType<string[], string[] | undefined, string[]>;
  entities: Json<unknown[]>;
  evidence: Json<unknown[]>;
  rules_version: string | null;
  story_id: number | null;
  cluster_features: Json<unknown> | null;
  minhash: number[] | null;
  duplicate_of: number | null;
  /** A roundup of several events (migration 015): placed (features kept) but a member of no story. */
  is_roundup: Generated<boolean>;
  /** Generated (migration 003): English + Spanish analysis of the unaccented title and summary. */
  search_vector: ColumnType<string | null, never, never>;
}

export interface StoriesTable {
  id: Generated<number>;
  headline: string;
  first_article_id: number | null;
  first_source_id: number | null;
  first_published_at: Timestamp;
  last_published_at: Timestamp;
  first_seen_at: Timestamp;
  last_updated_at: Timestamp;
  /** LEAST(first_published_at, first_seen_at), generated (migration 014): the story's event time. */
  event_at: ColumnType<Date, never, never>;
  article_count: Generated<number>;
  outlet_count: Generated<number>;
  lang_counts: Json<Record<string, number>>;
  topics: ColumnType<string[], string[] | undefined, string[]>;
  relevance: 'on_beat' | 'adjacent' | 'off_beat' | null;
  merged_into: number | null;
  created_at: Timestamp;
}

/** A storyline link between two stories, stored in both directions (migration 015). */
export interface StoryLinksTable {
  story_id: number;
  related_id: number;
  kind: string;
  score: number;
  shared: ColumnType<string[], string[] | undefined, string[]>;
}

/** A roundup article attached to a story it names, as related coverage (migration 015). */
export interface StoryRoundupsTable {
  story_id: number;
  article_id: number;
  score: number;
}

/** One press side of a story (migration 016): 'US', 'MX' or 'other'; written by refreshStoryPress. */
export interface StoryPressTable {
  story_id: number;
  country: 'US' | 'MX' | 'other';
  outlets: number;
  articles: number;
  first_article_id: number | null;
  first_at: Timestamp;
  terms: Json<unknown[]>;
  names: Json<unknown[]>;
}

export interface StoryKeysTable {
  story_id: number;
  key: number;
  last_seen_at: Timestamp;
}

export interface ArticleBandsTable {
  band_key: number;
  article_id: number;
}

export interface TermDfTable {
  term: string;
  df: number;
}

export interface ClusterStatsTable {
  id: number;
  total_docs: number;
}

export interface SourceItemsTable {
  source_id: number;
  item_key: string;
  article_id: number;
  content_hash: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface NewslettersTable {
  id: Generated<number>;
  topic: string;
  period_kind: 'daily' | 'weekly';
  period_start: Timestamp;
  period_end: Timestamp;
  title: string;
  event_count: number;
  article_count: number;
  model: Json<unknown>;
  generated_at: Timestamp;
  delivery: Generated<'none' | 'pending' | 'sent' | 'failed'>;
  delivery_attempts: Generated<number>;
  delivery_lease_until: TimestampNullable;
  delivered_at: TimestampNullable;
  last_delivery_error: string | null;
  created_at: Generated<Date>;
}

export interface BeatCorrectionsTable {
  article_id: number;
  relevance: 'on_beat' | 'adjacent' | 'off_beat';
  topics: ColumnType<string[], string[] | undefined, string[]>;
  note: string | null;
  corrected_by: string | null;
  corrected_at: Timestamp;
}

export interface BeatModelsTable {
  version: string;
  model: Json<unknown>;
  rules_version: string;
  examples: number;
  trained_at: Timestamp;
}

export interface Database {
  sources: SourcesTable;
  articles: ArticlesTable;
  source_items: SourceItemsTable;
  stories: StoriesTable;
  story_keys: StoryKeysTable;
  story_links: StoryLinksTable;
  story_roundups: StoryRoundupsTable;
  story_press: StoryPressTable;
  article_bands: ArticleBandsTable;
  term_df: TermDfTable;
  cluster_stats: ClusterStatsTable;
  newsletters: NewslettersTable;
  beat_corrections: BeatCorrectionsTable;
  beat_models: BeatModelsTable;
}

export type SourceRow = Selectable<SourcesTable>;
export type NewSourceRow = Insertable<SourcesTable>;
export type SourceUpdate = Updateable<SourcesTable>;
export type ArticleRow = Selectable<ArticlesTable>;
