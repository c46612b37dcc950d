import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// Two relations between stories and articles that are not membership:
//  * story_links: a storyline (an operation, its aftermath, the succession fight) links stories both ways.
//    Stored as two rows per pair (a→b and b→a) so reading a story's links is one index range, whichever
//    side of the pair changed last; the placer's refresh step rewrites the links of the stories it touched.
//  * story_roundups: a roundup ("week in review", "mañanera recapped", another outlet's newsletter) names
//    several events. It is not a member of any story (members would glue those events together); it is
//    attached as related coverage of each story it names.
// Both cascade with stories: a merged-away story keeps its row (merged_into) and the merge rewrites links.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE story_links (
      story_id bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
      related_id bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
      kind text NOT NULL,
      score real NOT NULL,
      shared text[] NOT NULL DEFAULT '{}',
      PRIMARY KEY (story_id, related_id),
      CHECK (story_id <> related_id)
    )`.execute(db);
  await sql`CREATE INDEX story_links_related_idx ON story_links (related_id)`.execute(db);
  await sql`
    CREATE TABLE story_roundups (
      story_id bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
      article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
      score real NOT NULL,
      PRIMARY KEY (story_id, article_id)
    )`.execute(db);
  await sql`CREATE INDEX story_roundups_article_idx ON story_roundups (article_id)`.execute(db);
  // Roundups keep their features (placed) but no story: the flag tells them from articles not yet placed.
  await sql`ALTER TABLE articles ADD COLUMN is_roundup boolean NOT NULL DEFAULT false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE articles DROP COLUMN IF EXISTS is_roundup`.execute(db);
  await sql`DROP TABLE IF EXISTS story_roundups`.execute(db);
  await sql`DROP TABLE IF EXISTS story_links`.execute(db);
}
