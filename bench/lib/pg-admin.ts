// Bench databases on the PostgreSQL server: created fresh, dropped after (WITH (FORCE) ends stragglers).
import pg from 'pg';

export const DEFAULT_PG_BASE = 'postgres://postgres@127.0.0.1:5432/postgres';

export function pgBaseUrl(): string {
  return process.env.BENCH_PG_URL ?? DEFAULT_PG_BASE;
}

export function dbUrl(name: string, base = pgBaseUrl()): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(sql: string, base = pgBaseUrl()): Promise<void> {
  const c = new pg.Client({ connectionString: dbUrl('postgres', base) });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function pgAvailable(base = pgBaseUrl()): Promise<boolean> {
  try {
    await admin('SELECT 1', base);
    return true;
  } catch {
    return false;
  }
}

/** Drops (if present) and creates `name`; returns its URL. */
export async function freshDatabase(name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  return dbUrl(name);
}

/** `name` as it is when it exists (a bench reusing its grown store), else a fresh one; returns its URL and which. */
export async function reuseOrFreshDatabase(name: string): Promise<{ url: string; reused: boolean }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const c = new pg.Client({ connectionString: dbUrl('postgres') });
  await c.connect();
  try {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (r.rowCount) return { url: dbUrl(name), reused: true };
  } finally {
    await c.end();
  }
  return { url: await freshDatabase(name), reused: false };
}

export async function dropDatabase(name: string): Promise<void> {
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

export async function serverVersion(): Promise<string | null> {
  try {
    const c = new pg.Client({ connectionString: dbUrl('postgres') });
    await c.connect();
    const r = await c.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    await c.end();
    return r.rows[0]?.v ?? null;
  } catch {
    return null;
  }
}
