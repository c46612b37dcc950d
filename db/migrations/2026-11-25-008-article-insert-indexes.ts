import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// Two more indexes every article insert paid for:
//  - articles_canonical_url_idx served no query: duplicates are found by dedup_key (unique), and the
//    canonical URL is only ever read back, never searched;
//  - articles_topics_idx held an "empty array" entry for every article without topics, i.e. every one
//    that is not on the beat (most of what feeds carry). It now covers articles with topics; the topic
//    filter states `topics <> '{}'` so that the planner can use it.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX articles_canonical_url_idx`.execute(db);
  await sql`DROP INDEX articles_topics_idx`.execute(db);
  await sql`CREATE INDEX articles_topics_idx ON articles USING gin (topics) WHERE topics <> '{}'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX articles_topics_idx`.execute(db);
  await sql`CREATE INDEX articles_topics_idx ON articles USING gin (topics)`.execute(db);
  await sql`CREATE INDEX articles_canonical_url_idx ON articles (canonical_url)`.execute(db);
}
