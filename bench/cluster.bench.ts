// npm run bench:cluster — cost of placing one article (features + candidate lookup + decision + insert)
// with the in-memory StoryIndex as the store grows to 10k and 200k articles. Must stay flat: lookups walk
// bounded postings per sketch key and only stories inside the time window are scored.
// Synthetic articles are built from corpus headlines (AG News test set, else the Google News headlines);
// ~30 % of them are re-phrasings of a recent article so stories actually form.
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { articleFeatures } from '../src/cluster/features.js';
import { OnlineClusterer } from '../src/cluster/online-clusterer.js';
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

function run(sizes: number[], measure = 2000) {
  const c = new OnlineClusterer();
  const recent: { title: string; summary: string }[] = [];
  const results: { size: number; placeUs: number; featuresUs: number; minhashUs: number; stories: number }[] = [];
  let i = 0;
  for (const size of sizes) {
    while (i < size - measure) {
      const a = makeArticle(i, recent);
      c.place(`a${i}`, a);
      recent.push(a);
      if (recent.length > 50) recent.shift();
      i++;
    }
    // Measure the next `measure` placements at this size.
    const batch = Array.from({ length: measure }, (_, k) => makeArticle(i + k, recent));
    let tf = 0, tp = 0, tm = 0;
    for (const a of batch) {
      const s0 = process.hrtime.bigint();
      const f = articleFeatures(a, { idf: c.df.idf });
      const s1 = process.hrtime.bigint();
      c.place(`a${i}`, a, f);
      const s2 = process.hrtime.bigint();
      minhash(`${a.title} ${a.summary}`);
      const s3 = process.hrtime.bigint();
      tf += Number(s1 - s0); tp += Number(s2 - s0); tm += Number(s3 - s2);
      recent.push(a);
      if (recent.length > 50) recent.shift();
      i++;
    }
    const r = { size, placeUs: +(tp / measure / 1000).toFixed(1), featuresUs: +(tf / measure / 1000).toFixed(1), minhashUs: +(tm / measure / 1000).toFixed(1), stories: c.index.storyCount };
    const maxStory = Math.max(...c.index.listStories().map((x) => x.articleIds.length));
    const heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
    Object.assign(r, { maxStory, heapMb });
    results.push(r);
    console.log(`store ${String(size).padStart(7)} articles: place ${r.placeUs} µs/article (features ${r.featuresUs} µs), minhash ${r.minhashUs} µs (${Math.round(1e6 / r.minhashUs)} articles/s), live stories ${r.stories}, largest story ${maxStory}, heap ${heapMb} MB`);
  }
  return results;
}

const sizes = (process.env.BENCH_SIZES ?? '10000,200000').split(',').map(Number);
console.log(`corpus sentences: ${sentences.length}`);
const results = run(sizes);
const ratio = results.length > 1 ? +(results[results.length - 1].placeUs / results[0].placeUs).toFixed(2) : 1;
console.log(`ratio largest/smallest: ${ratio} (flat ≈ 1)`);
console.log(JSON.stringify({ bench: 'cluster', results, ratio }));
