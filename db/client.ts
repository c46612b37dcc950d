import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// int8 (bigserial ids, count(*)) as JS numbers: ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric (scores) as numbers.
pg.types.setTypeParser(1700, (v) => Number(v));

export type Db = Kysely<Database>;

export interface DbHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export interface OpenDbOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; 'memory://' for an in-memory instance (tests). */
  dataDir?: string;
  /** Max pool size for PostgreSQL. */
  poolSize?: number;
}

/** PostgreSQL when a URL is given, else embedded PGlite: one Kysely dialect, same SQL for both. */
export async function openDb(opts: OpenDbOptions): Promise<DbHandle> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPglite(opts.dataDir ?? './data');
}

/**
 * Session settings of every connection. JIT off: our statements are short, index-driven OLTP, but a
 * CTE's row estimate can cross jit_above_cost, and compiling then costs ~0.5 s for a statement that
 * runs in 30 ms (seen on the story aggregates of a clustering batch).
 */
export const PG_SESSION_OPTIONS = '-c jit=off';

function openPostgres(url: string, max: number): DbHandle {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'frontera', options: PG_SESSION_OPTIONS });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

async function openPglite(dataDir: string): Promise<DbHandle> {
  const memory = dataDir.startsWith('memory://');
  let releaseLock = () => {};
  if (!memory) {
    fs.mkdirSync(dataDir, { recursive: true });
    releaseLock = acquireDirLock(dataDir);
  }
  try {
    // Loaded only here: a PostgreSQL worker does not pay PGlite's ~40 MB of WASM and modules.
    const [{ PGlite }, { createPgConfig }, { pg_trgm }, { unaccent }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite/node-postgres'),
      import('@electric-sql/pglite/contrib/pg_trgm'),
      import('@electric-sql/pglite/contrib/unaccent'),
    ]);
    const pglite = await PGlite.create(memory ? undefined : dataDir, { extensions: { pg_trgm, unaccent } });
    // PGlite is one connection: the pool must hold exactly one client and never close it.
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'pglite',
      close: async () => {
        await db.destroy();
        await pglite.close();
        releaseLock();
      },
    };
  } catch (e) {
    releaseLock();
    throw e;
  }
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND',
  '57P01', // admin_shutdown (pg_ctl stop, -m fast/immediate)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
]);

/**
 * True when an error means "the database cannot be reached right now" (down, restarting, connection lost),
 * as opposed to a query that failed on a working database. Callers retry the former later; they must not
 * blame the row they were working on.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let err = e as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; err && depth < 4; err = err.cause as typeof err, depth++) {
    const code = typeof err.code === 'string' ? err.code : '';
    if (UNAVAILABLE_CODES.has(code) || code.startsWith('08')) return true;
    const msg = typeof err.message === 'string' ? err.message : '';
    if (/Connection terminated|connection (?:error|ended)|not queryable|timeout exceeded when trying to connect|the database system is (?:starting up|shutting down|in recovery)/i.test(msg)) return true;
  }
  return false;
}

/**
 * Waits for the database to answer, retrying with exponential backoff (250 ms doubling to 15 s, ±20 % jitter)
 * while it is unavailable, for at most `maxWaitMs`. A worker started before its database (compose, a reboot)
 * then waits instead of exiting into a restart loop. Other errors (bad credentials, unknown database) are
 * thrown at once: waiting would not fix them.
 */
export async function waitForDatabase(
  db: Db,
  opts: { maxWaitMs: number; onRetry?: (r: { attempt: number; retryInMs: number; message: string }) => void },
): Promise<void> {
  const started = Date.now();
  const deadline = started + opts.maxWaitMs;
  let delay = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`SELECT 1`.execute(db);
      return;
    } catch (e) {
      const wait = Math.round(delay * (0.8 + 0.4 * Math.random()));
      if (!isDatabaseUnavailable(e)) throw e;
      if (Date.now() + wait > deadline) throw new DatabaseUnreachableError(e, attempt, Date.now() - started);
      opts.onRetry?.({ attempt, retryInMs: wait, message: e instanceof Error ? e.message : String(e) });
      await new Promise((r) => setTimeout(r, wait));
      delay = Math.min(delay * 2, 15_000);
    }
  }
}

/** The database did not answer within waitForDatabase's limit; the message says where it was tried. */
export class DatabaseUnreachableError extends Error {
  readonly code = 'db_unreachable';
  constructor(cause: unknown, attempts: number, elapsedMs: number) {
    const where = connectTarget(cause);
    const detail = cause instanceof Error ? cause.message || (cause as { code?: string }).code : String(cause);
    super(
      `cannot reach the database${where ? ` at ${where}` : ''}: nothing answered (${detail}; ${attempts} attempt${attempts === 1 ? '' : 's'} ` +
        `in ${(elapsedMs / 1000).toFixed(1)} s). Is PostgreSQL running there? Check DATABASE_URL.`,
      { cause },
    );
    this.name = 'DatabaseUnreachableError';
  }
}

/** host:port a failed connection attempt was aimed at, from Node's socket error (or each of an AggregateError's). */
function connectTarget(e: unknown): string | null {
  const seen: string[] = [];
  const visit = (x: unknown, depth: number) => {
    if (!x || typeof x !== 'object' || depth > 3) return;
    const err = x as { address?: unknown; port?: unknown; hostname?: unknown; errors?: unknown; cause?: unknown };
    if (typeof err.address === 'string') seen.push(typeof err.port === 'number' ? `${err.address.includes(':') ? `[${err.address}]` : err.address}:${err.port}` : err.address);
    else if (typeof err.hostname === 'string') seen.push(err.hostname);
    if (Array.isArray(err.errors)) for (const inner of err.errors) visit(inner, depth + 1);
    visit(err.cause, depth + 1);
  };
  visit(e, 0);
  return seen.length ? [...new Set(seen)].join(', ') : null;
}

/**
 * Two processes opening one PGlite directory silently lose writes, so the directory is
 * held with an exclusive lock file; a stale lock (dead pid) is taken over.
 */
function acquireDirLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'frontera.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          fs.unlinkSync(lockPath);
        } catch {}
      };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${pid}. ` +
            'Stop that process (npm start), or set DATABASE_URL to share a PostgreSQL server between processes.',
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
