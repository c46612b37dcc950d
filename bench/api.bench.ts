// `npm run bench:api`: HTTP throughput and latency of the API against PostgreSQL with ≥ 100k articles.
//
// Database: DATABASE_URL, else `frontera_bench` on postgres://postgres@127.0.0.1:5432 (created and filled
// on first run — multi-row INSERT … SELECT generate_series — and reused while it holds the data).
// The server runs in a child process (`api/main.ts`) so autocannon does not share its event loop.
// Each route gets 10 s of autocannon (10 connections) with the response cache on, then again with it
// off (API_CACHE_ENTRIES=0) to show the uncached cost. Ends with one JSON line {"bench":"api",...}.
// BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ARTICLES override the defaults.
import { spawn, type ChildProcess } from 'node:child_process';
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

async function startServer(url: string, extraEnv: Record<string, string>): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: url,
      HOST: '127.0.0.1',
      PORT: String(port),
      RATE_LIMIT_PER_MINUTE: '0',
      SEED_DEFAULT_SOURCES: 'false',
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { base, child };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('API did not become ready');
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
}

const ROUTES: Record<string, string> = {
  healthz: '/healthz',
  topicStories: '/v1/topics/all/stories',
  rss: '/feeds/all.rss',
  search: '/v1/search?q=cartel',
};

async function measure(base: string, path: string): Promise<RouteResult> {
  const t0 = performance.now();
  const first = await fetch(base + path);
  await first.arrayBuffer();
  const firstMs = performance.now() - t0;
  if (!first.ok) throw new Error(`${path}: ${first.status}`);
  const r = await autocannon({ url: base + path, connections: CONNECTIONS, duration: SECONDS });
  return {
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
      out[name] = await measure(base, path);
      const r = out[name]!;
      console.log(
        `${label.padEnd(9)} ${path.padEnd(26)} ${String(r.rps).padStart(6)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(3)} ms  first ${r.firstMs} ms  errors ${r.errors} non2xx ${r.non2xx}`,
      );
    }
  } finally {
    await stopServer(child);
  }
  return out;
}

const url = await benchDatabaseUrl();
const data = await fill(url);
console.log(`data: ${data.articles} articles, ${data.stories} stories${data.seconds ? ` (generated in ${data.seconds.toFixed(1)} s)` : ' (reused)'}; ${SECONDS} s per route, ${CONNECTIONS} connections`);
const cached = await runAll(url, 'cached', {});
const uncached = await runAll(url, 'uncached', { API_CACHE_ENTRIES: '0' });
const ratio = (r: Record<string, RouteResult>) => Math.round((r['topicStories']!.rps / r['healthz']!.rps) * 100) / 100;
console.log(
  JSON.stringify({
    bench: 'api',
    articles: data.articles,
    stories: data.stories,
    seconds: SECONDS,
    connections: CONNECTIONS,
    cached,
    uncached,
    topicFeedVsTrivial: ratio(cached),
    topicFeedVsTrivialUncached: ratio(uncached),
    goalMet: ratio(cached) >= 0.5 && cached['topicStories']!.p99 < 50,
  }),
);
