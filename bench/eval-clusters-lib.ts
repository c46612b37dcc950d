// Evaluation of near-duplicate detection and event clustering (used by bench/eval-clusters.ts and the
// floor test in test/unit/cluster-eval.test.ts). Pure functions over files in the shared corpus.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Parser from 'rss-parser';
import { articleFeatures, stripOutletSuffix } from '../src/cluster/features.js';
import { calibratedSimilarity, DEFAULT_CLUSTER_OPTIONS } from '../src/cluster/decide.js';
import { DocumentFrequencyTable } from '../src/cluster/similarity.js';
import { memoryPartition, samePartition, shippedPartition, type Partition } from './lib/shipped-clusters.js';
import type { ArticleInput, ClusterOptions, Translator } from '../src/cluster/types.js';
import { englishReadings } from '../src/cluster/place-articles.js';
import { processTranslator } from '../src/runtime/translate/index.js';
import {
  contentFingerprint, foldedTokens, isNearDuplicate, jaccard, lshBandKeys, minhashShingles, shingles,
} from '../src/dedup/fingerprint.js';

export interface Scores { precision: number; recall: number; f1: number }

const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export function defaultCorpusDir(repoRoot: string): string {
  return process.env.CORPUS_DIR ?? path.resolve(repoRoot, '../shared/corpus');
}

// --- metrics ------------------------------------------------------------------------------------

/** B-cubed precision/recall/F1 of a predicted clustering against gold labels (same item ids). */
export function bcubed(pred: ReadonlyMap<string, string>, gold: ReadonlyMap<string, string>): Scores {
  const byPred = groupBy(pred);
  const byGold = groupBy(gold);
  let p = 0;
  let r = 0;
  for (const [item, pc] of pred) {
    const gc = gold.get(item)!;
    const P = byPred.get(pc)!;
    const G = byGold.get(gc)!;
    let both = 0;
    for (const x of P) if (gold.get(x) === gc) both++;
    p += both / P.length;
    r += both / G.length;
  }
  const n = pred.size;
  return { precision: round(p / n), recall: round(r / n), f1: round(f1(p / n, r / n)) };
}

function groupBy(m: ReadonlyMap<string, string>): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const [k, v] of m) {
    const l = g.get(v);
    if (l) l.push(k);
    else g.set(v, [k]);
  }
  return g;
}

function pairScores(tp: number, fp: number, fn: number): Scores {
  const p = tp + fp === 0 ? 0 : tp / (tp + fp);
  const r = tp + fn === 0 ? 0 : tp / (tp + fn);
  return { precision: round(p), recall: round(r), f1: round(f1(p, r)) };
}

export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? 0 : round(sxy / Math.sqrt(sxx * syy));
}

// --- baseline -----------------------------------------------------------------------------------

export const BASELINE_THRESHOLD = 0.5;

export function titleWordSet(title: string): Set<string> {
  return new Set(foldedTokens(stripOutletSuffix(title)));
}

export function setJaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let i = 0;
  for (const x of a) if (b.has(x)) i++;
  return i / (a.size + b.size - i);
}

/** Naive baseline: single-link clustering of titles whose word-set Jaccard ≥ 0.5. */
export function baselineClusters(items: readonly { id: string; title: string }[]): Map<string, string> {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const sets = items.map((it) => titleWordSet(it.title));
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++)
      if (setJaccard(sets[i], sets[j]) >= BASELINE_THRESHOLD) parent[find(i)] = find(j);
  return new Map(items.map((it, i) => [it.id, `b${find(i)}`]));
}

// --- model clustering ---------------------------------------------------------------------------

export interface EvalItem { id: string; input: ArticleInput; source?: string }

/** Deterministic shuffle (mulberry32) so arrival order does not leak gold grouping. */
export function shuffled<T>(xs: readonly T[], seed = 42): T[] {
  const a = [...xs];
  let s = seed >>> 0;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Clusters items through the shipped path (bench/lib/shipped-clusters.ts: stored in PGlite, placed by
 * clusterArticles, read back). `memoryCheck` also places them over the in-memory store and reports whether
 * the partition is identical.
 */
export async function modelClusters(
  items: readonly EvalItem[],
  opts: Partial<ClusterOptions> = {},
  memoryCheck = false,
  background: readonly ArticleInput[] = backgroundDocuments(),
  /** Articles per placement batch (default EVAL_BATCH, as recluster places). */
  batch?: number,
): Promise<Partition & { memorySame: boolean | null }> {
  const o = { ...DEFAULT_CLUSTER_OPTIONS, ...opts };
  const placed = items.map((it) => ({ id: it.id, input: it.input }));
  const shipped = await shippedPartition(placed, o, background, { batch });
  const memorySame = memoryCheck ? samePartition(shipped.assignment, (await memoryPartition(placed, o, background)).assignment) : null;
  return { ...shipped, memorySame };
}

let background: ArticleInput[] | null = null;
/**
 * What else a day of ingest would have counted in term_df: 10,000 general-news headlines of the same era
 * (HuffPost News Category v3, head 10k; unlabelled use, no categories read). Without them the document
 * frequencies come from the evaluated items alone, the store is in its cold start (< 200 documents), and
 * every topic word of a 170-headline set looks rare. Empty when the corpus file is absent.
 */
export function backgroundDocuments(corpusDir = defaultCorpusDir(path.resolve(path.dirname(new URL(import.meta.url).pathname), '..'))): ArticleInput[] {
  if (background) return background;
  const file = path.join(corpusDir, 'headlines/huffpost-news-category-v3-head10k/News_Category_Dataset_v3.head10000.json');
  const when = new Date('2022-07-01T00:00:00Z');
  background = existsSync(file)
    ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => ({ title: String((JSON.parse(l) as { headline: string }).headline), summary: '', lang: 'en', publishedAt: when }))
    : [];
  return background;
}

// --- Google News related coverage ---------------------------------------------------------------

export interface GnewsData { items: (EvalItem & { title: string })[]; gold: Map<string, string>; clusters: number }

export function loadGnews(file: string): GnewsData {
  const items: GnewsData['items'] = [];
  const gold = new Map<string, string>();
  let clusters = 0;
  // All headlines get the same timestamp: the item pubDate is a property of the gold cluster.
  const t = new Date('2022-07-28T00:00:00Z');
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const rec = JSON.parse(line) as { cluster_id: string; members: { headline: string; source: string }[] };
    clusters++;
    rec.members.forEach((m, i) => {
      const id = `${rec.cluster_id}:${i}`;
      const title = stripOutletSuffix(m.headline);
      items.push({ id, title, source: m.source, input: { title, summary: '', lang: 'en', publishedAt: t } });
      gold.set(id, rec.cluster_id);
    });
  }
  return { items, gold, clusters };
}

export interface GnewsResult {
  items: number; goldClusters: number; model: Scores & { clusters: number }; baseline: Scores & { clusters: number };
  /** The in-memory store's partition is identical to the database's. */
  memorySame: boolean | null;
}

export async function evalGnews(file: string, opts: Partial<ClusterOptions> = {}, memoryCheck = false): Promise<GnewsResult> {
  const data = loadGnews(file);
  const order = shuffled(data.items);
  const { assignment, memorySame } = await modelClusters(order, opts, memoryCheck);
  const base = baselineClusters(order);
  return {
    items: data.items.length,
    goldClusters: data.clusters,
    model: { ...bcubed(assignment, data.gold), clusters: new Set(assignment.values()).size },
    baseline: { ...bcubed(base, data.gold), clusters: new Set(base.values()).size },
    memorySame,
  };
}

// --- SemEval 2022 task 8 ------------------------------------------------------------------------

/** RFC 4180 CSV (quoted fields with "" escapes and embedded newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else q = false;
      } else field += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function splitTitle(text: string): { title: string; summary: string } {
  const t = text.trim();
  const nl = t.indexOf('\n');
  if (nl > 0 && nl < 300) return { title: t.slice(0, nl), summary: t.slice(nl + 1) };
  // No line break: take the first 20 words as the "title".
  const words = t.split(/\s+/);
  return { title: words.slice(0, 20).join(' '), summary: words.slice(20).join(' ') };
}

export interface SemevalPairResult {
  pairs: number; judged: number; positives: number;
  model: Scores & { pearsonVsOverall: number };
  baseline: Scores & { pearsonVsOverall: number };
}

/**
 * Pairwise same-story detection: Overall ≤ 1.5 = same story, ≥ 3 = different, in between ignored.
 * The model says "same" when the calibrated similarity (decide.ts: rescaled by the language pair's
 * threshold) ≥ the join threshold (what a one-article story would need); the baseline when title word-set Jaccard ≥ 0.5. Pearson r is against Overall on all
 * pairs (1 = most similar, so a good score is negative).
 */
/** The SemEval pairs with their features, and document frequencies fitted on both sides of every pair. */
async function loadSemevalPairs(file: string, translator: Translator | null) {
  const rows = parseCsv(readFileSync(file, 'utf8'));
  const head = rows[0];
  const col = (n: string) => head.indexOf(n);
  const noDate = new Date(NaN);
  const body = rows.slice(1).filter((r) => r.length === head.length);
  // Every non-English text gets its English reading, as ingest gives every placed article one.
  const sides = body.flatMap((r) => [
    { text: r[col('text1')], lang: r[col('lang1')] },
    { text: r[col('text2')], lang: r[col('lang2')] },
  ]);
  const english = await englishReadings(
    sides.map((x, id) => {
      const { title, summary } = splitTitle(x.text);
      return { id, title, summaryText: summary, lang: x.lang, entities: [], publishedAt: noDate, relevance: null };
    }),
    translator,
  );
  const feats = (k: number) => {
    const { title, summary } = splitTitle(sides[k].text);
    return { title, f: articleFeatures({ title, summary, lang: sides[k].lang, publishedAt: noDate, english: english[k] }) };
  };
  const pairs = body.map((r, j) => ({
    lang1: r[col('lang1')], lang2: r[col('lang2')],
    /** Half of the pairs, by pair id (the held-out check fits on one and scores the other). */
    fold: Number(r[col('pair_id')].replace(/\D/g, '').slice(-1) || 0) % 2,
    overall: Number(r[col('Overall')]),
    a: feats(2 * j),
    b: feats(2 * j + 1),
  }));
  const df = new DocumentFrequencyTable();
  for (const p of pairs) { df.add(p.a.f); df.add(p.b.f); }
  return { pairs, df };
}

export async function evalSemeval(
  file: string,
  opts: ClusterOptions = DEFAULT_CLUSTER_OPTIONS,
  translator: Translator | null = processTranslator(),
): Promise<Record<string, SemevalPairResult> & { all: SemevalPairResult }> {
  const threshold = opts.joinThreshold;
  const { pairs, df } = await loadSemevalPairs(file, translator);
  const scored = pairs.map((p) => ({
    group: `${p.lang1}-${p.lang2}`,
    overall: p.overall,
    sim: calibratedSimilarity(p.a.f, p.b.f, df.idf, opts),
    base: setJaccard(titleWordSet(p.a.title), titleWordSet(p.b.title)),
  }));
  const summarize = (xs: typeof scored): SemevalPairResult => {
    const judged = xs.filter((x) => x.overall <= 1.5 || x.overall >= 3);
    const score = (pick: (x: (typeof xs)[number]) => boolean) => {
      let tp = 0, fp = 0, fn = 0;
      for (const x of judged) {
        const same = x.overall <= 1.5;
        const said = pick(x);
        if (said && same) tp++; else if (said) fp++; else if (same) fn++;
      }
      return pairScores(tp, fp, fn);
    };
    return {
      pairs: xs.length, judged: judged.length, positives: judged.filter((x) => x.overall <= 1.5).length,
      model: { ...score((x) => x.sim >= threshold), pearsonVsOverall: pearson(xs.map((x) => x.sim), xs.map((x) => x.overall)) },
      baseline: { ...score((x) => x.base >= BASELINE_THRESHOLD), pearsonVsOverall: pearson(xs.map((x) => x.base), xs.map((x) => x.overall)) },
    };
  };
  const out: Record<string, SemevalPairResult> = {};
  for (const g of [...new Set(scored.map((x) => x.group))].sort()) out[g] = summarize(scored.filter((x) => x.group === g));
  return Object.assign(out, { all: summarize(scored) });
}

/**
 * How well a per-pair threshold carries to pairs it was not fitted on: the pairs split in two by pair id,
 * the threshold that maximises F1 on one half (raw similarity, grid 0.1–0.4) scored on the other, both ways,
 * counts pooled. Returns per language pair the held-out precision/recall/F1 and the two fitted thresholds.
 */
export async function semevalHeldOut(file: string, translator: Translator | null = processTranslator()): Promise<Record<string, Scores & { thresholds: number[] }>> {
  const { pairs, df } = await loadSemevalPairs(file, translator);
  const raw = { ...DEFAULT_CLUSTER_OPTIONS, pairThresholds: {} };
  const judged = pairs
    .filter((p) => p.overall <= 1.5 || p.overall >= 3)
    .map((p) => ({ group: `${p.lang1}-${p.lang2}`, fold: p.fold, same: p.overall <= 1.5, sim: calibratedSimilarity(p.a.f, p.b.f, df.idf, raw) }));
  const count = (xs: typeof judged, t: number) => {
    let tp = 0, fp = 0, fn = 0;
    for (const x of xs) { const said = x.sim >= t; if (said && x.same) tp++; else if (said) fp++; else if (x.same) fn++; }
    return { tp, fp, fn };
  };
  const out: Record<string, Scores & { thresholds: number[] }> = {};
  for (const g of [...new Set(judged.map((x) => x.group))].sort()) {
    let tp = 0, fp = 0, fn = 0;
    const thresholds: number[] = [];
    for (const fold of [0, 1]) {
      const train = judged.filter((x) => x.group === g && x.fold !== fold);
      const test = judged.filter((x) => x.group === g && x.fold === fold);
      let best = { t: 0.2, f: -1 };
      for (let t = 0.1; t <= 0.4001; t += 0.025) {
        const c = count(train, t);
        const f = pairScores(c.tp, c.fp, c.fn).f1;
        if (f > best.f) best = { t: Math.round(t * 1000) / 1000, f };
      }
      thresholds.push(best.t);
      const c = count(test, best.t);
      tp += c.tp; fp += c.fp; fn += c.fn;
    }
    out[g] = { ...pairScores(tp, fp, fn), thresholds };
  }
  return out;
}

// --- feed replay --------------------------------------------------------------------------------

/** The eight real-world news feeds saved on 2022-04-05 (rowanmanning-sample-feeds PROVENANCE.md). */
export const SAME_DAY_NEWS_FEEDS: Record<string, string> = {
  '209824d01f039dde14e22fbd7155c86c': 'The Telegraph',
  '2d055498ae801efb0bf0b6124009cac2': 'The Guardian',
  '66aa305559c0c7f86f06dc7e7eef7271': 'Financial Times',
  '6d80261f6c746f21214c3ea9d006ec07': 'BuzzFeed UK',
  b29a235ee4d1af745aa04dea7ea59310: 'HuffPost',
  b50cfa0fa67a27325debb5bce9a55401: 'Sky News',
  c5e0e65569698bc9792cddb93cca6c68: 'NYT',
  f43bed9864944644236fc65967b2e178: 'BBC World',
};

export function replayFeedFiles(corpusDir: string): { source: string; file: string; feedUrl: string }[] {
  const out: { source: string; file: string; feedUrl: string }[] = [];
  const snap = path.join(corpusDir, 'news-feed-snapshots-2026/feeds');
  if (existsSync(snap)) {
    for (const f of readdirSync(snap).filter((f) => f.endsWith('.xml')).sort()) {
      out.push({ source: f.replace(/\.xml$/, ''), file: path.join(snap, f), feedUrl: `https://feeds.example/${f}` });
    }
  }
  const rw = path.join(corpusDir, 'rowanmanning-sample-feeds/feeds/content/real-world');
  for (const [hash, name] of Object.entries(SAME_DAY_NEWS_FEEDS)) {
    const dir = path.join(rw, hash);
    if (!existsSync(dir)) continue;
    const idx = readFileSync(path.join(dir, 'index.md'), 'utf8');
    if (!/date:\s*"2022-04-05"/.test(idx)) throw new Error(`${hash} is not dated 2022-04-05`);
    const feedUrl = /original:\s*"([^"]+)"/.exec(idx)?.[1] ?? `https://feeds.example/${hash}`;
    out.push({ source: name, file: path.join(dir, 'feed.xml'), feedUrl });
  }
  return out;
}

/** Minimal canonical URL for the eval (the production one is src/reader's): scheme, www, tracking, slash. */
export function canonicalUrl(u: string | undefined): string | null {
  if (!u) return null;
  try {
    const url = new URL(u.trim());
    url.hash = '';
    for (const k of [...url.searchParams.keys()]) if (/^(utm_|fbclid|gclid|cmpid|at_|ito$|ns_)/i.test(k)) url.searchParams.delete(k);
    const host = url.hostname.toLowerCase().replace(/^www\./, '').replace(/^amp\./, '');
    const p = url.pathname.replace(/\/amp\/?$/, '/').replace(/\/+$/, '');
    return `${host}${p}${url.search}`;
  } catch {
    return u.trim();
  }
}

const ES_WORDS = new Set('el la los las de del que en y por para con una un se su al es lo como más pero sus le ya fue este ha sí porque esta son entre cuando muy sin sobre también'.split(' '));
const EN_WORDS = new Set('the of and to in is was for on that with as by at from his her it an are be this have has were which after who'.split(' '));
/** Language by function-word counts (feeds declare `en` even for Spanish). */
export function detectLang(text: string): 'en' | 'es' {
  let es = 0, en = 0;
  for (const w of text.toLowerCase().split(/[^\p{L}]+/u)) { if (ES_WORDS.has(w)) es++; if (EN_WORDS.has(w)) en++; }
  return es > en ? 'es' : 'en';
}

export interface ReplayArticle { id: string; source: string; guid: string | null; url: string | null; title: string; summary: string; lang: 'en' | 'es'; publishedAt: Date }

/** Which parser the replay used: the team's reader (src/reader/read-feed.ts) when it loads, else rss-parser. */
export let replayParser: 'readFeed' | 'rss-parser' = 'rss-parser';

type ReadFeed = (bytes: Uint8Array, opts: { feedUrl: string; now: Date }) => Promise<{
  items: { guid: string | null; url: string | null; canonicalUrl: string | null; title: string; summaryText: string; publishedAt: Date; lang: string | null }[];
}>;

async function loadReader(): Promise<ReadFeed | null> {
  try {
    const mod = (await import('../src/reader/read-feed.js')) as { readFeed?: ReadFeed };
    return typeof mod.readFeed === 'function' ? mod.readFeed : null;
  } catch {
    return null;
  }
}

export async function loadReplayArticles(corpusDir: string): Promise<ReplayArticle[]> {
  const readFeed = await loadReader();
  const parser = new Parser();
  const out: ReplayArticle[] = [];
  const now = new Date('2026-12-31T00:00:00Z');
  let usedReader = readFeed !== null;
  for (const { source, file, feedUrl } of replayFeedFiles(corpusDir)) {
    const bytes = readFileSync(file);
    let done = false;
    if (readFeed) {
      try {
        const res = await readFeed(new Uint8Array(bytes), { feedUrl, now });
        res.items.forEach((it, i) => {
          const title = it.title.trim();
          const summary = it.summaryText.slice(0, 1500);
          const lang = it.lang === 'es' || it.lang === 'en' ? it.lang : detectLang(`${title} ${summary}`);
          out.push({ id: `${source}#${i}`, source, guid: it.guid, url: it.canonicalUrl ?? it.url, title, summary, lang, publishedAt: it.publishedAt });
        });
        done = true;
      } catch {
        usedReader = false;
      }
    }
    if (done) continue;
    const feed = await parser.parseString(bytes.toString('utf8'));
    const fallback = new Date('2022-04-05T12:00:00Z');
    feed.items.forEach((it, i) => {
      const title = (it.title ?? '').trim();
      const summary = (it.contentSnippet ?? it.summary ?? '').replace(/\s+/g, ' ').trim().slice(0, 1500);
      const d = it.isoDate ? new Date(it.isoDate) : fallback;
      out.push({
        id: `${source}#${i}`, source, guid: it.guid ?? null, url: it.link ?? null, title, summary,
        lang: detectLang(`${title} ${summary}`), publishedAt: Number.isNaN(d.getTime()) ? fallback : d,
      });
    });
  }
  replayParser = usedReader ? 'readFeed' : 'rss-parser';
  return out.sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || (a.id < b.id ? -1 : 1));
}

/** Near-duplicate definition for the "left in output" count: exact shingle Jaccard ≥ 0.7. */
export const NEAR_DUP_TRUE_JACCARD = 0.7;

export interface ReplayResult {
  feeds: number; articles: number;
  removedExact: number; removedNear: number; kept: number; repollRecognised: number;
  exactDupsLeft: number; nearDupsLeft: number;
  stories: number; roundups: number; multiOutletStories: { outlets: string[]; titles: string[] }[];
  baselineMultiOutletStories: number;
  parser: 'readFeed' | 'rss-parser';
}

/**
 * Replays the feeds through: exact dedup (GUID → canonical URL → content fingerprint, the store's key
 * precedence) → near-dup (LSH band-key lookup, then isNearDuplicate on the signatures) → clustering.
 * Then counts, by brute force over the kept articles, duplicates that slipped through.
 */
export async function evalReplay(corpusDir: string, opts: Partial<ClusterOptions> = {}): Promise<ReplayResult> {
  const arts = await loadReplayArticles(corpusDir);
  const seenKeys = new Set<string>();
  const bandIndex = new Map<number, number[]>();
  const kept: (ReplayArticle & { sh: Uint32Array; sig: Int32Array })[] = [];
  let removedExact = 0, removedNear = 0;
  for (const a of arts) {
    const keys = [a.guid && `g:${a.guid.trim()}`, a.url && `u:${canonicalUrl(a.url)}`, `f:${contentFingerprint(a.title, a.summary)}`].filter(Boolean) as string[];
    if (keys.some((k) => seenKeys.has(k))) { removedExact++; for (const k of keys) seenKeys.add(k); continue; }
    for (const k of keys) seenKeys.add(k);
    const sh = shingles(`${a.title} ${a.summary}`);
    const sig = minhashShingles(sh);
    const bands = lshBandKeys(sig);
    const cands = new Set<number>();
    if (sh.length > 0) for (const b of bands) for (const i of bandIndex.get(b) ?? []) cands.add(i);
    if ([...cands].some((i) => isNearDuplicate(sig, kept[i].sig))) { removedNear++; continue; }
    const idx = kept.length;
    kept.push({ ...a, sh, sig });
    for (const b of bands) { const l = bandIndex.get(b); if (l) l.push(idx); else bandIndex.set(b, [idx]); }
  }
  // Second poll of the same feeds: every item must be recognised (by guid / canonical URL / fingerprint).
  let repollRecognised = 0;
  for (const a of arts) {
    const keys = [a.guid && `g:${a.guid.trim()}`, a.url && `u:${canonicalUrl(a.url)}`, `f:${contentFingerprint(a.title, a.summary)}`].filter(Boolean) as string[];
    if (keys.some((k) => seenKeys.has(k))) repollRecognised++;
  }
  let exactDupsLeft = 0, nearDupsLeft = 0;
  const urlSeen = new Map<string, number>();
  for (const k of kept) {
    for (const key of [k.guid && `g:${k.guid}`, k.url && `u:${canonicalUrl(k.url)}`].filter(Boolean) as string[]) {
      urlSeen.set(key, (urlSeen.get(key) ?? 0) + 1);
    }
  }
  for (const n of urlSeen.values()) if (n > 1) exactDupsLeft += n - 1;
  for (let i = 0; i < kept.length; i++) {
    if (kept[i].sh.length === 0) continue;
    for (let j = i + 1; j < kept.length; j++) {
      if (jaccard(kept[i].sh, kept[j].sh) >= NEAR_DUP_TRUE_JACCARD) { nearDupsLeft++; break; }
    }
  }
  const items: EvalItem[] = kept.map((k) => ({ id: k.id, source: k.source, input: { title: k.title, summary: k.summary, lang: k.lang, publishedAt: k.publishedAt } }));
  const part = await modelClusters(items, opts);
  const byId = new Map(kept.map((k) => [k.id, k]));
  const members = new Map<string, string[]>();
  for (const [id, story] of part.assignment) if (story.startsWith('s')) members.set(story, [...(members.get(story) ?? []), id]);
  const multi = [...members.values()]
    .map((ids) => ids.map((id) => byId.get(id)!))
    .filter((ms) => new Set(ms.map((m) => m.source)).size >= 2)
    .map((ms) => ({ outlets: [...new Set(ms.map((m) => m.source))].sort(), titles: ms.map((m) => `[${m.source}] ${m.title}`) }))
    .sort((a, b) => b.titles.length - a.titles.length);
  const base = baselineClusters(kept.map((k) => ({ id: k.id, title: k.title })));
  const baseGroups = groupBy(base);
  const baselineMulti = [...baseGroups.values()].filter((ids) => new Set(ids.map((id) => byId.get(id)!.source)).size >= 2).length;
  return {
    feeds: replayFeedFiles(corpusDir).length, articles: arts.length, removedExact, removedNear, kept: kept.length, repollRecognised,
    exactDupsLeft, nearDupsLeft, stories: part.stories, roundups: part.roundups, multiOutletStories: multi, parser: replayParser,
    baselineMultiOutletStories: baselineMulti,
  };
}
