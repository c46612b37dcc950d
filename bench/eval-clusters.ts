// npm run eval:clusters [-- --gnews FILE] [--semeval FILE] [--corpus DIR]
// Near-duplicate + event-clustering evaluation, model vs a naive title-Jaccard baseline. Placement runs the
// shipped path: articles stored in PGlite, placed by clusterArticles, stories read back (the in-memory store
// is checked to give the identical partition). Ends with one JSON line of figures: {"eval":"clusters", ...}.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CLUSTER_OPTIONS } from '../src/cluster/decide.js';
import { closeTranslation, configureTranslation, processTranslator } from '../src/runtime/translate/index.js';
import {
  backgroundDocuments, bcubed, defaultCorpusDir, evalGnews, evalReplay, evalSemeval, loadGnews, modelClusters, semevalHeldOut, shuffled,
} from './eval-clusters-lib.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const corpus = arg('corpus') ?? defaultCorpusDir(repoRoot);
const gnewsFile = arg('gnews') ?? path.join(corpus, 'derived/google-news-top-stories-2022-07-28.related-coverage.jsonl');
const semevalFile = arg('semeval') ?? path.join(corpus, 'semeval2022-task8-news-similarity/training_set.en-es.csv');

const pct = (x: number) => x.toFixed(3);
// TRANSLATOR=off|auto|apertium as for the app (default auto: Apertium when installed).
configureTranslation((process.env.TRANSLATOR as 'auto' | 'apertium' | 'off' | undefined) ?? 'auto');
const figures: Record<string, unknown> = {
  eval: 'clusters', path: 'shipped (PGlite, clusterArticles)', joinThreshold: DEFAULT_CLUSTER_OPTIONS.joinThreshold,
  pairThresholds: DEFAULT_CLUSTER_OPTIONS.pairThresholds,
};

if (existsSync(gnewsFile)) {
  const g = await evalGnews(gnewsFile, {}, true);
  // Online clustering depends on arrival order: report the spread over several shuffles too.
  const data = loadGnews(gnewsFile);
  const seeds = [1, 2, 3, 7, 42, 99, 123, 2024];
  const f1OverOrders = async (batch?: number) => {
    const out: number[] = [];
    for (const s of seeds) out.push(bcubed((await modelClusters(shuffled(data.items, s), {}, false, undefined, batch)).assignment, data.gold).f1);
    return out;
  };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const f1s = await f1OverOrders();
  // Ingest places what arrived since its last round, often a few articles: the same orders one headline per batch.
  const trickle = await f1OverOrders(1);
  console.log(`\n== Google News related coverage (${g.items} headlines, ${g.goldClusters} gold clusters), B-cubed, shuffle seed 42; term_df pre-filled with ${backgroundDocuments().length} general headlines`);
  console.log('               precision  recall     F1   clusters');
  console.log(`  model        ${pct(g.model.precision)}      ${pct(g.model.recall)}  ${pct(g.model.f1)}  ${g.model.clusters}`);
  console.log(`  baseline     ${pct(g.baseline.precision)}      ${pct(g.baseline.recall)}  ${pct(g.baseline.f1)}  ${g.baseline.clusters}   (title word Jaccard ≥ 0.5, single link)`);
  console.log(`  model F1 over ${seeds.length} arrival orders: min ${pct(Math.min(...f1s))}, max ${pct(Math.max(...f1s))}, mean ${pct(mean(f1s))}`);
  console.log(`  the same orders, one headline per batch: min ${pct(Math.min(...trickle))}, max ${pct(Math.max(...trickle))}, mean ${pct(mean(trickle))}`);
  console.log(`  in-memory store gives the identical partition: ${g.memorySame ? 'yes' : 'NO'}`);
  figures.gnews = { model: g.model, baseline: g.baseline, modelF1MinOverOrders: Math.min(...f1s), modelF1MeanOverOrders: Number(mean(f1s).toFixed(3)), memorySame: g.memorySame,
    onePerBatchF1Min: Math.min(...trickle), onePerBatchF1Mean: Number(mean(trickle).toFixed(3)) };
} else console.log(`(skipped Google News: ${gnewsFile} not found)`);

if (existsSync(semevalFile)) {
  const translator = processTranslator();
  const s = await evalSemeval(semevalFile, undefined, translator);
  const held = await semevalHeldOut(semevalFile, translator);
  const untranslated = translator ? await evalSemeval(semevalFile, undefined, null) : null;
  console.log('\n== SemEval 2022 task 8 pairs (Overall ≤ 1.5 same story, ≥ 3 different), pairwise; r = Pearson vs Overall');
  console.log(`  translator: ${translator ? `${translator.name} (${translator.languages.join(', ')} → en): Spanish texts are compared with English ones in English` : 'none (TRANSLATOR=off, or Apertium not installed): cross-language pairs rest on anchors'}`);
  console.log('  (Overall 1 = most similar, so a good similarity has NEGATIVE r)');
  console.log('  pair   judged pos | model P   R     F1    r      | baseline P   R     F1    r');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    console.log(`  ${k.padEnd(6)} ${String(v.judged).padStart(5)} ${String(v.positives).padStart(3)} |       ${pct(v.model.precision)} ${pct(v.model.recall)} ${pct(v.model.f1)} ${v.model.pearsonVsOverall.toFixed(3)} |          ${pct(v.baseline.precision)} ${pct(v.baseline.recall)} ${pct(v.baseline.f1)} ${v.baseline.pearsonVsOverall.toFixed(3)}`);
    out[k] = { model: v.model, baseline: v.baseline, judged: v.judged, positives: v.positives };
  }
  if (untranslated) {
    const u = untranslated['es-en']?.model;
    if (u) console.log(`  without translation: es-en model P ${pct(u.precision)} R ${pct(u.recall)} F1 ${pct(u.f1)} r ${u.pearsonVsOverall.toFixed(3)}`);
    figures.semevalUntranslated = Object.fromEntries(Object.entries(untranslated).map(([k, v]) => [k, v.model]));
  }
  console.log('\n  per-pair threshold fitted on half the pairs, scored on the other half (both ways, pooled):');
  for (const [k, v] of Object.entries(held)) console.log(`  ${k.padEnd(6)} held-out P ${pct(v.precision)} R ${pct(v.recall)} F1 ${pct(v.f1)}   (thresholds fitted: ${v.thresholds.join(', ')})`);
  figures.semeval = out;
  figures.translator = translator?.name ?? null;
  figures.semevalHeldOut = held;
} else console.log(`(skipped SemEval: ${semevalFile} not found)`);

if (existsSync(corpus)) {
  const r = await evalReplay(corpus);
  console.log(`\n== Feed replay: ${r.feeds} feeds, ${r.articles} articles (parsed with ${r.parser})`);
  console.log(`  removed: ${r.removedExact} exact (guid/canonical URL/fingerprint), ${r.removedNear} near (minhash LSH); kept ${r.kept}`);
  console.log(`  re-poll of the same feeds: ${r.repollRecognised}/${r.articles} items recognised as already stored`);
  console.log(`  duplicates left in output: exact ${r.exactDupsLeft}, near ${r.nearDupsLeft} (brute-force shingle Jaccard ≥ 0.7)`);
  console.log(`  stories: ${r.stories}; roundups attached, not members: ${r.roundups}; stories with ≥ 2 outlets: model ${r.multiOutletStories.length}, baseline ${r.baselineMultiOutletStories}`);
  for (const s of r.multiOutletStories) {
    console.log(`  • ${s.outlets.join(', ')}`);
    for (const t of s.titles) console.log(`      ${t}`);
  }
  figures.replay = {
    feeds: r.feeds, parser: r.parser, articles: r.articles, removedExact: r.removedExact, removedNear: r.removedNear, kept: r.kept, repollRecognised: r.repollRecognised,
    exactDupsLeft: r.exactDupsLeft, nearDupsLeft: r.nearDupsLeft, stories: r.stories, roundups: r.roundups,
    multiOutletStories: r.multiOutletStories.length, baselineMultiOutletStories: r.baselineMultiOutletStories,
  };
}

console.log(JSON.stringify(figures));
closeTranslation();
