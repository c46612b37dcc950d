import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// articles.first_source_id and source_items.source_id stop being foreign keys: PostgreSQL checked each
// inserted row against its source with a row lock of its own (two checks per stored item, ≈ 15% of the
// database's work in a cold ingest). The same guarantee now holds per feed, not per row:
//  - a feed's store transaction first locks its source row (FOR KEY SHARE) and stops if it is gone;
//  - removing a source locks the row FOR UPDATE (waiting for feed transactions in flight), deletes its
//    items and clears articles.first_source_id, then deletes it (deleteSource in sources.repository.ts),
//    as ON DELETE CASCADE / SET NULL did.
// source_items.article_id stays a foreign key (checked against the article the same statement wrote).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE articles DROP CONSTRAINT articles_first_source_id_fkey`.execute(db);
  await sql`ALTER TABLE source_items DROP CONSTRAINT source_items_source_id_fkey`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE source_items ADD CONSTRAINT source_items_source_id_fkey FOREIGN KEY (source_id) REFERENCES sources(id) ON DELETE CASCADE`.execute(db);
  await sql`ALTER TABLE articles ADD CONSTRAINT articles_first_source_id_fkey FOREIGN KEY (first_source_id) REFERENCES sources(id) ON DELETE SET NULL`.execute(db);
}
