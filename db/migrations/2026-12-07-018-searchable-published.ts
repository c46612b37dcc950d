import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// Search ranks the newest matches of a query. For a common word the planner finds them with a backward scan in
// publication order that tests each article against the query. articles_published_idx lists every article, and
// the off-beat ones (most of a store: they have no search_vector) each cost a heap visit only to find they
// cannot match. This index lists the searchable articles alone, so that scan visits only articles that can.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX articles_searchable_published_idx ON articles (published_at DESC, id DESC) WHERE search_vector IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS articles_searchable_published_idx`.execute(db);
}
