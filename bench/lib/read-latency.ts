// Uncached read latency for bench:scale: the app (createApp with the deps' config, which the bench sets to
// API_CACHE_ENTRIES=0 and no rate limit) listening on 127.0.0.1, one keep-alive connection, requests in
// sequence, so each figure is one request's server time plus a loopback round trip. Inputs that must vary
// to stay uncached and realistic (deep cursors, story ids) are picked from the database at each size.
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import type { Deps } from '../../src/deps.js';
import { encodeKeyset } from '../../api/cursor.js';
import { round } from './machine.js';
import { startPgCpuSampler } from './pg-cpu.js';

/** Common words of the beat, in both languages: the searches that read the most candidates. */
const SEARCH_WORDS = ['cartel', 'frontera', 'border', 'cártel', 'fentanyl'];

export interface Served {
  base: string;
  close(): Promise<void>;
}

export async function serveApp(deps: Deps): Promise<Served> {
  const { createApp } = await import('../../api/app.js');
  const app = createApp(deps);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server)) as Server;
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface RouteFigures {
  /** One example of the paths requested (the others differ by cursor or id). */
  path: string;
  variants: number;
  requests: number;
  /** Responses other than 200 (the route is broken or the input is wrong: the figures mean nothing). */
  non_200: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  mean_bytes: number;
  /** CPU per request, robust to other load on the machine: this process (server and its in-process client) … */
  node_cpu_ms: number;
  /** … and the database's backends (Linux /proc, 10 ms ticks: meaningful over the whole route's run). */
  pg_cpu_ms: number | null;
}

export interface ReadFigures {
  routes: Record<string, RouteFigures>;
  /** What the inputs were: the deep cursors' offsets, the sampled stories' sizes. */
  inputs: Record<string, unknown>;
}

/** The issue's read targets at 1M articles. */
export const READ_TARGETS: Array<{ route: string; figure: 'p50_ms' | 'p99_ms'; max_ms: number }> = [
  { route: 'topic_stories_all', figure: 'p50_ms', max_ms: 5 },
  { route: 'topic_stories_all', figure: 'p99_ms', max_ms: 20 },
  { route: 'topic_stories_deep', figure: 'p50_ms', max_ms: 5 },
  { route: 'topic_stories_deep', figure: 'p99_ms', max_ms: 20 },
  { route: 'topic_stories_topic', figure: 'p50_ms', max_ms: 5 },
  { route: 'topic_stories_topic', figure: 'p99_ms', max_ms: 20 },
  { route: 'feed_all_rss', figure: 'p50_ms', max_ms: 10 },
  { route: 'feed_all_atom', figure: 'p50_ms', max_ms: 10 },
  { route: 'feed_all_json', figure: 'p50_ms', max_ms: 10 },
  { route: 'feed_topic_rss', figure: 'p50_ms', max_ms: 10 },
  ...SEARCH_WORDS.map((w) => ({ route: `search_${w}`, figure: 'p99_ms' as const, max_ms: 50 })),
  { route: 'story_html', figure: 'p50_ms', max_ms: 10 },
  { route: 'story_json', figure: 'p50_ms', max_ms: 10 },
];

/** The commonest beat words, in both languages, one with an accent. */

/** Nearest-rank percentile. */
function pct(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)]!;
}


async function timeRoute(base: string, dbName: string, paths: string[], requests: number): Promise<RouteFigures> {
  const times: number[] = [];
  let non200 = 0;
  let bytes = 0;
  // Untimed first requests: code paths compile (at the first size, JIT would otherwise count as cost) and the
  // connection opens.
  for (let i = 0; i < Math.max(20, paths.length); i++) await (await fetch(base + paths[i % paths.length])).arrayBuffer();
  // The pool's backends live through the run: sampled at the start and the end only (a sample walks /proc).
  const pg = startPgCpuSampler(dbName, 3_600_000);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < requests; i++) {
    const p = paths[i % paths.length]!;
    const t = performance.now();
    const res = await fetch(base + p);
    const body = await res.arrayBuffer();
    times.push(performance.now() - t);
    if (res.status !== 200) non200++;
    bytes += body.byteLength;
  }
  const cpu = process.cpuUsage(cpu0);
  const pgMs = pg.stop();
  times.sort((a, b) => a - b);
  return {
    path: paths[0]!,
    variants: paths.length,
    requests,
    non_200: non200,
    p50_ms: round(pct(times, 0.5), 2),
    p99_ms: round(pct(times, 0.99), 2),
    max_ms: round(times.at(-1)!, 2),
    mean_bytes: Math.round(bytes / requests),
    node_cpu_ms: round((cpu.user + cpu.system) / 1000 / requests, 2),
    pg_cpu_ms: pgMs === null ? null : round(pgMs / requests, 2),
  };
}

export async function measureReads(db: Db, base: string, opts: { requests: number; dbName: string; log?: (s: string) => void; onStart?: () => void }): Promise<ReadFigures> {
  const onBeat = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM stories WHERE merged_into IS NULL AND relevance = 'on_beat'`.execute(db)).rows[0]!.n);
  // Deep pages: cursors at 10%, 30%, 50%, 70% and 90% of the on-beat stories (a reader paging back months).
  const deep: string[] = [];
  const offsets = [0.1, 0.3, 0.5, 0.7, 0.9].map((f) => Math.floor(onBeat * f));
  for (const off of offsets) {
    const r = (
      await sql<{ micros: string; id: string }>`
        SELECT (extract(epoch FROM event_at) * 1000000)::int8 AS micros, id FROM stories
        WHERE merged_into IS NULL AND relevance = 'on_beat' ORDER BY event_at DESC, id DESC OFFSET ${off} LIMIT 1`.execute(db)
    ).rows[0];
    if (r) deep.push(`/v1/topics/all/stories?cursor=${encodeKeyset({ micros: Number(r.micros), id: Number(r.id) }, 'e')}`);
  }
  // The busiest topic: the one whose first page and feed read the most rows.
  const topic =
    (
      await sql<{ t: string }>`
        SELECT t FROM stories, unnest(topics) t WHERE merged_into IS NULL AND relevance = 'on_beat'
        GROUP BY t ORDER BY count(*) DESC LIMIT 1`.execute(db)
    ).rows[0]?.t ?? 'all';
  // Story pages: 50 on-beat stories spread over the store (hash order), their sizes as production has them.
  const stories = (
    await sql<{ id: string; n: number }>`
      SELECT id, article_count AS n FROM stories WHERE merged_into IS NULL AND relevance = 'on_beat'
      ORDER BY hashint8(id) LIMIT 50`.execute(db)
  ).rows;
  const routes: Record<string, string[]> = {
    topic_stories_all: ['/v1/topics/all/stories'],
    topic_stories_deep: deep,
    topic_stories_topic: [`/v1/topics/${topic}/stories`],
    feed_all_rss: ['/feeds/all.rss'],
    feed_all_atom: ['/feeds/all.atom'],
    feed_all_json: ['/feeds/all.json'],
    feed_topic_rss: [`/feeds/${topic}.rss`],
    ...Object.fromEntries(SEARCH_WORDS.map((w) => [`search_${w}`, [`/v1/search?q=${encodeURIComponent(w)}`]])),
    story_html: stories.map((s) => `/stories/${s.id}`),
    story_json: stories.map((s) => `/v1/stories/${s.id}`),
  };
  opts.onStart?.();
  const out: Record<string, RouteFigures> = {};
  for (const [name, paths] of Object.entries(routes)) {
    if (paths.length === 0) continue;
    const f = await timeRoute(base, opts.dbName, paths, opts.requests);
    out[name] = f;
    opts.log?.(`    ${name.padEnd(20)} p50 ${String(f.p50_ms).padStart(7)} ms  p99 ${String(f.p99_ms).padStart(7)} ms  cpu ${f.node_cpu_ms}+${f.pg_cpu_ms} ms  ${f.mean_bytes} B${f.non_200 ? `  ${f.non_200} non-200!` : ''}`);
  }
  const sizes = stories.map((s) => Number(s.n)).sort((a, b) => a - b);
  return {
    routes: out,
    inputs: { on_beat_stories: onBeat, deep_offsets: offsets, topic, story_sizes: { min: sizes[0], median: sizes[Math.floor(sizes.length / 2)], max: sizes.at(-1) } },
  };
}

/** last/first per route: p50, p99 and CPU per request (node + PostgreSQL). */
export function readRatios(first: ReadFigures, last: ReadFigures): Record<string, { p50: number; p99: number; cpu: number }> {
  const out: Record<string, { p50: number; p99: number; cpu: number }> = {};
  const cpu = (r: RouteFigures) => r.node_cpu_ms + (r.pg_cpu_ms ?? 0);
  for (const [name, l] of Object.entries(last.routes)) {
    const f = first.routes[name];
    if (f) out[name] = { p50: round(l.p50_ms / f.p50_ms, 2), p99: round(l.p99_ms / f.p99_ms, 2), cpu: round(cpu(l) / cpu(f), 2) };
  }
  return out;
}
