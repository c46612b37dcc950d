import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// Story time is when the event was first reported, not when we ingested it: a backfilled 2022 story must not
// list above this week's. event_at = LEAST(first_published_at, first_seen_at): the earliest published date of
// the story's articles (first_published_at is their min, kept by refreshStoryAggregates / createStoriesBatch),
// bounded by when we first saw the story, so an article dated in the future cannot put its story on top.
// A stored generated column: PostgreSQL keeps it on every write of those two columns (no write path can forget
// it), ADD COLUMN computes it for existing rows (the backfill), and the listing index is on a plain column, so
// the keyset (event_at, id) < ($1, $2) matches the index order exactly on PostgreSQL and PGlite.
// stories_activity_idx stays: the activity filters (since/until on last_updated_at) and the topics' last-update
// stats still read last_updated_at.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE stories ADD COLUMN event_at timestamptz GENERATED ALWAYS AS (LEAST(first_published_at, first_seen_at)) STORED`.execute(db);
  await sql`CREATE INDEX stories_event_idx ON stories (event_at DESC, id DESC) WHERE merged_into IS NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS stories_event_idx`.execute(db);
  await sql`ALTER TABLE stories DROP COLUMN IF EXISTS event_at`.execute(db);
}
