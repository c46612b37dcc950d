// npx tsx bench/render.bench.ts — rendering one 50-item topic feed (the API's default page) in each format, one
// core: what a response-cache miss on /feeds/<topic>.{rss,atom,json} costs after the queries.
// Ends with one JSON line: {"bench":"render","items":50,"rss_ms":…,"atom_ms":…,"json_ms":…,…}.
import { renderAtom } from '../src/render/atom.js';
import { renderJsonFeed } from '../src/render/json-feed.js';
import { renderRss } from '../src/render/rss.js';
import type { TopicFeed } from '../src/render/topic-feed-model.js';
import { benchTopicFeed } from './lib/render-fixture.js';

const ITEMS = 50;
const ROUNDS = 9;
const WINDOW_MS = 300;
const feed = benchTopicFeed(ITEMS);
const formats = { rss: renderRss, atom: renderAtom, json: renderJsonFeed } satisfies Record<string, (f: TopicFeed) => string>;

/** Mean ms per render over one window. */
function window(render: (f: TopicFeed) => string): number {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < WINDOW_MS) {
    render(feed);
    n++;
  }
  return (performance.now() - start) / n;
}

for (const render of Object.values(formats)) for (let i = 0; i < 300; i++) render(feed);
// Formats take turns within each round, so a burst of load on the machine touches all of them alike.
const runs: Record<string, number[]> = {};
for (let r = 0; r < ROUNDS; r++) for (const [name, render] of Object.entries(formats)) (runs[name] ??= []).push(window(render));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const out: Record<string, unknown> = { bench: 'render', items: ITEMS };
for (const [name, render] of Object.entries(formats)) {
  const ms = median(runs[name]!);
  const kb = Buffer.byteLength(render(feed)) / 1024;
  console.log(`${name.padEnd(4)} ${ms.toFixed(3)} ms per feed (median of ${ROUNDS} × ${WINDOW_MS} ms), ${kb.toFixed(0)} KiB`);
  out[`${name}_ms`] = Number(ms.toFixed(3));
  out[`${name}_kib`] = Math.round(kb);
}
console.log(JSON.stringify(out));
