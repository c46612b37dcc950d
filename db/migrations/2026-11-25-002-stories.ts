import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// Event clustering ("stories") and near-duplicate signatures.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE stories (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      headline text NOT NULL,
      first_article_id bigint REFERENCES articles (id) ON DELETE SET NULL,
      first_source_id bigint REFERENCES sources (id) ON DELETE SET NULL,
      first_published_at timestamptz NOT NULL,
      last_published_at timestamptz NOT NULL,
      first_seen_at timestamptz NOT NULL,
      last_updated_at timestamptz NOT NULL,
      article_count integer NOT NULL DEFAULT 0,
      outlet_count integer NOT NULL DEFAULT 0,
      lang_counts jsonb NOT NULL DEFAULT '{}',
      topics text[] NOT NULL DEFAULT '{}',
      relevance text CHECK (relevance IN ('on_beat', 'adjacent', 'off_beat')),
      merged_into bigint REFERENCES stories (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX stories_activity_idx ON stories (last_updated_at DESC, id DESC) WHERE merged_into IS NULL`.execute(db);
  await sql`CREATE INDEX stories_topics_idx ON stories USING gin (topics) WHERE merged_into IS NULL`.execute(db);
  await sql`CREATE INDEX stories_merged_into_idx ON stories (merged_into) WHERE merged_into IS NOT NULL`.execute(db);

  // Candidate retrieval: the union of members' sketch keys, looked up by key within a time window.
  await sql`
    CREATE TABLE story_keys (
      story_id bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
      key integer NOT NULL,
      last_seen_at timestamptz NOT NULL,
      PRIMARY KEY (story_id, key)
    )`.execute(db);
  await sql`CREATE INDEX story_keys_lookup_idx ON story_keys (key, last_seen_at)`.execute(db);

  await sql`ALTER TABLE articles
    ADD COLUMN story_id bigint REFERENCES stories (id) ON DELETE SET NULL,
    ADD COLUMN cluster_features jsonb,
    ADD COLUMN minhash integer[],
    ADD COLUMN duplicate_of bigint REFERENCES articles (id) ON DELETE SET NULL`.execute(db);
  await sql`CREATE INDEX articles_story_idx ON articles (story_id, published_at)`.execute(db);
  await sql`CREATE INDEX articles_duplicate_of_idx ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL`.execute(db);

  // Near-duplicate LSH postings: one row per (band key, article).
  await sql`
    CREATE TABLE article_bands (
      band_key integer NOT NULL,
      article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
      PRIMARY KEY (band_key, article_id)
    )`.execute(db);
  await sql`CREATE INDEX article_bands_article_idx ON article_bands (article_id)`.execute(db);

  // Document frequencies for TF-IDF weights, kept incrementally.
  await sql`CREATE TABLE term_df (term text PRIMARY KEY, df integer NOT NULL)`.execute(db);
  await sql`CREATE TABLE cluster_stats (id integer PRIMARY KEY CHECK (id = 1), total_docs bigint NOT NULL)`.execute(db);
  await sql`INSERT INTO cluster_stats (id, total_docs) VALUES (1, 0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS cluster_stats`.execute(db);
  await sql`DROP TABLE IF EXISTS term_df`.execute(db);
  await sql`DROP TABLE IF EXISTS article_bands`.execute(db);
  await sql`ALTER TABLE articles DROP COLUMN IF EXISTS duplicate_of, DROP COLUMN IF EXISTS minhash,
    DROP COLUMN IF EXISTS cluster_features, DROP COLUMN IF EXISTS story_id`.execute(db);
  await sql`DROP TABLE IF EXISTS story_keys`.execute(db);
  await sql`DROP TABLE IF EXISTS stories`.execute(db);
}
