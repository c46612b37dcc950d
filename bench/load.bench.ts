// npm run bench:load — 60 s of autocannon at 256 connections against the API (api/server.ts startApi) while a
// worker process ingests the local feed farm (sources made due every few seconds, feeds growing), on
// PostgreSQL (fresh database frontera_bench_load). Passes when no response is a 5xx; reports p50/p90/p99.
// Env: BENCH_DURATION_S (60), BENCH_CONNECTIONS (256), BENCH_FEEDS (200), BENCH_ITEMS (20), BENCH_PG_URL, KEEP_DB=1.
// Ends with one JSON line {"bench":"load",...}. Skips (exit 0, "skipped") without the API or PostgreSQL.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { insertSources } from '../db/repositories/sources.repository.js';
import { loadConfig } from '../src/config.js';
import { createDeps } from '../src/deps.js';
import { refreshDueSources } from '../src/services/refresh-feeds.js';
import { startFeedFarm } from './feed-farm/farm.js';
import { dropDatabase, freshDatabase, pgAvailable } from './lib/pg-admin.js';
import { repoRoot } from './lib/paths.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 60);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 256);
const FEEDS = Number(process.env.BENCH_FEEDS ?? 200);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 20);
const DB_NAME = 'frontera_bench_load';
const log = (s: string) => process.stderr.write(s + '\n');
const done = (o: Record<string, unknown>, code = 0): never => {
  console.log(JSON.stringify({ bench: 'load', ...o }));
  process.exit(code);
};

const serverModule = path.join(repoRoot, 'api/server.ts');
if (!existsSync(serverModule)) done({ skipped: 'api/server.ts not present yet' });
if (!(await pgAvailable())) done({ skipped: 'PostgreSQL not reachable (BENCH_PG_URL or 127.0.0.1:5432): the API and the worker share one database' });

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

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
const deps = await createDeps(loadConfig({ ...process.env, ...env }));
const farm = await startFeedFarm({ feeds: FEEDS, itemsPerFeed: ITEMS, seed: 7, latencyMs: 20, growEvery: 2 });
await insertSources(deps.db, farm.urls.map((url) => ({ url })), new Date(Date.now() - 1000));
log(`farm: ${FEEDS} feeds × ${ITEMS} items (${farm.hostMode}); first ingest…`);
const first = await refreshDueSources(deps);
const articles = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM articles`.execute(deps.db)).rows[0]!.n);
const articlesBefore = await articles();
log(`first ingest: ${first.length} sources, ${articlesBefore} articles`);

const { startApi } = (await import(pathToFileURL(serverModule).href)) as { startApi: (d: typeof deps) => Promise<() => Promise<void>> };
const closeApi = await startApi(deps);

// Ingest under load: a separate worker process (as deployed), every feed made due again every 5 s (the farm
// grows on every second request, so passes store new items, not only 304s).
const worker = spawn(process.execPath, ['--import', 'tsx', 'jobs/main.ts', '--no-api'], { cwd: repoRoot, env: { ...process.env, ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
let workerOut = '';
worker.stdout.on('data', (d) => (workerOut += d));
worker.stderr.on('data', (d) => (workerOut += d));
const due = setInterval(() => void sql`UPDATE sources SET next_check_at = now()`.execute(deps.db).catch(() => {}), 5000);

const topic = deps.topics[0]?.slug ?? 'all';
const paths = ['/v1/articles?limit=20', '/v1/topics', '/v1/search?q=border', '/feeds/all.rss', `/v1/topics/${topic}/stories`, '/healthz', '/', `/feeds/${topic}.json`];
log(`autocannon: ${DURATION_S} s, ${CONNECTIONS} connections, ${paths.length} paths round-robin, ingest running`);
const result = await autocannon({
  url: `http://127.0.0.1:${port}`,
  connections: CONNECTIONS,
  duration: DURATION_S,
  requests: paths.map((p) => ({ method: 'GET', path: p })),
  timeout: 10,
});

clearInterval(due);
worker.kill('SIGTERM');
const workerCode = await new Promise<number | null>((r) => worker.once('exit', (c) => r(c)));
const articlesAfter = await articles();
const passes = (workerOut.match(/"refresh_pass"/g) ?? []).length;
await closeApi();
await farm.close();
await deps.close();
if (!process.env.KEEP_DB) await dropDatabase(DB_NAME).catch(() => {});

const summary = {
  duration_s: DURATION_S,
  connections: CONNECTIONS,
  requests: result.requests.total,
  rps_avg: Math.round(result.requests.average),
  latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  status: { '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] },
  errors: result.errors,
  timeouts: result.timeouts,
  ingest: { worker_exit: workerCode, passes, articles_before: articlesBefore, articles_after: articlesAfter },
  zero_5xx: result['5xx'] === 0,
};
log(JSON.stringify(summary, null, 2));
done(summary, result['5xx'] === 0 && result.errors === 0 && workerCode === 0 ? 0 : 1);
