// npm run bench:ingest — cold ingest of 500 feeds × 50 items from the local feed farm through the whole
// pipeline (createDeps: fetch, decode, parse, classify, dedup, cluster, store), then a warm refresh where
// every feed answers 304; on PGlite (fresh temp DATA_DIR) and PostgreSQL (fresh frontera_bench_ingest).
// Each run is its own child process (peak RSS = getrusage maxrss). newsboat loads the same farm as a peer.
// Env: BENCH_FEEDS (500), BENCH_ITEMS (50), BENCH_DBS (postgres,pglite), BENCH_NEWSBOAT_THREADS (8), BENCH_REPEAT (3),
//      BENCH_NEWSBOAT=0 (no newsboat), BENCH_QUERY_STATS=1 (top statements, PostgreSQL), KEEP_DB=1, BENCH_PG_DB (database name); FETCH_CONCURRENCY etc. pass through.
// The measured child runs the compiled dist/ (built if stale) with `npm run start:worker`'s Node flags, as
// production does; BENCH_FROM_SOURCES=1 runs it from the TypeScript sources under tsx with V8's default heap.
// Ends with one JSON line {"bench":"ingest",...}.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFeedFarm } from './feed-farm/farm.js';
import { childCode, runAppChild, workerNodeFlags } from './lib/child.js';
import { machineInfo, round } from './lib/machine.js';
import { NewsboatPeer, newsboatAvailable } from './lib/newsboat.js';
import { dropDatabase, freshDatabase, pgAvailable } from './lib/pg-admin.js';

const FEEDS = Number(process.env.BENCH_FEEDS ?? 500);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 50);
const DBS = (process.env.BENCH_DBS ?? 'postgres,pglite').split(',').filter(Boolean) as Array<'postgres' | 'pglite'>;
const PG_DB = process.env.BENCH_PG_DB ?? 'frontera_bench_ingest';
const WARM_TARGET_MS = 5000;

interface RunResult {
  pg_backend_cpu_ms: number | null;
  /** CPU of the worker's child processes (the translator's Apertium pipelines), null off Linux. */
  child_cpu_ms?: number | null;
  child_peak_pss_mb?: number | null;
  /** Of cpu_ms, the time the child spent reading /proc for pg_backend_cpu_ms and child_cpu_ms. */
  sampler_ms?: number;
  phase: 'cold' | 'warm';
  sources: number;
  ok: number;
  not_modified: number;
  errors: number;
  error_codes: string[];
  items_seen: number;
  created: number;
  linked: number;
  wall_ms: number;
  cpu_ms: number;
  items_per_s: number;
  clustering_wired: boolean;
  top_queries?: Array<{ shape: string; calls: number; totalMs: number }>;
}

const log = (s: string) => process.stderr.write(s + '\n');
const machine = await machineInfo();
log(`machine: ${JSON.stringify(machine)}`);

const farm = await startFeedFarm({ feeds: FEEDS, itemsPerFeed: ITEMS, seed: 1 });
const tmp = mkdtempSync(path.join(os.tmpdir(), 'frontera-bench-ingest-'));
const urlsFile = path.join(tmp, 'urls.txt');
writeFileSync(urlsFile, farm.urls.join('\n') + '\n');
log(`feed farm: ${FEEDS} feeds × ${ITEMS} items on ${farm.hostMode} (${farm.urls[0]} …)`);

// The measured child runs the compiled dist/ with the worker's production flags (BENCH_FROM_SOURCES=1: tsx, sources).
const code = childCode();
const out: Record<string, unknown> = {
  bench: 'ingest',
  feeds: FEEDS,
  items_per_feed: ITEMS,
  items: FEEDS * ITEMS,
  host_mode: farm.hostMode,
  code,
  node_flags: code === 'dist' ? workerNodeFlags() : [],
  machine,
};
const failures: string[] = [];

const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function runFrontera(kind: 'postgres' | 'pglite', phase: 'cold' | 'warm', env: Record<string, string>): Promise<Record<string, unknown> | null> {
  farm.resetHits();
  const args = ['--phase', phase, '--urls-file', urlsFile, ...(process.env.BENCH_QUERY_STATS === '1' ? ['--query-stats'] : [])];
  const r = await runAppChild<RunResult>('bench/lib/ingest-run.ts', args, env);
  if (r.code !== 0 || !r.result) {
    failures.push(`${kind} ${phase}: exit ${r.code}`);
    log(`${kind} ${phase} FAILED (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
    return null;
  }
  const x = r.result;
  const hitsOk = farm.hits.every((h) => h === 1);
  if (!hitsOk) failures.push(`${kind} ${phase}: some feed was not fetched exactly once`);
  if (x.errors) failures.push(`${kind} ${phase}: ${x.errors} feed errors ${x.error_codes.join(',')}`);
  log(
    `${kind.padEnd(8)} ${phase}: ${(x.wall_ms / 1000).toFixed(2)} s wall, ${x.items_per_s} items/s, cpu ${(x.cpu_ms / 1000).toFixed(1)} s` +
      `${x.pg_backend_cpu_ms != null ? ` + PG backends ${(x.pg_backend_cpu_ms / 1000).toFixed(1)} s` : ''}` +
      `${x.child_cpu_ms ? ` + child processes ${(x.child_cpu_ms / 1000).toFixed(1)} s` : ''} (sampling ${x.sampler_ms ?? '?'} ms of it), peak RSS ${r.maxRssKb ? Math.round(r.maxRssKb / 1024) : '?'} MB${x.child_peak_pss_mb ? ` + child processes ${x.child_peak_pss_mb} MB (PSS)` : ''}; ` +
      `ok ${x.ok}, 304 ${x.not_modified}, errors ${x.errors}; seen ${x.items_seen}, created ${x.created}, linked ${x.linked}`,
  );
  if (x.top_queries) for (const q of x.top_queries) log(`    ${String(q.totalMs).padStart(7)} ms ${String(q.calls).padStart(6)}× ${q.shape}`);
  return {
    wall_ms: x.wall_ms,
    cpu_ms: x.cpu_ms,
    pg_backend_cpu_ms: x.pg_backend_cpu_ms,
    child_cpu_ms: x.child_cpu_ms ?? null,
    child_peak_pss_mb: x.child_peak_pss_mb ?? null,
    sampler_ms: x.sampler_ms ?? null,
    items_per_s: x.items_per_s,
    peak_rss_mb: r.maxRssKb ? round(r.maxRssKb / 1024) : null,
    sources: x.sources,
    ok: x.ok,
    not_modified: x.not_modified,
    errors: x.errors,
    items_seen: x.items_seen,
    created: x.created,
    linked: x.linked,
    each_feed_fetched_once: hitsOk,
    clustering_wired: x.clustering_wired,
    ...(x.top_queries ? { top_queries: x.top_queries } : {}),
  };
}

const threads = Number(process.env.BENCH_NEWSBOAT_THREADS ?? 8);
async function runNewsboat(): Promise<{ cold: Record<string, unknown>; warm: Record<string, unknown> } | null> {
  // BENCH_NEWSBOAT=0 leaves newsboat out (A/B runs of Frontera alone).
  if (process.env.BENCH_NEWSBOAT === '0' || !newsboatAvailable()) return null;
  const peer = new NewsboatPeer(farm.urls, threads);
  try {
    const res: Record<string, Record<string, unknown>> = {};
    for (const phase of ['cold', 'warm'] as const) {
      farm.resetHits();
      const r = await peer.reload();
      const hitsOk = farm.hits.every((h) => h === 1);
      log(
        `newsboat ${phase}: ${(r.wallMs / 1000).toFixed(2)} s wall (reload-threads ${threads}), cpu ${r.cpuMs != null ? (r.cpuMs / 1000).toFixed(1) : '?'} s, peak RSS ${r.maxRssKb ? Math.round(r.maxRssKb / 1024) : '?'} MB, ` +
          `${r.items} items in its cache; farm answered ${farm.stats.ok}×200 ${farm.stats.notModified}×304${r.code ? `, exit ${r.code}` : ''}`,
      );
      res[phase] = {
        wall_ms: Math.round(r.wallMs),
        cpu_ms: r.cpuMs,
        peak_rss_mb: r.maxRssKb ? round(r.maxRssKb / 1024) : null,
        items_stored: r.items,
        items_per_s: phase === 'cold' ? Math.round((FEEDS * ITEMS) / (r.wallMs / 1000)) : 0,
        answered_304: farm.stats.notModified,
        each_feed_fetched_once: hitsOk,
      };
    }
    return { cold: res.cold!, warm: res.warm! };
  } finally {
    peer.close();
  }
}

const reps: Array<{ postgres?: { cold: Record<string, unknown> | null; warm: Record<string, unknown> | null }; newsboat?: { cold: Record<string, unknown>; warm: Record<string, unknown> } | null }> = [];
try {
  const pgOk = DBS.includes('postgres') && (await pgAvailable());
  if (DBS.includes('postgres') && !pgOk) {
    log('PostgreSQL not reachable: skipping the postgres runs');
    out.postgres = { skipped: 'PostgreSQL not reachable' };
  }
  // PostgreSQL and newsboat runs alternate, so that load from other processes on the machine hits both alike.
  for (let rep = 0; rep < REPEAT; rep++) {
    log(`— round ${rep + 1}/${REPEAT}`);
    const round_: (typeof reps)[number] = {};
    if (pgOk) {
      const env = { DATABASE_URL: await freshDatabase(PG_DB) };
      const cold = await runFrontera('postgres', 'cold', env);
      const warm = cold ? await runFrontera('postgres', 'warm', env) : null;
      round_.postgres = { cold, warm };
      if (process.env.KEEP_DB !== '1' || rep < REPEAT - 1) await dropDatabase(PG_DB);
    }
    round_.newsboat = await runNewsboat();
    reps.push(round_);
  }
  if (DBS.includes('pglite')) {
    const env = { DATABASE_URL: '', DATA_DIR: path.join(tmp, 'pglite') };
    const cold = await runFrontera('pglite', 'cold', env);
    const warm = cold ? await runFrontera('pglite', 'warm', env) : null;
    out.pglite = { cold, warm };
    rmSync(path.join(tmp, 'pglite'), { recursive: true, force: true });
  }

  const pick = (get: (r: (typeof reps)[number]) => Record<string, unknown> | null | undefined) => {
    const runs = reps.map(get).filter((x): x is Record<string, unknown> => !!x);
    if (!runs.length) return null;
    const m = median(runs.map((x) => x.wall_ms as number));
    return { ...runs.find((x) => x.wall_ms === m)!, wall_ms_runs: runs.map((x) => x.wall_ms) };
  };
  if (pgOk) out.postgres = { cold: pick((r) => r.postgres?.cold), warm: pick((r) => r.postgres?.warm) };
  const nb = { cold: pick((r) => r.newsboat?.cold), warm: pick((r) => r.newsboat?.warm) };
  out.newsboat = nb.cold ? { threads, ...nb } : { skipped: 'newsboat not installed' };
  out.repeat = REPEAT;
  const wall = (x: unknown) => (x as { wall_ms?: number } | null | undefined)?.wall_ms;
  const ratio = (a: unknown, b: unknown) => (wall(a) && wall(b) ? round(wall(a)! / wall(b)!, 2) : null);
  const cpuOf = (x: unknown) => {
    const r = x as { cpu_ms?: number | null; pg_backend_cpu_ms?: number | null; child_cpu_ms?: number | null } | null | undefined;
    return r?.cpu_ms ? r.cpu_ms + (r.pg_backend_cpu_ms ?? 0) + (r.child_cpu_ms ?? 0) : null;
  };
  const cpuRatio = (a: unknown, b: unknown) => (cpuOf(a) && cpuOf(b) ? round(cpuOf(a)! / cpuOf(b)!, 2) : null);
  out.ratio_frontera_over_newsboat = {
    postgres_cold: ratio((out.postgres as { cold?: unknown } | undefined)?.cold, nb.cold),
    // Paired per round (same background load): the fairest single figure on a shared machine.
    postgres_cold_per_round: reps.map((r) => ratio(r.postgres?.cold, r.newsboat?.cold)),
    // CPU, not wall: Frontera's process, its child processes (translator) and its PostgreSQL backends against newsboat's process, per round.
    // Less sensitive to the machine than wall time (both sides are CPU-bound on two cores).
    postgres_cold_cpu_per_round: reps.map((r) => cpuRatio(r.postgres?.cold, r.newsboat?.cold)),
    pglite_cold: ratio((out.pglite as { cold?: unknown } | undefined)?.cold, nb.cold),
    postgres_warm: ratio((out.postgres as { warm?: unknown } | undefined)?.warm, nb.warm),
  };
  log(`ratio frontera/newsboat: ${JSON.stringify(out.ratio_frontera_over_newsboat)}`);
} finally {
  await farm.close();
  rmSync(tmp, { recursive: true, force: true });
}

const pgWarm = (out.postgres as { warm?: { wall_ms: number } } | undefined)?.warm?.wall_ms;
// Judged on the median of the per-round (paired) ratios: both ran under the same background load.
const perRound = ((out.ratio_frontera_over_newsboat as { postgres_cold_per_round?: Array<number | null> } | undefined)?.postgres_cold_per_round ?? []).filter(
  (x): x is number => x !== null,
);
const ratio = perRound.length ? median(perRound) : null;
out.targets = {
  postgres_cold_ratio_median_of_rounds: ratio,
  postgres_cold_vs_newsboat_le_1: ratio === null ? null : ratio <= 1,
  warm_under_5s: pgWarm === undefined ? null : pgWarm < WARM_TARGET_MS,
};
out.failures = failures;
console.log(JSON.stringify(out));
