// npm run bench:load — autocannon at 256 connections against the compiled API while a worker ingests the local
// feed farm (sources made due every few seconds, feeds growing), on PostgreSQL (a fresh database).
// Every part runs in its own process, as deployed: the API (`node dist/api/main.js`), the worker
// (`node dist/jobs/main.js --no-api`, start:worker's flags) and the feed farm; this process is the load generator
// only, so the figures are the server's and not the client's. dist/ is built first when older than the sources.
// Each path is requested once before the window (warm cache). The goal: p99 ≤ 250 ms, no 5xx, no errors or
// timeouts. Exit 1 on a 5xx, an error or a failed worker.
// Beside autocannon's figures, the API's own (bench/lib/process-stats.mjs, over the load window): CPU, event-loop
// delay, GC pauses, and per path the server-side time; the worker's CPU and the PostgreSQL backends' CPU.
// Env: BENCH_DURATION_S (60), BENCH_CONNECTIONS (256), BENCH_FEEDS (200), BENCH_ITEMS (20), BENCH_PG_URL,
//      BENCH_DB_NAME (frontera_bench_load), BENCH_API_ENV='K=V …' (extra API env, e.g. API_CACHE_ENTRIES=0),
//      BENCH_API_NODE_FLAGS='--flag …' (the API's Node flags, e.g. --cpu-prof --cpu-prof-dir=DIR), KEEP_DB=1.
// Ends with one JSON line {"bench":"load",...}. Skips (exit 0, "skipped") without PostgreSQL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { insertSources } from '../db/repositories/sources.repository.js';
import { loadConfig } from '../src/config.js';
import { createDeps } from '../src/deps.js';
import { workerNodeFlags } from './lib/child.js';
import { machineInfo } from './lib/machine.js';
import { dropDatabase, freshDatabase, pgAvailable } from './lib/pg-admin.js';
import { startPgCpuSampler } from './lib/pg-cpu.js';
import { repoRoot } from './lib/paths.js';
import { freePort } from '../test/helpers/net.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 60);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 256);
const FEEDS = Number(process.env.BENCH_FEEDS ?? 200);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 20);
const DB_NAME = process.env.BENCH_DB_NAME ?? 'frontera_bench_load';
const P99_GOAL_MS = 250;
const log = (s: string) => process.stderr.write(s + '\n');
const done = (o: Record<string, unknown>, code = 0): never => {
  console.log(JSON.stringify({ bench: 'load', ...o }));
  process.exit(code);
};

function parseEnvList(s: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of (s ?? '').split(/\s+/).filter(Boolean)) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new Error(`BENCH_API_ENV: expected K=V pairs separated by spaces, got "${kv}"`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

if (!(await pgAvailable())) done({ skipped: 'PostgreSQL not reachable (BENCH_PG_URL or 127.0.0.1:5432): the API and the worker share one database' });
const apiExtraEnv = parseEnvList(process.env.BENCH_API_ENV);

const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
if (build.status !== 0) throw new Error(`building dist/ failed (exit ${build.status ?? build.signal}): the bench measures the compiled entry points`);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'frontera-bench-load-'));
const STATS = path.join(repoRoot, 'bench/lib/process-stats.mjs');
const children: ChildProcess[] = [];
/** Spawns a child that is killed if this process dies first; its output is kept (and echoed when it fails). */
function start(name: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const out = { text: '' };
  child.stdout!.on('data', (d) => (out.text += d));
  child.stderr!.on('data', (d) => (out.text += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  void exited.then((c) => {
    if (c !== 0 && c !== null) log(`${name} exited ${c}:\n${out.text.slice(-4000)}`);
  });
  return { child, out, exited, name };
}
process.once('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});
const waitFor = async (what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
const readStats = (file: string): Record<string, unknown> | null => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
};

// The farm: its own process, feeds prerendered, 20 ms latency, each feed growing by one item every second request.
const urlsFile = path.join(tmp, 'urls.txt');
const farm = start('feed farm', ['--import', 'tsx', 'bench/feed-farm/main.ts', '--feeds', String(FEEDS), '--items', String(ITEMS), '--seed', '7', '--latency', '20', '--grow-every', '2', '--urls-file', urlsFile], {});
await waitFor('the feed farm', () => existsSync(urlsFile) && readFileSync(urlsFile, 'utf8').trim().split('\n').length === FEEDS, 60_000);
const urls = readFileSync(urlsFile, 'utf8').trim().split('\n');

const dbUrl = await freshDatabase(DB_NAME);
const port = await freePort();
const env = {
  DATABASE_URL: dbUrl,
  HOST: '127.0.0.1',
  PORT: String(port),
  LOG_LEVEL: 'warn',
  SEED_DEFAULT_SOURCES: 'false',
  ALLOW_PRIVATE_SOURCES: 'true',
  HOST_MIN_INTERVAL_MS: '0',
  RATE_LIMIT_PER_MINUTE: '0', // one client IP (autocannon) would otherwise be limited: we measure the server
  REFRESH_CRON: '*/2 * * * * *',
};
// Migrations and the sources; nothing of the app stays open here once the load starts.
const setup = await createDeps(loadConfig({ ...process.env, ...env }));
await insertSources(setup.db, urls.map((url) => ({ url })), new Date(Date.now() - 1000));
const topicSlug = setup.topics[0]?.slug ?? 'all';
await setup.close();
const client = new pg.Client({ connectionString: dbUrl });
await client.connect();
const articles = async () => Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM articles')).rows[0]!.n);

// The worker as start:worker runs it; its first pass (at start) is the first ingest.
const workerStats = path.join(tmp, 'worker.json');
const worker = start('worker', [`--import=${STATS}`, ...workerNodeFlags(), 'dist/jobs/main.js', '--no-api'], { ...env, LOG_LEVEL: 'info', BENCH_STATS_FILE: workerStats });
const passes = () => (worker.out.text.match(/"refresh_pass"/g) ?? []).length;
log(`farm: ${FEEDS} feeds × ${ITEMS} items; first ingest by the worker…`);
await waitFor('the worker’s first refresh pass', () => passes() >= 1, 300_000);
const articlesBefore = await articles();
log(`first ingest: ${articlesBefore} articles`);

const serverStats = path.join(tmp, 'api.json');
const apiFlags = (process.env.BENCH_API_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
const api = start('api', [...apiFlags, `--import=${STATS}`, 'dist/api/main.js'], { ...env, ...apiExtraEnv, BENCH_STATS_FILE: serverStats, BENCH_ROUTE_TIMES: '1' });
await waitFor(
  'the API',
  async () => {
    if (api.child.exitCode !== null) throw new Error(`the API exited ${api.child.exitCode}:\n${api.out.text.slice(-2000)}`);
    return fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
  },
  60_000,
);

// Every feed made due again every 5 s (the farm grows on every second request, so passes store new items).
const due = setInterval(() => void client.query('UPDATE sources SET next_check_at = now()').catch(() => {}), 5000);
const paths = ['/v1/articles?limit=20', '/v1/topics', '/v1/search?q=border', '/feeds/all.rss', `/v1/topics/${topicSlug}/stories`, '/healthz', '/', `/feeds/${topicSlug}.json`];
// One request per path first: the window measures steady state during ingest, not a cold start (where every
// connection's first request for a path waits for that path's first render).
for (const p of paths) {
  const r = await fetch(`http://127.0.0.1:${port}${p}`);
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`warm-up: GET ${p} answered ${r.status}`);
}
const load1 = os.loadavg()[0]!;
log(`autocannon: ${DURATION_S} s, ${CONNECTIONS} connections, ${paths.length} paths round-robin, ingest running (load ${load1.toFixed(2)})`);
const passesBefore = passes();
const benchCpu0 = process.cpuUsage();
// autocannon's latencies include this process's own waits for a CPU: its main thread's run-queue time, in ms.
const runQueueMs = () => {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return NaN;
  }
};
const benchWait0 = runQueueMs();
const pgCpu = startPgCpuSampler(DB_NAME);
api.child.kill('SIGUSR2');
worker.child.kill('SIGUSR2');
const result = await autocannon({
  url: `http://127.0.0.1:${port}`,
  connections: CONNECTIONS,
  duration: DURATION_S,
  requests: paths.map((p) => ({ method: 'GET', path: p })),
  timeout: 10,
});
const pgCpuMs = pgCpu.stop();
const benchCpu = process.cpuUsage(benchCpu0);
const benchWaitMs = Math.round(runQueueMs() - benchWait0);
clearInterval(due);
const passesDuring = passes() - passesBefore;

worker.child.kill('SIGTERM');
api.child.kill('SIGTERM');
const [workerCode, apiCode] = await Promise.all([worker.exited, api.exited]);
farm.child.kill('SIGTERM');
await farm.exited;
const articlesAfter = await articles();
await client.end();
if (!process.env.KEEP_DB) await dropDatabase(DB_NAME).catch(() => {});
const apiFigures = readStats(serverStats);
const workerFigures = readStats(workerStats);
rmSync(tmp, { recursive: true, force: true });

const p99 = result.latency.p99;
const summary = {
  duration_s: DURATION_S,
  connections: CONNECTIONS,
  requests: result.requests.total,
  rps_avg: Math.round(result.requests.average),
  latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99, max: result.latency.max },
  status: { '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] },
  errors: result.errors,
  timeouts: result.timeouts,
  p99_goal_ms: P99_GOAL_MS,
  goal_met: p99 <= P99_GOAL_MS && result['5xx'] === 0 && result.errors === 0 && result.timeouts === 0,
  api: apiFigures && { exit: apiCode, ...apiFigures },
  worker: { exit: workerCode, passes_during_load: passesDuring, cpu_ms: workerFigures?.cpu_ms ?? null, main_thread_ms: workerFigures?.main_thread_ms ?? null, max_rss_mb: workerFigures?.max_rss_mb ?? null },
  pg_backend_cpu_ms: pgCpuMs,
  load_generator: { cpu_ms: Math.round((benchCpu.user + benchCpu.system) / 1000), waiting_for_cpu_ms: Number.isNaN(benchWaitMs) ? null : benchWaitMs },
  articles: { before: articlesBefore, after: articlesAfter },
  api_env: apiExtraEnv,
  load_avg_1m_at_start: Math.round(load1 * 100) / 100,
  load_avg_1m_at_end: Math.round(os.loadavg()[0]! * 100) / 100,
  machine: await machineInfo(),
  zero_5xx: result['5xx'] === 0,
};
log(JSON.stringify(summary, null, 2));
done(summary, result['5xx'] === 0 && result.errors === 0 && workerCode === 0 ? 0 : 1);
