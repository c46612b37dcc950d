import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// Every article insert paid for two indexes that no query needs for most rows:
//  - articles_story_idx covered the NULL story_id of every unplaced or off-beat article; every lookup
//    is `story_id = …`, so the index now holds placed articles only;
//  - articles_rules_version_idx served no plan: "stale rules" is `rules_version IS NULL OR <> current`,
//    which matches all rows or none and is read in id order (reclassify) or counted by a scan.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX articles_story_idx`.execute(db);
  await sql`CREATE INDEX articles_story_idx ON articles (story_id, published_at) WHERE story_id IS NOT NULL`.execute(db);
  await sql`DROP INDEX articles_rules_version_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX articles_rules_version_idx ON articles (rules_version)`.execute(db);
  await sql`DROP INDEX articles_story_idx`.execute(db);
  await sql`CREATE INDEX articles_story_idx ON articles (story_id, published_at)`.execute(db);
}
