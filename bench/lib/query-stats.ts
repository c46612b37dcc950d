// A PostgreSQL DbHandle whose Kysely logs every query's duration, aggregated by statement shape:
// how the benches find which statement grows with the store. Pass it to createDeps({ handle }).
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import type { Database } from '../../db/schema.js';
import { PG_SESSION_OPTIONS, type DbHandle } from '../../db/client.js';

export interface QueryStat {
  shape: string;
  calls: number;
  totalMs: number;
  maxMs: number;
  /** The last statement of this shape with its parameters (to EXPLAIN it). */
  sample: { sql: string; parameters: readonly unknown[] };
}

export interface StatsHandle extends DbHandle {
  stats: Map<string, QueryStat>;
  reset(): void;
  top(n?: number): QueryStat[];
}

/** First words of the statement with literals and $n placeholders folded, so repeated calls group. */
export function statementShape(sql: string): string {
  return sql
    .replace(/\$\d+/g, '?')
    .replace(/\(\?(, ?\?)*\)(, ?\(\?(, ?\?)*\))*/g, '(…)')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 140);
}

export function openPostgresWithStats(url: string, poolSize = 10): StatsHandle {
  // Touch db/client.ts first so its pg type parsers (int8, numeric → number) are registered.
  const stats = new Map<string, QueryStat>();
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'frontera-bench', options: PG_SESSION_OPTIONS });
  pool.on('error', () => {});
  const log = (e: LogEvent) => {
    const shape = statementShape(e.query.sql);
    const s = stats.get(shape) ?? { shape, calls: 0, totalMs: 0, maxMs: 0, sample: e.query };
    s.calls++;
    s.totalMs += e.queryDurationMillis;
    s.maxMs = Math.max(s.maxMs, e.queryDurationMillis);
    s.sample = { sql: e.query.sql, parameters: e.query.parameters };
    stats.set(shape, s);
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  return {
    db,
    kind: 'postgres',
    close: () => db.destroy(),
    stats,
    reset: () => stats.clear(),
    top: (n = 8) => [...stats.values()].sort((a, b) => b.totalMs - a.totalMs).slice(0, n),
  };
}
