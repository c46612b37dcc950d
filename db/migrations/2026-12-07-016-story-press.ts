import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// Issue 18, two presses:
//  * sources.country_inferred: the country was not given (sources add, API, OPML) but inferred from the
//    feed's domain (ccTLD, or the shipped table of well-known outlets); an editor's explicit value clears it.
//  * story_press: per story, one row per press side ('US', 'MX', 'other': every other known country) with
//    its outlets, articles, first report and distinctive terms and names. Written by refreshStoryPress when
//    the story changes (never per request); the primary key (story_id, country) makes the `press=` filter
//    and the list pages' batched read index lookups; (country, outlets) serves the blind-spot scan.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE sources ADD COLUMN country_inferred boolean NOT NULL DEFAULT false`.execute(db);
  await sql`
    CREATE TABLE story_press (
      story_id bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
      country text NOT NULL CHECK (country IN ('US', 'MX', 'other')),
      outlets integer NOT NULL,
      articles integer NOT NULL,
      first_article_id bigint REFERENCES articles (id) ON DELETE SET NULL,
      first_at timestamptz NOT NULL,
      terms jsonb NOT NULL DEFAULT '[]',
      names jsonb NOT NULL DEFAULT '[]',
      PRIMARY KEY (story_id, country)
    )`.execute(db);
  await sql`CREATE INDEX story_press_country_outlets_idx ON story_press (country, outlets, story_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS story_press`.execute(db);
  await sql`ALTER TABLE sources DROP COLUMN IF EXISTS country_inferred`.execute(db);
}
