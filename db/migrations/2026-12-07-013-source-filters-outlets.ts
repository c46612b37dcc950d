import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// Per-source item filters (items a feed carries that the source does not follow are dropped before they are
// classified or stored; the last fetch's count of dropped items is the source's health) and outlet identity
// (an explicit outlet name, else the feed's registrable domain, written by the service: a story's outlet
// count counts outlets, not section feeds). outlet_domain is filled on insert and on every successful fetch.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE sources
      ADD COLUMN item_filter jsonb,
      ADD COLUMN items_filtered_last integer NOT NULL DEFAULT 0,
      ADD COLUMN outlet text,
      ADD COLUMN outlet_domain text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE sources
      DROP COLUMN IF EXISTS outlet_domain,
      DROP COLUMN IF EXISTS outlet,
      DROP COLUMN IF EXISTS items_filtered_last,
      DROP COLUMN IF EXISTS item_filter`.execute(db);
}
