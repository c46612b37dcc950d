import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// The database holds a source's references again (migration 009 had left them to every writer going through
// lockSourceForStore and deleteSource): articles.first_source_id and source_items.source_id are foreign keys
// of sources, with the actions a removal needs — a removed source's items go with it (CASCADE), its articles
// stay, since other sources may carry them, and forget it as their first source (SET NULL).
// The checks are PostgreSQL's usual ones, an index probe and a key-share lock of the source per written row;
// bench:ingest puts them at a few percent of a cold ingest's CPU, a price worth integrity that no writer can
// forget. DEFERRABLE INITIALLY DEFERRED: they run at commit (at the same cost as after each statement), so a
// transaction is checked against what it commits, not the order it wrote its rows in. The actions
// (CASCADE, SET NULL) are never deferred: a removal settles the rows in its own statement.
// lockSourceForStore stays: it orders a removal after a store in flight instead of failing that store.
// Rows left orphaned while nothing checked them are settled first, as the actions would have settled them,
// so that the constraints validate on any database this runs on. They are added valid at once: the migrator
// runs pending migrations in one transaction, where NOT VALID then VALIDATE would hold the same locks.

const fkeys = [
  { table: 'source_items', name: 'source_items_source_id_fkey', column: 'source_id', onDelete: 'CASCADE' },
  { table: 'articles', name: 'articles_first_source_id_fkey', column: 'first_source_id', onDelete: 'SET NULL' },
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM source_items si WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = si.source_id)`.execute(db);
  await sql`
    UPDATE articles a SET first_source_id = NULL
    WHERE a.first_source_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = a.first_source_id)`.execute(db);
  for (const k of fkeys) {
    await sql`
      ALTER TABLE ${sql.table(k.table)} ADD CONSTRAINT ${sql.id(k.name)} FOREIGN KEY (${sql.id(k.column)})
      REFERENCES sources (id) ON DELETE ${sql.raw(k.onDelete)} DEFERRABLE INITIALLY DEFERRED`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const k of fkeys) await sql`ALTER TABLE ${sql.table(k.table)} DROP CONSTRAINT IF EXISTS ${sql.id(k.name)}`.execute(db);
}
