import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// Newsletter issues: one per (topic, period kind, period start). The unique key is what makes the
// scheduled job idempotent across reruns and processes (INSERT … ON CONFLICT DO NOTHING).
// `model` is the neutral newsletter model (JSON); HTML, text and Markdown are rendered from it on demand.
// Delivery is a small state machine: 'none' (no SMTP when stored) → never sent; 'pending' → claimed
// with a lease (FOR UPDATE SKIP LOCKED) → 'sent', or back to pending until attempts run out → 'failed'.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE newsletters (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      topic text NOT NULL,
      period_kind text NOT NULL CHECK (period_kind IN ('daily', 'weekly')),
      period_start timestamptz NOT NULL,
      period_end timestamptz NOT NULL,
      title text NOT NULL,
      event_count integer NOT NULL,
      article_count integer NOT NULL,
      model jsonb NOT NULL,
      generated_at timestamptz NOT NULL,
      delivery text NOT NULL DEFAULT 'none' CHECK (delivery IN ('none', 'pending', 'sent', 'failed')),
      delivery_attempts integer NOT NULL DEFAULT 0,
      delivery_lease_until timestamptz,
      delivered_at timestamptz,
      last_delivery_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT newsletters_period_check CHECK (period_end > period_start),
      CONSTRAINT newsletters_issue_key UNIQUE (topic, period_kind, period_start)
    )`.execute(db);
  // The API lists issues newest period first, per topic or across topics (keyset on period_start, id).
  await sql`CREATE INDEX newsletters_topic_list_idx ON newsletters (topic, period_start DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX newsletters_list_idx ON newsletters (period_start DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX newsletters_pending_idx ON newsletters (id) WHERE delivery = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS newsletters`.execute(db);
}
