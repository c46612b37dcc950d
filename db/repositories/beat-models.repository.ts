import { sql } from 'kysely';
import type { Db } from '../client.js';

// The learned part of the beat classifier, one row per model version (a content hash of the model). The
// active model of a rules version is its row with the newest trained_at. trained_at never goes backwards (a
// model trained later is newer even when the clock stands still, as in tests, or steps back).

/** `at`, or just after the newest stored trained_at when that is not earlier. */
const notBeforeNewest = (at: Date) => sql`GREATEST(${at}::timestamptz, (SELECT max(trained_at) + interval '1 millisecond' FROM beat_models))`;

export interface StoredBeatModel {
  version: string;
  /** The model as stored (parseBeatModel validates it). */
  model: unknown;
  rulesVersion: string;
  examples: number;
  trainedAt: Date;
}

/** The active model's version for these rules (one index probe: cheap enough for every refresh pass). */
export async function findActiveBeatModelVersion(db: Db, rulesVersion: string): Promise<string | null> {
  const r = await sql<{ version: string }>`
    SELECT version FROM beat_models WHERE rules_version = ${rulesVersion}
    ORDER BY trained_at DESC, version DESC LIMIT 1`.execute(db);
  return r.rows[0]?.version ?? null;
}

export async function findActiveBeatModel(db: Db, rulesVersion: string): Promise<StoredBeatModel | null> {
  const r = (
    await sql<{ version: string; model: unknown; rules_version: string; examples: number; trained_at: Date }>`
      SELECT version, model, rules_version, examples, trained_at FROM beat_models WHERE rules_version = ${rulesVersion}
      ORDER BY trained_at DESC, version DESC LIMIT 1`.execute(db)
  ).rows[0];
  return r ? { version: r.version, model: r.model, rulesVersion: r.rules_version, examples: r.examples, trainedAt: r.trained_at } : null;
}

/** Stores a model; false when a model of that version is stored already (nothing written). */
export async function insertBeatModel(db: Db, m: Omit<StoredBeatModel, 'trainedAt'>, trainedAt: Date): Promise<boolean> {
  const r = await sql<{ version: string }>`
    INSERT INTO beat_models (version, model, rules_version, examples, trained_at)
    VALUES (${m.version}, ${JSON.stringify(m.model)}::jsonb, ${m.rulesVersion}, ${m.examples}, ${notBeforeNewest(trainedAt)})
    ON CONFLICT (version) DO NOTHING
    RETURNING version`.execute(db);
  return r.rows.length > 0;
}

/** Makes a stored model the active one again (trained anew from the same examples as an older model). */
export async function markBeatModelTrained(db: Db, version: string, trainedAt: Date): Promise<void> {
  await sql`UPDATE beat_models SET trained_at = ${notBeforeNewest(trainedAt)} WHERE version = ${version}`.execute(db);
}

export async function listBeatModels(db: Db): Promise<StoredBeatModel[]> {
  const rows = await sql<{ version: string; model: unknown; rules_version: string; examples: number; trained_at: Date }>`
    SELECT version, model, rules_version, examples, trained_at FROM beat_models ORDER BY trained_at DESC, version DESC`.execute(db);
  return rows.rows.map((r) => ({ version: r.version, model: r.model, rulesVersion: r.rules_version, examples: r.examples, trainedAt: r.trained_at }));
}
