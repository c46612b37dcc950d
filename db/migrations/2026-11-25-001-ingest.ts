import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);

  await sql`
    CREATE TABLE sources (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      url text NOT NULL UNIQUE,
      name text,
      lang text,
      site_url text,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'retired')),
      etag text,
      last_modified text,
      next_check_at timestamptz NOT NULL DEFAULT now(),
      lease_until timestamptz,
      lease_owner text,
      last_fetched_at timestamptz,
      last_success_at timestamptz,
      last_status integer,
      last_error_code text,
      last_error_message text,
      error_count integer NOT NULL DEFAULT 0,
      fetch_count integer NOT NULL DEFAULT 0,
      not_modified_count integer NOT NULL DEFAULT 0,
      items_stored integer NOT NULL DEFAULT 0,
      redirect_url text,
      redirect_count integer NOT NULL DEFAULT 0,
      ttl_minutes integer,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX sources_due_idx ON sources (next_check_at) WHERE status = 'active'`.execute(db);

  await sql`
    CREATE TABLE articles (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      dedup_key text NOT NULL UNIQUE,
      url text,
      canonical_url text,
      guid text,
      title text NOT NULL,
      summary_html text NOT NULL DEFAULT '',
      summary_text text NOT NULL DEFAULT '',
      content_html text,
      author text,
      categories text[] NOT NULL DEFAULT '{}',
      enclosures jsonb NOT NULL DEFAULT '[]',
      lang text,
      published_at timestamptz NOT NULL,
      first_seen_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      content_hash text NOT NULL,
      first_source_id bigint REFERENCES sources (id) ON DELETE SET NULL,
      relevance text CHECK (relevance IN ('on_beat', 'adjacent', 'off_beat')),
      score real,
      topics text[] NOT NULL DEFAULT '{}',
      entities jsonb NOT NULL DEFAULT '[]',
      evidence jsonb NOT NULL DEFAULT '[]',
      rules_version text
    )`.execute(db);
  await sql`CREATE INDEX articles_published_idx ON articles (published_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX articles_canonical_url_idx ON articles (canonical_url)`.execute(db);
  await sql`CREATE INDEX articles_topics_idx ON articles USING gin (topics)`.execute(db);
  await sql`CREATE INDEX articles_rules_version_idx ON articles (rules_version)`.execute(db);

  // Which source carried which article, keyed per source by GUID → canonical URL → fingerprint.
  await sql`
    CREATE TABLE source_items (
      source_id bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
      item_key text NOT NULL,
      article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
      content_hash text NOT NULL,
      first_seen_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source_id, item_key)
    )`.execute(db);
  await sql`CREATE INDEX source_items_article_idx ON source_items (article_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS source_items`.execute(db);
  await sql`DROP TABLE IF EXISTS articles`.execute(db);
  await sql`DROP TABLE IF EXISTS sources`.execute(db);
}
