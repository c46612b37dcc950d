// npm run bench:scale — cost per ingested item and uncached read latency at 10k, 100k and 1M stored articles
// (PostgreSQL). The store is grown with generate_series (lib/bulk-load.ts); at each size a fixed batch of
// 20 new feeds × 50 new items goes through refreshDueSources (createDeps: the whole pipeline), three times
// with fresh farms, and the median per-item cost is kept. Every statement is timed by shape; the slowest
// read statements are EXPLAIN ANALYZEd at each size, to show what grows.
// Reads (lib/read-latency.ts): the app (createApp, API_CACHE_ENTRIES=0, rate limit off) served over real HTTP on
// 127.0.0.1, one keep-alive connection, requests in sequence, p50/p99 per route: topic stories (first page and
// deep cursor pages), the RSS / Atom / JSON Feed of the whole beat and of its busiest topic, search for the
// commonest beat words, a story page (HTML and JSON).
// Targets: per-item cost and every route's p50/p99 at 1M within 1.5× of 10k; at 1M topic stories p50 ≤ 5 ms,
// p99 ≤ 20 ms, feeds p50 ≤ 10 ms, search p99 ≤ 50 ms, story page p50 ≤ 10 ms.
// Env: BENCH_SCALE_LEVELS (10000,100000,1000000), BENCH_SCALE_BATCHES (3; 0 = reads only), BENCH_SCALE_REQUESTS
// (100 per route), BENCH_SCALE_DB (frontera_bench_scale), KEEP_DB=1 (keep the store and reuse it next run). Ends with one JSON line {"bench":"scale",...}.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import '../db/client.js';
import { insertSources } from '../db/repositories/sources.repository.js';
import { loadConfig } from '../src/config.js';
import { createDeps, type Deps } from '../src/deps.js';
import { refreshDueSources } from '../src/services/refresh-feeds.js';
import { startFeedFarm } from './feed-farm/farm.js';
import { growBy, prepareBulk } from './lib/bulk-load.js';
import { machineInfo, round } from './lib/machine.js';
import { READ_TARGETS, measureReads, readRatios, serveApp, type ReadFigures, type Served } from './lib/read-latency.js';
import { repoRoot } from './lib/paths.js';
import { dropDatabase, freshDatabase, pgAvailable, reuseOrFreshDatabase } from './lib/pg-admin.js';
import { openPostgresWithStats, type StatsHandle } from './lib/query-stats.js';

const LEVELS = (process.env.BENCH_SCALE_LEVELS ?? '10000,100000,1000000').split(',').map(Number);
const BATCHES = Number(process.env.BENCH_SCALE_BATCHES ?? 3);
const REQUESTS = Number(process.env.BENCH_SCALE_REQUESTS ?? 100);
const FEEDS = 20;
const ITEMS = 50;
const DB = process.env.BENCH_SCALE_DB ?? 'frontera_bench_scale';
const log = (s: string) => process.stderr.write(s + '\n');
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);

const machine = await machineInfo();
if (!(await pgAvailable())) {
  console.log(JSON.stringify({ bench: 'scale', skipped: 'PostgreSQL not reachable' }));
  process.exit(0);
}
// KEEP_DB=1 keeps the grown store after the run and reuses it on the next (a level below its size is then
// measured at the store's size: the JSON's `articles` says so).
const { url, reused } = process.env.KEEP_DB === '1' ? await reuseOrFreshDatabase(DB) : { url: await freshDatabase(DB), reused: false };
if (reused) log(`reusing database ${DB}`);
const config = loadConfig({
  ALLOW_PRIVATE_SOURCES: 'true',
  HOST_MIN_INTERVAL_MS: '0',
  SEED_DEFAULT_SOURCES: 'false',
  LOG_LEVEL: 'warn',
  API_CACHE_ENTRIES: '0',
  RATE_LIMIT_PER_MINUTE: '0',
  ...process.env,
  DATABASE_URL: url,
});
const handle: StatsHandle = openPostgresWithStats(url);
const deps: Deps = await createDeps(config, { handle, seed: false });
const clustering = deps.clustering !== undefined;
const withBands = clustering || process.env.BENCH_SCALE_BANDS === '1';

let served: Served | null = null;
let apiNote: string | null = null;
if (existsSync(path.join(repoRoot, 'api/app.ts'))) {
  try {
    served = await serveApp(deps);
  } catch (e) {
    apiNote = `api/app.ts failed to load: ${(e as Error).message}`;
  }
} else apiNote = 'api/app.ts not present yet: API latency skipped';
if (apiNote) log(apiNote);

async function explainTop(n = 4): Promise<Array<{ shape: string; exec_ms: number | null; plan: string[] }>> {
  const reads = handle.top(50).filter((s) => /^(select|with|update)/i.test(s.shape)).slice(0, n);
  const out = [];
  for (const s of reads) {
    try {
      const plan = await deps.db.transaction().execute(async (trx) => {
        const r = await trx.executeQuery<{ 'QUERY PLAN': string }>({ sql: `EXPLAIN (ANALYZE, BUFFERS) ${s.sample.sql}`, parameters: s.sample.parameters, query: { kind: 'RawNode' } as never, queryId: { queryId: 'explain' } } as never);
        throw Object.assign(new Error('rollback'), { rows: r.rows.map((x) => x['QUERY PLAN']) });
      }).catch((e: { rows?: string[] }) => {
        if (e.rows) return e.rows;
        throw e;
      });
      const exec = plan.find((l) => l.startsWith('Execution Time'));
      out.push({ shape: s.shape.slice(0, 100), exec_ms: exec ? Number(exec.match(/([\d.]+) ms/)?.[1]) : null, plan: plan.filter((l) => !/^\s*(Planning|Execution|Buffers: shared hit=\d+$)/.test(l)).slice(0, 6).map((l) => l.trim()) });
    } catch (e) {
      out.push({ shape: s.shape.slice(0, 100), exec_ms: null, plan: [`EXPLAIN failed: ${(e as Error).message}`] });
    }
  }
  return out;
}

const levels: Array<Record<string, unknown>> = [];
let farmSeed = 1000;
try {
  log(`preparing texts and ${2000} bulk sources (clustering wired: ${clustering}; LSH bands in bulk: ${withBands})`);
  await prepareBulk(deps.db, deps.topics.map((t) => t.slug), withBands);
  for (const level of LEVELS) {
    log(`growing the store to ${level} articles …`);
    const count = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM articles`.execute(deps.db)).rows[0]!.n);
    const loadMs = level > count ? await growBy(deps.db, level - count, { withBands, log }) : 0;
    const size = (await sql<{ b: number }>`SELECT pg_database_size(current_database()) AS b`.execute(deps.db)).rows[0]!.b;
    log(`  ${level} articles in ${(loadMs / 1000).toFixed(0)} s; database ${(size / 2 ** 30).toFixed(2)} GB`);

    handle.reset();
    const batches: Array<{ ms: number; items: number; per_item_ms: number }> = [];
    // The first size also runs one untimed batch: JIT and connection warm-up would otherwise count as cost.
    const warmup = levels.length === 0 && BATCHES > 0 ? 1 : 0;
    for (let b = -warmup; b < BATCHES; b++) {
      const farm = await startFeedFarm({ feeds: FEEDS, itemsPerFeed: ITEMS, seed: farmSeed++, baseDate: new Date(Date.now() - 3600_000) });
      try {
        const added = await insertSources(deps.db, farm.urls.map((u) => ({ url: u })), deps.clock());
        const t0 = performance.now();
        const outcomes = await refreshDueSources(deps, { onlyIds: added.map((s) => s.id) });
        const ms = performance.now() - t0;
        const items = outcomes.reduce((n, o) => n + o.itemsSeen, 0);
        const errs = outcomes.filter((o) => o.outcome === 'error');
        if (errs.length) log(`  batch ${b}: ${errs.length} errors (${errs[0]!.errorCode})`);
        if (b >= 0) batches.push({ ms: Math.round(ms), items, per_item_ms: round(ms / Math.max(1, items), 3) });
        else handle.reset();
        // Park these sources so later batches and levels only fetch their own.
        await sql`UPDATE sources SET next_check_at = now() + interval '1 day' WHERE id = ANY(${added.map((s) => s.id)})`.execute(deps.db);
      } finally {
        await farm.close();
      }
    }
    const perItem = batches.length ? median(batches.map((b) => b.per_item_ms)) : null;
    const top = handle.top(8).map((s) => ({ shape: s.shape.slice(0, 110), calls: s.calls, total_ms: Math.round(s.totalMs), mean_ms: round(s.totalMs / s.calls, 2), max_ms: round(s.maxMs, 1) }));
    const explain = await explainTop();
    const articles = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM articles`.execute(deps.db)).rows[0]!.n);
    // Other work on the machine moves wall-clock latency more than store size does: recorded with each size.
    const loadBefore = os.loadavg()[0]!;
    const reads: ReadFigures | null = served ? await measureReads(deps.db, served.base, { requests: REQUESTS, dbName: DB, log, onStart: () => handle.reset() }) : null;
    // The read statements by total time, and the plans of the slowest: what grows on the read side.
    const readTop = handle.top(8).map((s) => ({ shape: s.shape.slice(0, 110), calls: s.calls, total_ms: Math.round(s.totalMs), mean_ms: round(s.totalMs / s.calls, 2), max_ms: round(s.maxMs, 1) }));
    const readExplain = reads ? await explainTop() : [];
    for (const e of readExplain) log(`    EXPLAIN read ${e.exec_ms} ms  ${e.shape}\n      ${e.plan.slice(0, 3).join('\n      ')}`);
    if (batches.length) log(`  ingest: ${batches.map((b) => `${b.ms} ms/${b.items}`).join(', ')} → median ${perItem} ms per item`);
    for (const q of top.slice(0, 5)) log(`    ${String(q.total_ms).padStart(6)} ms ${String(q.calls).padStart(5)}× (mean ${q.mean_ms}) ${q.shape}`);
    for (const e of explain) log(`    EXPLAIN ${e.exec_ms} ms  ${e.shape}\n      ${e.plan.slice(0, 3).join('\n      ')}`);
    levels.push({ level, articles, load_1m_reads: [round(loadBefore, 2), round(os.loadavg()[0]!, 2)], load_ms: Math.round(loadMs), db_gb: round(size / 2 ** 30, 2), per_item_ms: perItem, items_per_s: perItem ? Math.round(1000 / perItem) : null, batches, top_queries: top, explain, reads, read_top_queries: readTop, read_explain: readExplain });
  }
} finally {
  await served?.close();
  await deps.close();
  if (process.env.KEEP_DB !== '1') await dropDatabase(DB);
}
const first = levels[0]?.per_item_ms as number | undefined;
const last = levels.at(-1)?.per_item_ms as number | undefined;
const ratio = first && last ? round(last / first, 2) : null;
const firstReads = levels[0]?.reads as ReadFigures | null | undefined;
const lastReads = levels.at(-1)?.reads as ReadFigures | null | undefined;
const ratios = firstReads && lastReads && levels.length > 1 ? readRatios(firstReads, lastReads) : null;
console.log(
  JSON.stringify({
    bench: 'scale',
    machine,
    feeds_per_batch: FEEDS,
    items_per_feed: ITEMS,
    clustering_wired: clustering,
    api: served ? 'createApp over HTTP (127.0.0.1, one keep-alive connection, sequential), API_CACHE_ENTRIES=0' : apiNote,
    requests_per_route: REQUESTS,
    reused_store: reused,
    levels,
    per_item_ratio_last_vs_first: ratio,
    target_within_1_5x: ratio === null ? null : ratio <= 1.5,
    read_ratios_last_vs_first: ratios,
    read_targets: READ_TARGETS,
    read_targets_met_at_last: lastReads ? READ_TARGETS.map((t) => ({ ...t, value: lastReads.routes[t.route]?.[t.figure] ?? null, met: (lastReads.routes[t.route]?.[t.figure] ?? Infinity) <= t.max_ms })) : null,
  }),
);
