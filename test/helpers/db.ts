import { sql } from 'kysely';
import crypto from 'node:crypto';
import pg from 'pg';
import { openDb, type DbHandle } from '../../db/client.js';
import { migrateToLatest } from '../../db/migrator.js';

/** Which engine this test run targets: PostgreSQL when DATABASE_URL is set, else PGlite. */
export const dbKind: 'postgres' | 'pglite' = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDb extends DbHandle {
  /** Connection URL of the per-file database (PostgreSQL only), for child processes. */
  url: string | undefined;
}

/**
 * A fresh, isolated database per test file: a new database on the PostgreSQL server of
 * DATABASE_URL (dropped on close), or an in-memory PGlite instance.
 */
export async function createTestDb(opts: { migrate?: boolean } = {}): Promise<TestDb> {
  const base = process.env.DATABASE_URL;
  let handle: DbHandle;
  let url: string | undefined;
  let drop = async () => {};
  if (base) {
    const name = `frontera_t_${crypto.randomBytes(6).toString('hex')}`;
    await adminQuery(base, `CREATE DATABASE ${name}`);
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
    handle = await openDb({ databaseUrl: url, poolSize: 8 });
    drop = () => adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } else {
    handle = await openDb({ dataDir: 'memory://' });
  }
  if (opts.migrate !== false) await migrateToLatest(handle.db);
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      await drop();
    },
  };
}

async function adminQuery(base: string, text: string): Promise<void> {
  const u = new URL(base);
  u.pathname = '/postgres';
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Empties what ingest and clustering write (sources cascade), between the tests of one file. */
export async function emptyStore(db: TestDb['db']): Promise<void> {
  await sql`TRUNCATE sources, articles, source_items, stories, story_keys, article_bands, term_df RESTART IDENTITY CASCADE`.execute(db);
  await sql`UPDATE cluster_stats SET total_docs = 0`.execute(db);
}
