// npm run bench:scale-out — 1, 2 and 4 worker processes (`node --import tsx jobs/run.ts refresh-feeds`)
// against one PostgreSQL on a farm of 2,000 feeds: throughput, and proof that no feed was fetched twice
// (farm hit counts), no article was stored twice (dedup_key) and, when clustering is wired, that stories
// are consistent and the syndicated copies of a wire story did not open several stories.
// Env: BENCH_FEEDS (2000), BENCH_ITEMS (25), BENCH_WORKERS (1,2,4), KEEP_DB=1.
// Ends with one JSON line {"bench":"scale-out",...}.
import { sql } from 'kysely';
import { openDb } from '../db/client.js';
import { startFeedFarm } from './feed-farm/farm.js';
import { machineInfo, round } from './lib/machine.js';
import { dropDatabase, pgAvailable } from './lib/pg-admin.js';
import { freshMigratedDb } from './lib/setup-db.js';
import { runRefreshWorker, workerEnv } from './lib/worker.js';

const FEEDS = Number(process.env.BENCH_FEEDS ?? 2000);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 25);
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const DB = 'frontera_bench_scaleout';
const log = (s: string) => process.stderr.write(s + '\n');

const machine = await machineInfo();
if (!(await pgAvailable())) {
  log('PostgreSQL not reachable: scale-out needs it (PGlite serves one process)');
  console.log(JSON.stringify({ bench: 'scale-out', skipped: 'PostgreSQL not reachable' }));
  process.exit(0);
}
const farm = await startFeedFarm({ feeds: FEEDS, itemsPerFeed: ITEMS, seed: 7 });
log(`feed farm: ${FEEDS} feeds × ${ITEMS} items on ${farm.hostMode}`);

// Wire stories: the syndicated copies each feed serves, by wire id.
const wire = new Map<string, string[]>();
for (let i = 0; i < FEEDS; i++) for (const it of farm.itemsOf(i)) if (it.wireId) wire.set(it.wireId, [...(wire.get(it.wireId) ?? []), it.link]);
const wireGroups = [...wire.values()].filter((l) => l.length > 1);

const runs: Array<Record<string, unknown>> = [];
const failures: string[] = [];
try {
  for (const n of WORKERS) {
    const url = await freshMigratedDb(DB, farm.urls);
    farm.resetHits();
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: n }, () => runRefreshWorker(workerEnv(url))));
    const wallMs = performance.now() - t0;

    const bad = results.filter((r) => r.code !== 0 || !r.result);
    if (bad.length) failures.push(`${n} workers: ${bad.length} worker(s) failed: ${bad.map((b) => b.stderr.slice(-500)).join(' | ')}`);
    const per = results.map((r) => r.result!).filter(Boolean);
    const fetchedTwice = farm.hits.filter((h) => h > 1).length;
    const notFetched = farm.hits.filter((h) => h === 0).length;

    const h = await openDb({ databaseUrl: url });
    let checks: Record<string, unknown>;
    try {
      const c = await sql<Record<string, number>>`
        SELECT (SELECT count(*) FROM articles) AS articles,
               (SELECT count(*) FROM source_items) AS source_items,
               (SELECT count(*) FROM (SELECT dedup_key FROM articles GROUP BY 1 HAVING count(*) > 1) d) AS dup_dedup_keys,
               (SELECT count(*) FROM (SELECT source_id, item_key FROM source_items GROUP BY 1, 2 HAVING count(*) > 1) d) AS dup_source_items,
               (SELECT count(*) FROM stories) AS stories,
               (SELECT count(*) FROM articles WHERE story_id IS NOT NULL) AS articles_in_stories,
               (SELECT count(*) FROM (SELECT first_article_id FROM stories WHERE first_article_id IS NOT NULL AND merged_into IS NULL GROUP BY 1 HAVING count(*) > 1) d) AS dup_story_seeds,
               (SELECT count(*) FROM (SELECT 1 FROM articles a JOIN stories s ON s.id = a.story_id WHERE s.merged_into IS NOT NULL) d) AS articles_in_merged_stories,
               (SELECT count(*) FROM stories s WHERE s.merged_into IS NULL
                  AND s.article_count <> (SELECT count(*) FROM articles a WHERE a.story_id = s.id)) AS stories_bad_count`.execute(h.db);
      checks = { ...c.rows[0]! };
      if (Number(checks.stories) > 0) {
        // A wire story's copies (different URLs, small edits) should share one story.
        const links = wireGroups.flat();
        const rows = await sql<{ url: string; story_id: number | null }>`SELECT url, story_id FROM articles WHERE url = ANY(${links})`.execute(h.db);
        const storyOf = new Map(rows.rows.map((r) => [r.url, r.story_id]));
        let split = 0;
        for (const g of wireGroups) if (new Set(g.map((l) => storyOf.get(l))).size > 1) split++;
        checks.wire_groups = wireGroups.length;
        checks.wire_groups_split_across_stories = split;
      } else checks.clustering = 'not wired (stories table empty): story checks skipped';
    } finally {
      await h.close();
    }
    const items = per.reduce((s, p) => s + p.created + p.linked, 0);
    const passMs = Math.max(...per.map((p) => p.duration_ms));
    const run = {
      workers: n,
      wall_ms: Math.round(wallMs),
      pass_ms: passMs,
      items_stored: items,
      items_per_s_wall: Math.round(items / (wallMs / 1000)),
      items_per_s_pass: Math.round(items / (passMs / 1000)),
      sources_per_worker: per.map((p) => p.sources),
      peak_rss_mb_per_worker: results.map((r) => (r.maxRssKb ? round(r.maxRssKb / 1024) : null)),
      feeds_fetched_twice: fetchedTwice,
      feeds_not_fetched: notFetched,
      errors: per.reduce((s, p) => s + p.errors, 0),
      ...checks,
    };
    if (fetchedTwice || notFetched) failures.push(`${n} workers: ${fetchedTwice} feeds fetched twice, ${notFetched} not fetched`);
    if (Number(checks.dup_dedup_keys) || Number(checks.dup_source_items) || Number(checks.dup_story_seeds) || Number(checks.stories_bad_count) || Number(checks.articles_in_merged_stories))
      failures.push(`${n} workers: duplicates ${JSON.stringify(checks)}`);
    runs.push(run);
    log(
      `${n} worker(s): ${(wallMs / 1000).toFixed(1)} s wall (pass ${(passMs / 1000).toFixed(1)} s), ${run.items_per_s_wall} items/s; ` +
        `sources per worker ${run.sources_per_worker.join('+')}; fetched twice ${fetchedTwice}, missed ${notFetched}; ${JSON.stringify(checks)}`,
    );
  }
} finally {
  await farm.close();
  if (process.env.KEEP_DB !== '1') await dropDatabase(DB);
}
const base = runs[0] as { items_per_s_wall: number } | undefined;
console.log(
  JSON.stringify({
    bench: 'scale-out',
    feeds: FEEDS,
    items_per_feed: ITEMS,
    machine,
    runs,
    speedup_vs_1: runs.map((r) => round((r.items_per_s_wall as number) / (base?.items_per_s_wall ?? 1), 2)),
    failures,
  }),
);
