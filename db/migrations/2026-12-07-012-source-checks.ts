import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// Where a source comes from and whether it still works. `country`, `note` and `stand_in` describe the
// entry (seeded from the default list: a stand-in is a Google News search standing for an outlet without a
// working feed). The last verification (`sources check`, the weekly check-sources job) is kept apart from
// the refresh's own health columns: a probe stores no items and must not move next_check_at or the
// backoff. `stale_since`: first check that found the newest item older than STALE_AFTER_DAYS (a feed
// that answers 200 but stopped publishing); cleared by a fresh check.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE sources
      ADD COLUMN country text,
      ADD COLUMN note text,
      ADD COLUMN stand_in boolean NOT NULL DEFAULT false,
      ADD COLUMN verified_at timestamptz,
      ADD COLUMN verify_status text CHECK (verify_status IN ('ok', 'failed', 'html', 'empty')),
      ADD COLUMN verify_detail jsonb,
      ADD COLUMN stale_since timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE sources
      DROP COLUMN IF EXISTS stale_since,
      DROP COLUMN IF EXISTS verify_detail,
      DROP COLUMN IF EXISTS verify_status,
      DROP COLUMN IF EXISTS verified_at,
      DROP COLUMN IF EXISTS stand_in,
      DROP COLUMN IF EXISTS note,
      DROP COLUMN IF EXISTS country`.execute(db);
}
