// npm run bench:memory — one ~20 MB feed (thousands of items with full content) ingested by the real worker
// (`jobs/run.ts refresh-feeds`, PostgreSQL); its peak RSS (getrusage maxrss) must stay under 300 MB.
// FETCH_MAX_BYTES defaults to 10 MiB, so the run raises it (BENCH_MAX_BYTES, default 64 MiB).
// A second run adds 20 ordinary feeds to the same pass, so the reader thread is up (a long-running worker
// has it up after its first small feed) while the large feed is read on the main thread, window by window.
// Env: BENCH_FEED_MB (20), KEEP_DB=1. Ends with one JSON line {"bench":"memory",...}.
import { startFeedFarm } from './feed-farm/farm.js';
import { machineInfo, round } from './lib/machine.js';
import { dropDatabase, pgAvailable } from './lib/pg-admin.js';
import { freshMigratedDb } from './lib/setup-db.js';
import { childCode, runAppChild, workerNodeFlags } from './lib/child.js';
import { workerEnv, type RefreshSummary } from './lib/worker.js';

const TARGET_MB = Number(process.env.BENCH_FEED_MB ?? 20);
const LIMIT_MB = 300;
const DB = 'frontera_bench_memory';
const log = (s: string) => process.stderr.write(s + '\n');

const machine = await machineInfo();
if (!(await pgAvailable())) {
  console.log(JSON.stringify({ bench: 'memory', skipped: 'PostgreSQL not reachable' }));
  process.exit(0);
}
// ~4.6 KB per item with a 4,000-byte content body: size the item count to the target.
const CONTENT = 4000;
const probe = await startFeedFarm({ feeds: 1, itemsPerFeed: 200, contentBytes: CONTENT, seed: 3, gzip: false, hosts: 'single' });
const perItem = (await (await fetch(probe.urls[0]!)).arrayBuffer()).byteLength / 200;
await probe.close();
const items = Math.ceil((TARGET_MB * 1024 * 1024) / perItem);
const farm = await startFeedFarm({ feeds: 1, itemsPerFeed: items, contentBytes: CONTENT, seed: 3, hosts: 'single', syndicatedShare: 0 });
const res = await fetch(farm.urls[0]!, { headers: { 'accept-encoding': 'identity' } });
const bodyBytes = (await res.arrayBuffer()).byteLength;
farm.resetHits();
log(`one feed: ${items} items, ${(bodyBytes / 2 ** 20).toFixed(1)} MB (${farm.feedInfo(0).format})`);

// The worker runs as `npm run start:worker` and the compose worker do: the compiled dist/ with start:worker's Node
// flags on the command line (128 MB old space, 4 MB semi-spaces, --heap-growing-percent=50, which Node refuses in
// NODE_OPTIONS). BENCH_WORKER_NODE_OPTIONS='…' runs it with those flags instead, in NODE_OPTIONS ('' for V8's
// defaults); BENCH_FROM_SOURCES=1 runs the sources under tsx with the heap limits in NODE_OPTIONS.
const OVERRIDE = process.env.BENCH_WORKER_NODE_OPTIONS;
const WORKER_NODE_OPTIONS = OVERRIDE ?? (childCode() === 'sources' ? '--max-old-space-size=128 --max-semi-space-size=4' : undefined);
const env = (url: string) =>
  workerEnv(url, { FETCH_MAX_BYTES: process.env.BENCH_MAX_BYTES ?? String(64 * 2 ** 20), FETCH_TIMEOUT_MS: '120000', ...(WORKER_NODE_OPTIONS !== undefined ? { NODE_OPTIONS: WORKER_NODE_OPTIONS } : {}) });
const runRefreshWorker = (e: Record<string, string>) =>
  runAppChild<RefreshSummary>('jobs/run.ts', ['refresh-feeds'], e, OVERRIDE !== undefined ? { nodeFlags: [] } : {});
let out: Record<string, unknown>;
try {
  // Baseline: the same worker with nothing due (startup, migrations check, classifier rules).
  const idle = await runRefreshWorker(env(await freshMigratedDb(DB, [])));
  const url = await freshMigratedDb(DB, farm.urls);
  const r = await runRefreshWorker(env(url));
  const s = r.result;
  const peak = r.maxRssKb ? round(r.maxRssKb / 1024) : null;
  log(`worker: exit ${r.code}, ${s ? `${s.created + s.linked} items stored, ${s.errors} errors, pass ${s.duration_ms} ms` : r.stderr.slice(-1000)}; peak RSS ${peak} MB (idle worker ${idle.maxRssKb ? round(idle.maxRssKb / 1024) : '?'} MB)`);

  // The same feed with ordinary feeds in the same pass: the reader thread runs meanwhile.
  const small = await startFeedFarm({ feeds: 20, itemsPerFeed: 50, seed: 4 });
  let withThread: { peak: number | null; stored: number | null; errors: number | null; code: number | null };
  try {
    farm.resetHits();
    const rt = await runRefreshWorker(env(await freshMigratedDb(DB, [...small.urls, ...farm.urls])));
    withThread = { peak: rt.maxRssKb ? round(rt.maxRssKb / 1024) : null, stored: rt.result ? rt.result.created + rt.result.linked : null, errors: rt.result?.errors ?? null, code: rt.code };
    log(`worker with 20 more feeds (reader thread up): exit ${rt.code}, ${withThread.stored} items stored, ${withThread.errors} errors; peak RSS ${withThread.peak} MB`);
  } finally {
    await small.close();
  }
  out = {
    bench: 'memory',
    machine,
    feed_bytes: bodyBytes,
    feed_mb: round(bodyBytes / 2 ** 20),
    items,
    items_stored: s ? s.created + s.linked : null,
    errors: s?.errors ?? null,
    pass_ms: s?.duration_ms ?? null,
    peak_rss_mb: peak,
    idle_worker_peak_rss_mb: idle.maxRssKb ? round(idle.maxRssKb / 1024) : null,
    peak_rss_mb_with_reader_thread: withThread.peak,
    items_stored_with_reader_thread: withThread.stored,
    errors_with_reader_thread: withThread.errors,
    limit_mb: LIMIT_MB,
    under_limit: peak !== null && peak < LIMIT_MB && withThread.peak !== null && withThread.peak < LIMIT_MB,
    exit_code: r.code,
    worker_node_options: WORKER_NODE_OPTIONS ?? workerNodeFlags().join(' '),
    code: childCode(),
  };
} finally {
  await farm.close();
  if (process.env.KEEP_DB !== '1') await dropDatabase(DB);
}
console.log(JSON.stringify(out!));
