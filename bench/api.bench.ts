// `npm run bench:api`: HTTP throughput and latency of the API against PostgreSQL with ≥ 100k articles.
//
// Database: DATABASE_URL, else `frontera_bench` on postgres://postgres@127.0.0.1:5432 (created and filled
// on first run — multi-row INSERT … SELECT generate_series — and reused while it holds the data).
// The server is the compiled one production runs (`node dist/api/main.js`, dist/ rebuilt first when older than
// the sources, as `npm run start:api` does), in a child process so autocannon does not share its event loop.
// Beside it a bare Hono app (bench/bare-hono.mjs: @hono/node-server, one GET /healthz) is measured the same way
// in the same run: `healthz_vs_bare` is the app's uncached /healthz req/s ÷ the bare one's, the cost of the app's
// middleware on a trivial route. Each route gets 10 s of autocannon (10 connections) with the response cache on,
// then again with it off (API_CACHE_ENTRIES=0) to show the uncached cost. Ends with one JSON line {"bench":"api",...}.
// BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ARTICLES override the defaults; BENCH_PASSES=uncached skips the cached
// pass and BENCH_ROUTES=healthz,topicStories measures only those routes (quick runs while iterating).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { openDb } from '../db/client.js';
import { migrateToLatest } from '../db/migrator.js';
import { repoRoot } from './shared-dir.js';
import { freePort } from '../test/helpers/net.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 120_000);
const STORIES = Math.round(ARTICLES / 4);
const SOURCES = 40;
const PASSES = new Set((process.env.BENCH_PASSES ?? 'cached,uncached').split(',').map((s) => s.trim()));
for (const p of PASSES) if (p !== 'cached' && p !== 'uncached') throw new Error(`BENCH_PASSES: unknown pass ${p} (cached, uncached)`);

async function benchDatabaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const admin = 'postgres://postgres@127.0.0.1:5432/postgres';
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    const r = await c.query(`SELECT 1 FROM pg_database WHERE datname = 'frontera_bench'`);
    if (r.rowCount === 0) await c.query('CREATE DATABASE frontera_bench');
  } finally {
    await c.end();
  }
  return 'postgres://postgres@127.0.0.1:5432/frontera_bench';
}

const TOPICS = ['border-security', 'cartel-violence', 'fentanyl-trafficking', 'cartel-designations', 'diplomacy-sovereignty', 'us-military-action', 'extradition-justice', 'arms-trafficking'];

async function fill(url: string): Promise<{ articles: number; stories: number; seconds: number }> {
  const h = await openDb({ databaseUrl: url, poolSize: 2 });
  const db = h.db;
  try {
    await migrateToLatest(db);
    const have = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM articles`.execute(db)).rows[0]!.n);
    if (have >= ARTICLES) {
      const st = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM stories`.execute(db)).rows[0]!.n);
      return { articles: have, stories: st, seconds: 0 };
    }
    const t0 = performance.now();
    await sql`TRUNCATE sources, articles, source_items, stories RESTART IDENTITY CASCADE`.execute(db);
    await sql`
      INSERT INTO sources (url, name, lang, next_check_at, fetch_count, not_modified_count, items_stored, last_status, last_fetched_at)
      SELECT 'https://feeds.example/' || i || '.xml', 'Outlet ' || i, CASE WHEN i % 2 = 0 THEN 'es' ELSE 'en' END,
             now(), 100, i, 3000, 200, now()
      FROM generate_series(1, ${SOURCES}) i`.execute(db);
    // Stories: one per ~4 articles, activity spread over 90 days, 85% on-beat, 1–2 topics each.
    await sql`
      INSERT INTO stories (headline, first_published_at, last_published_at, first_seen_at, last_updated_at,
                           article_count, outlet_count, lang_counts, topics, relevance)
      SELECT 'Story ' || i || ': cartel operation near the border',
             now() - (i || ' minutes')::interval - interval '6 hours', now() - (i || ' minutes')::interval,
             now() - (i || ' minutes')::interval - interval '6 hours', now() - (i || ' minutes')::interval * 3,
             4, 3, '{"en":2,"es":2}'::jsonb,
             ARRAY[(${TOPICS}::text[])[1 + i % 8], (${TOPICS}::text[])[1 + (i / 8) % 8]],
             CASE WHEN i % 7 = 0 THEN 'adjacent' ELSE 'on_beat' END
      FROM generate_series(1, ${STORIES}) i`.execute(db);
    // Articles, in chunks so each statement stays small; every 5th mentions "cartel", half are Spanish.
    const chunk = 20_000;
    for (let from = 1; from <= ARTICLES; from += chunk) {
      const to = Math.min(ARTICLES, from + chunk - 1);
      await sql`
        INSERT INTO articles (dedup_key, url, canonical_url, title, summary_html, summary_text, lang, published_at, first_seen_at,
                              content_hash, first_source_id, relevance, score, topics, entities, evidence, story_id)
        SELECT 'k' || i, 'https://news.example/a/' || i, 'https://news.example/a/' || i,
               CASE WHEN i % 2 = 0
                 THEN (CASE WHEN i % 5 = 0 THEN 'Detienen a operador del cártel en Sinaloa ' ELSE 'Aseguran armamento en Tamaulipas ' END) || i
                 ELSE (CASE WHEN i % 5 = 1 THEN 'Cartel operative arrested in Sinaloa ' ELSE 'Border agents seize weapons in Texas ' END) || i END,
               '<p>Summary ' || i || '</p>',
               CASE WHEN i % 2 = 0 THEN 'Las autoridades informaron sobre el operativo de seguridad número ' || i
                    ELSE 'Officials described the security operation number ' || i || ' near the border' END,
               CASE WHEN i % 2 = 0 THEN 'es' ELSE 'en' END,
               now() - ((i / 4) || ' minutes')::interval, now() - ((i / 4) || ' minutes')::interval,
               md5(i::text), 1 + i % ${SOURCES}, 'on_beat', 5, ARRAY[(${TOPICS}::text[])[1 + (i / 4) % 8]],
               jsonb_build_array(jsonb_build_object('id', 'place:p' || (i % 50), 'kind', 'place', 'name', 'P', 'matched', 'P'),
                                 jsonb_build_object('id', 'organization:o' || (i % 30), 'kind', 'organization', 'name', 'O', 'matched', 'O')),
               '[]'::jsonb, 1 + (i - 1) % ${STORIES}
        FROM generate_series(${from}::int, ${to}::int) i`.execute(db);
    }
    await sql`
      INSERT INTO source_items (source_id, item_key, article_id, content_hash)
      SELECT first_source_id, 'k' || id, id, content_hash FROM articles`.execute(db);
    await sql`
      UPDATE stories s SET first_article_id = a.first_id, first_source_id = a.src, article_count = a.n
      FROM (SELECT story_id, min(id) AS first_id, min(first_source_id) AS src, count(*) AS n FROM articles GROUP BY story_id) a
      WHERE a.story_id = s.id`.execute(db);
    await sql`ANALYZE`.execute(db);
    return { articles: ARTICLES, stories: STORIES, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await h.close();
  }
}

/** dist/ as `npm run start:api` would find it: compiled again when older than the sources. */
function buildIfStale(): void {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`scripts/build.mjs --if-stale failed (exit ${r.status ?? r.signal})`);
}

async function startProcess(script: string, readyPath: string, env: Record<string, string>, what: string): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    cwd: repoRoot,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200 && child.exitCode === null; i++) {
    try {
      if ((await fetch(base + readyPath)).ok) return { base, child };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`${what} did not become ready${child.exitCode !== null ? ` (exited ${child.exitCode})` : ''}`);
}

function startServer(url: string, extraEnv: Record<string, string>): Promise<{ base: string; child: ChildProcess }> {
  const env = { DATABASE_URL: url, RATE_LIMIT_PER_MINUTE: '0', SEED_DEFAULT_SOURCES: 'false', LOG_LEVEL: 'warn', ...extraEnv };
  return startProcess('dist/api/main.js', '/readyz', env, 'API');
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

interface RouteResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  firstMs: number;
  /** The server process's CPU time (user + system) per request answered: steadier than req/s on a shared machine. */
  cpuUsPerReq: number | null;
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); null elsewhere. */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3: utime and stime are fields 14 and 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux architecture node runs on

const ALL_ROUTES: Record<string, string> = {
  healthz: '/healthz',
  topicStories: '/v1/topics/all/stories',
  rss: '/feeds/all.rss',
  search: '/v1/search?q=cartel',
};
const ROUTES: Record<string, string> = process.env.BENCH_ROUTES
  ? Object.fromEntries(
      process.env.BENCH_ROUTES.split(',').map((n) => {
        const path = ALL_ROUTES[n.trim()];
        if (!path) throw new Error(`BENCH_ROUTES: unknown route ${n} (${Object.keys(ALL_ROUTES).join(', ')})`);
        return [n.trim(), path];
      }),
    )
  : ALL_ROUTES;

async function measure(base: string, path: string, server: ChildProcess): Promise<RouteResult> {
  const t0 = performance.now();
  const first = await fetch(base + path);
  await first.arrayBuffer();
  const firstMs = performance.now() - t0;
  if (!first.ok) throw new Error(`${path}: ${first.status}`);
  const cpu0 = processCpuMs(server.pid);
  const r = await autocannon({ url: base + path, connections: CONNECTIONS, duration: SECONDS });
  const cpu1 = processCpuMs(server.pid);
  const answered = r.requests.total;
  return {
    cpuUsPerReq: cpu0 !== null && cpu1 !== null && answered > 0 ? Math.round(((cpu1 - cpu0) * 1000 * 10) / answered) / 10 : null,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    firstMs: Math.round(firstMs * 10) / 10,
  };
}

async function runAll(url: string, label: string, env: Record<string, string>): Promise<Record<string, RouteResult>> {
  const { base, child } = await startServer(url, env);
  const out: Record<string, RouteResult> = {};
  try {
    for (const [name, path] of Object.entries(ROUTES)) {
      out[name] = await measure(base, path, child);
      const r = out[name]!;
      console.log(
        `${label.padEnd(9)} ${path.padEnd(26)} ${String(r.rps).padStart(6)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(3)} ms  cpu ${r.cpuUsPerReq} µs/req  first ${r.firstMs} ms  errors ${r.errors} non2xx ${r.non2xx}`,
      );
    }
  } finally {
    await stopServer(child);
  }
  return out;
}

/** The bare Hono app's /healthz, measured like the app's routes. */
async function runBare(): Promise<RouteResult> {
  const { base, child } = await startProcess('bench/bare-hono.mjs', '/healthz', {}, 'bare Hono server');
  try {
    const r = await measure(base, '/healthz', child);
    console.log(`bare      ${'/healthz'.padEnd(26)} ${String(r.rps).padStart(6)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(3)} ms  cpu ${r.cpuUsPerReq} µs/req`);
    return r;
  } finally {
    await stopServer(child);
  }
}

const url = await benchDatabaseUrl();
buildIfStale();
const data = await fill(url);
console.log(`data: ${data.articles} articles, ${data.stories} stories${data.seconds ? ` (generated in ${data.seconds.toFixed(1)} s)` : ' (reused)'}; ${SECONDS} s per route, ${CONNECTIONS} connections`);
const cached = PASSES.has('cached') ? await runAll(url, 'cached', {}) : undefined;
// Right before the uncached pass, whose first route is /healthz: the two are measured under the same load.
const bare = ROUTES['healthz'] && PASSES.has('uncached') ? await runBare() : undefined;
const uncached = PASSES.has('uncached') ? await runAll(url, 'uncached', { API_CACHE_ENTRIES: '0' }) : undefined;
const round2 = (x: number) => Math.round(x * 100) / 100;
const ratio = (r: Record<string, RouteResult> | undefined) => (r?.['topicStories'] && r['healthz'] ? round2(r['topicStories'].rps / r['healthz'].rps) : null);
const healthzVsBare = bare && uncached?.['healthz'] ? round2(uncached['healthz'].rps / bare.rps) : null;
// The same ratio in server CPU per request (bare ÷ app): what the middleware costs, whatever else the machine runs.
const appCpu = uncached?.['healthz']?.cpuUsPerReq;
const healthzCpuVsBare = bare?.cpuUsPerReq && appCpu ? round2(bare.cpuUsPerReq / appCpu) : null;
console.log(
  JSON.stringify({
    bench: 'api',
    articles: data.articles,
    stories: data.stories,
    seconds: SECONDS,
    connections: CONNECTIONS,
    server: 'dist/api/main.js',
    cached,
    uncached,
    bare,
    healthz_vs_bare: healthzVsBare,
    healthz_cpu_vs_bare: healthzCpuVsBare,
    topicFeedVsTrivial: ratio(cached),
    topicFeedVsTrivialUncached: ratio(uncached),
    goalMet: cached?.['topicStories'] ? ratio(cached)! >= 0.5 && cached['topicStories'].p99 < 50 : null,
    healthzGoalMet: healthzVsBare === null ? null : healthzVsBare >= 0.5,
  }),
);
