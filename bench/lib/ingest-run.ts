// Child process of bench/ingest.bench.ts (and scale-out / memory): one measured refresh pass through
// createDeps, i.e. the whole pipeline the app wires (fetch, decode, parse, classify, dedup, cluster, store).
//   --phase cold  migrate, add the sources from --urls-file, refresh every feed once
//   --phase warm  make every source due again, refresh (the farm answers 304)
// DATABASE_URL (PostgreSQL) or DATA_DIR (PGlite) selects the store. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import '../../db/client.js';
import { insertSources, markSourcesDue } from '../../db/repositories/sources.repository.js';
import { loadConfig } from '../../src/config.js';
import { createDeps } from '../../src/deps.js';
import { refreshDueSources } from '../../src/services/refresh-feeds.js';
import { emitResult } from './child.js';
import { startDescendantSampler, startPgCpuSampler } from './pg-cpu.js';
import { openPostgresWithStats, type StatsHandle } from './query-stats.js';

const { values: a } = parseArgs({ options: { phase: { type: 'string' }, 'urls-file': { type: 'string' }, 'query-stats': { type: 'boolean', default: false } } });
const phase = a.phase as 'cold' | 'warm';

// Bench defaults; anything set in the environment wins (FETCH_CONCURRENCY=32 npm run bench:ingest).
const config = loadConfig({
  ALLOW_PRIVATE_SOURCES: 'true',
  HOST_MIN_INTERVAL_MS: '0',
  SEED_DEFAULT_SOURCES: 'false',
  LOG_LEVEL: 'warn',
  ...process.env,
});
const statsHandle: StatsHandle | null = a['query-stats'] && config.databaseUrl ? openPostgresWithStats(config.databaseUrl) : null;
const deps = await createDeps(config, { seed: false, ...(statsHandle ? { handle: statsHandle } : {}) });
// BENCH_NO_CLUSTERING=1: an experiment that measures what event clustering costs (not the product).
if (process.env.BENCH_NO_CLUSTERING === '1') (deps as { clustering?: unknown }).clustering = undefined;
try {
  if (phase === 'cold') {
    const urls = readFileSync(a['urls-file']!, 'utf8').split('\n').filter(Boolean);
    for (let i = 0; i < urls.length; i += 1000) await insertSources(deps.db, urls.slice(i, i + 1000).map((url) => ({ url })), deps.clock());
  } else {
    await markSourcesDue(deps.db, deps.clock());
  }
  statsHandle?.reset();
  const pgCpu = config.databaseUrl ? startPgCpuSampler(new URL(config.databaseUrl).pathname.slice(1)) : null;
  const childCpu = startDescendantSampler();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const outcomes = await refreshDueSources(deps);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const pgCpuMs = pgCpu?.stop() ?? null;
  const childCpuMs = childCpu.stop();
  const sum = (f: (o: (typeof outcomes)[number]) => number) => outcomes.reduce((n, o) => n + f(o), 0);
  const itemsSeen = sum((o) => o.itemsSeen);
  const errors = outcomes.filter((o) => o.outcome === 'error');
  emitResult({
    phase,
    db: deps.dbKind,
    sources: outcomes.length,
    ok: outcomes.filter((o) => o.outcome === 'ok').length,
    not_modified: outcomes.filter((o) => o.outcome === 'not_modified').length,
    errors: errors.length,
    error_codes: [...new Set(errors.map((e) => e.errorCode))],
    items_seen: itemsSeen,
    created: sum((o) => o.created),
    linked: sum((o) => o.linked),
    updated: sum((o) => o.updated),
    wall_ms: Math.round(wallMs),
    cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    pg_backend_cpu_ms: pgCpuMs,
    /** Child processes of the worker (the translator's Apertium pipelines): CPU the pass uses outside node and PostgreSQL. */
    child_cpu_ms: childCpuMs,
    child_peak_pss_mb: childCpu.peakPssKb() === null ? null : Math.round(childCpu.peakPssKb()! / 1024),
    /** Of cpu_ms, what reading /proc for the two figures above cost (the samplers run in this process). */
    sampler_ms: (pgCpu?.overheadMs() ?? 0) + childCpu.overheadMs(),
    items_per_s: Math.round(itemsSeen / (wallMs / 1000)),
    clustering_wired: deps.clustering !== undefined,
    ...(statsHandle ? { top_queries: statsHandle.top(Number(process.env.BENCH_QUERY_TOP ?? 8)).map((s) => ({ shape: s.shape, calls: s.calls, totalMs: Math.round(s.totalMs) })) } : {}),
  });
} finally {
  await deps.close();
}
