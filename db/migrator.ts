import { Migrator, type MigrationResultSet } from 'kysely';
import type { Db } from './client.js';
import { migrations } from './migrations/index.js';

function migrator(db: Db): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '?'} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).map((r) => r.migrationName);
}

/** Apply every pending migration. Safe to run from several processes: Kysely takes a lock. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return check(await migrator(db).migrateToLatest());
}

/** Undo every migration (tests: up → down → up). */
export async function migrateDownAll(db: Db): Promise<string[]> {
  const m = migrator(db);
  const done: string[] = [];
  for (;;) {
    const r = await m.migrateDown();
    const names = check(r);
    if (names.length === 0) return done;
    done.push(...names);
  }
}
