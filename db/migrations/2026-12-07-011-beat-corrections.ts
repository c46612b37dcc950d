import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// The editor's correction loop. `beat_corrections`: at most one correction per article (re-marking
// replaces it); every write of an article's classification lets it win (articles.repository.ts), and it is
// exported as a label and learned from. `beat_models`: the learned part of the classifier, one row per
// model version (a content hash: training the same examples again adds no row); the active model of a
// rules version is its row with the newest trained_at.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE beat_corrections (
      article_id bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
      relevance text NOT NULL CHECK (relevance IN ('on_beat', 'adjacent', 'off_beat')),
      topics text[] NOT NULL DEFAULT '{}',
      note text,
      corrected_by text,
      corrected_at timestamptz NOT NULL,
      -- The label format: topics exactly when on the beat.
      CONSTRAINT beat_corrections_topics_check CHECK ((relevance = 'on_beat') = (cardinality(topics) > 0))
    )`.execute(db);
  await sql`
    CREATE TABLE beat_models (
      version text PRIMARY KEY,
      model jsonb NOT NULL,
      rules_version text NOT NULL,
      examples integer NOT NULL,
      trained_at timestamptz NOT NULL
    )`.execute(db);
  // The active model of the running rules: one index probe, at the start of every refresh pass.
  await sql`CREATE INDEX beat_models_active_idx ON beat_models (rules_version, trained_at DESC, version DESC)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS beat_models`.execute(db);
  await sql`DROP TABLE IF EXISTS beat_corrections`.execute(db);
}
