// npm run bench:cluster — cost of placing one article with the shipped placer (src/cluster/place-articles.ts:
// features, wire-copy check, candidate lookup, decision, write) over the in-memory store (the SQL store's
// twin, proved identical by test/integration/cluster-memory-store.test.ts) as the store grows to 10k, 200k
// and 1M articles (BENCH_SIZES). Must stay flat: lookups read bounded postings per key inside the window.
// Synthetic articles are built from corpus headlines (AG News test set, else the Google News headlines);
// ~30 % of them are re-phrasings of a recent article so stories actually form.
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MemoryClusterStore } from '../src/cluster/memory-store.js';
import { placeArticles, type ClusterInput } from '../src/cluster/place-articles.js';
import { minhash } from '../src/dedup/fingerprint.js';
import { defaultCorpusDir, parseCsv } from './eval-clusters-lib.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = defaultCorpusDir(repoRoot);

function loadSentences(): string[] {
  const ag = path.join(corpus, 'headlines/ag-news-test/test.csv');
  if (existsSync(ag)) return parseCsv(readFileSync(ag, 'utf8')).flatMap((r) => r.slice(1, 3)).filter((s) => s.length > 20);
  const g = path.join(corpus, 'derived/google-news-top-stories-2022-07-28.related-coverage.jsonl');
  if (existsSync(g)) return readFileSync(g, 'utf8').split('\n').filter(Boolean).flatMap((l) => (JSON.parse(l) as { members: { headline: string }[] }).members.map((m) => m.headline));
  return ['Sheinbaum rejects any US intervention as cartel leaders are sent to the United States'];
}

let seed = 12345;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];

const sentences = loadSentences();
const words = sentences.join(' ').split(/\s+/).filter((w) => w.length > 2);
const MINUTE = 60_000;
const t0 = Date.parse('2026-01-01T00:00:00Z');

function makeArticle(i: number, recent: { title: string; summary: string }[]) {
  const publishedAt = new Date(t0 + i * MINUTE); // one article a minute: ~4,300 inside a 72 h window
  if (recent.length > 0 && rnd() < 0.3) {
    const base = pick(recent);
    const tw = base.title.split(' ');
    tw[Math.floor(rnd() * tw.length)] = pick(words);
    return { title: tw.join(' '), summary: base.summary, lang: 'en', publishedAt };
  }
  const title = `${pick(sentences).slice(0, 90)} ${pick(words)} ${pick(words)}`;
  const summary = `${pick(sentences)} ${pick(sentences)}`;
  return { title, summary, lang: 'en', publishedAt };
}

/** Articles placed per call, as a feed's new items are in ingest. */
const BATCH = 50;

async function run(sizes: number[], measure = 2000) {
  const store = new MemoryClusterStore();
  const recent: { title: string; summary: string }[] = [];
  const results: { size: number; placeUs: number; minhashUs: number; stories: number; heapMb: number }[] = [];
  let i = 0;
  const next = (): ClusterInput => {
    const a = makeArticle(i, recent);
    recent.push(a);
    if (recent.length > 50) recent.shift();
    i++;
    return { id: i, title: a.title, summaryText: a.summary, lang: a.lang, entities: [], publishedAt: a.publishedAt, relevance: 'on_beat' };
  };
  const placeBatch = async (batch: ClusterInput[]) => {
    store.addArticles(batch);
    await placeArticles(store, batch, batch[batch.length - 1]!.publishedAt);
  };
  for (const size of sizes) {
    while (i < size - measure) await placeBatch(Array.from({ length: Math.min(BATCH, size - measure - i) }, next));
    // Measure the next `measure` placements at this size.
    let tp = 0, tm = 0;
    for (let k = 0; k < measure; k += BATCH) {
      const batch = Array.from({ length: BATCH }, next);
      const s0 = process.hrtime.bigint();
      await placeBatch(batch);
      const s1 = process.hrtime.bigint();
      for (const a of batch) minhash(`${a.title} ${a.summaryText}`);
      const s2 = process.hrtime.bigint();
      tp += Number(s1 - s0); tm += Number(s2 - s1);
    }
    const heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
    const r = { size, placeUs: +(tp / measure / 1000).toFixed(1), minhashUs: +(tm / measure / 1000).toFixed(1), stories: store.liveStories, heapMb };
    results.push(r);
    console.log(`store ${String(size).padStart(7)} articles: place ${r.placeUs} µs/article (all steps, batches of ${BATCH}), minhash alone ${r.minhashUs} µs, live stories ${r.stories}, heap ${heapMb} MB`);
  }
  return results;
}

const sizes = (process.env.BENCH_SIZES ?? '10000,200000').split(',').map(Number);
console.log(`corpus sentences: ${sentences.length}`);
const results = await run(sizes);
const ratio = results.length > 1 ? +(results[results.length - 1]!.placeUs / results[0]!.placeUs).toFixed(2) : 1;
console.log(`ratio largest/smallest: ${ratio} (flat ≈ 1)`);
console.log(JSON.stringify({ bench: 'cluster', results, ratio }));
