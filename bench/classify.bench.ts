// npm run bench:classify — classifier throughput on the labelled items + 2026 feed items, one core.
// Ends with one JSON line: {"bench":"classify","articles_per_s":...}.
import { createClassifier, loadRules } from '../src/beat/index.js';
import { farmItem, feedInfo, type FarmSpec } from './feed-farm/build.js';
import { loadTextPools } from './lib/corpus-text.js';
import { Corpus, defaultLabelsFile, joinLabels, readLabels } from './eval-relevance-lib.js';
import { findSharedDir, SHARED_MISSING_MESSAGE } from './shared-dir.js';

const shared = findSharedDir();
if (!shared) {
  console.log(SHARED_MISSING_MESSAGE);
  console.log(JSON.stringify({ bench: 'classify', skipped: true }));
  process.exit(0);
}
const corpus = new Corpus(shared);
const labelled = joinLabels(readLabels(defaultLabelsFile(shared)), corpus).items.map((i) => ({ title: i.title, text: i.text, lang: i.label.lang }));
const feeds = corpus.allFeedItems().map((i) => ({ title: i.title, text: i.text, lang: null }));
const articles = [...labelled, ...feeds];
const avgBytes = articles.reduce((n, a) => n + Buffer.byteLength(a.title + a.text), 0) / articles.length;

const t0 = performance.now();
const classify = createClassifier(loadRules());
const compileMs = performance.now() - t0;

// Warm up, then time whole passes for at least ~3 s.
for (let i = 0; i < 20; i++) for (const a of articles) classify(a);
let n = 0;
let onBeat = 0;
const start = performance.now();
while (performance.now() - start < 3000) {
  for (const a of articles) if (classify(a).relevance === 'on_beat') onBeat++;
  n += articles.length;
}
const secs = (performance.now() - start) / 1000;
const rate = n / secs;
console.log(`${articles.length} distinct articles (${labelled.length} labelled + ${feeds.length} feed items), avg ${avgBytes.toFixed(0)} bytes`);
console.log(`compiled rules in ${compileMs.toFixed(1)} ms; classified ${n} articles in ${secs.toFixed(2)} s → ${rate.toFixed(0)} articles/s (${((onBeat / n) * 100).toFixed(1)}% on_beat)`);

// ~1 KB articles: the shared items are short summaries, so also time a padded version.
const padded = articles.slice(0, 200).map((a) => ({ ...a, text: (a.text + ' ').repeat(Math.max(1, Math.ceil(1000 / (a.text.length + 1)))).slice(0, 1000) }));
let m = 0;
const s2 = performance.now();
while (performance.now() - s2 < 2000) {
  for (const a of padded) classify(a);
  m += padded.length;
}
const rate1k = m / ((performance.now() - s2) / 1000);
console.log(`~1 KB bodies: ${rate1k.toFixed(0)} articles/s`);

// The cold pass of bench:ingest classifies the farm's 500 × 50 items once, each in a fresh process or thread
// (rules compiled once per thread): the CPU of exactly that work, to compare with that bench's cold CPU.
const spec: FarmSpec = { feeds: 500, itemsPerFeed: 50, seed: 1, syndicatedShare: 0.1, spanishShare: 0.3, contentBytes: 0, baseDate: new Date('2026-11-20T12:00:00Z') };
const pools = loadTextPools(spec.seed);
const farmItems: { title: string; text: string; lang: string }[] = [];
for (let i = 0; i < spec.feeds; i++) {
  const f = feedInfo(spec, i);
  for (let k = 0; k < spec.itemsPerFeed; k++) {
    const it = farmItem(spec, pools, f, k);
    farmItems.push({ title: it.title, text: [it.description, it.category ?? ''].join('\n'), lang: f.lang });
  }
}
const cpu0 = process.cpuUsage();
const fresh = createClassifier(loadRules());
let farmOnBeat = 0;
for (const it of farmItems) if (fresh(it).relevance === 'on_beat') farmOnBeat++;
const cpu = process.cpuUsage(cpu0);
const farmCpuMs = (cpu.user + cpu.system) / 1000;
console.log(`farm items (bench:ingest's cold pass): ${farmItems.length} classified in ${farmCpuMs.toFixed(0)} ms of CPU, rules compile included (${farmOnBeat} on_beat)`);
console.log(JSON.stringify({
  bench: 'classify', articles_per_s: Math.round(rate), articles_per_s_1kb: Math.round(rate1k), distinct_articles: articles.length,
  avg_bytes: Math.round(avgBytes), compile_ms: Math.round(compileMs), farm_items: farmItems.length, farm_classify_cpu_ms: Math.round(farmCpuMs),
}));
