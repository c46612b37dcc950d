import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// Clustering runs after each feed's commit; articles a crash left unplaced are found by this index.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX articles_cluster_pending_idx ON articles (id)
            WHERE cluster_features IS NULL AND relevance IS DISTINCT FROM 'off_beat'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS articles_cluster_pending_idx`.execute(db);
}
