import type { Db } from '../../db/client.js';
import {
  createStoriesBatch,
  findBandCandidatesBatch,
  findPublishedAt,
  findStoryKeyHitsBatch,
  findTermFrequencies,
  loadStoriesForBatch,
  mergeStories,
  postStoryKeysBatch,
  repointDuplicates,
  saveSignaturesBatch,
  type BandHit,
  type DfCache,
  type StoryForBatch,
  type StoryKeyHit,
} from '../../db/repositories/clustering.repository.js';
import { sketchKeys } from '../cluster/features.js';
import { decideStory } from '../cluster/online-clusterer.js';
import { idfFromCounts } from '../cluster/similarity.js';
import type { ClusterOptions, Features, IdfFn, StoryCandidate } from '../cluster/types.js';
import { dedupSignature, estimateJaccard, NEAR_DUPLICATE_THRESHOLD } from '../dedup/fingerprint.js';
import { groupBy } from './collections.js';

// One batch of articles placed in memory over what the store holds, then written back set-based.
// Per article the decisions are those of the one-article-at-a-time path (wire copies by MinHash/LSH,
// then candidate stories by sketch keys, decideStory), but the batch reads the store in four statements
// (band candidates, story key hits, the candidate stories' members, their terms' frequencies) and
// writes it in a handful, instead of five round trips per article under the clustering lock. What
// earlier articles of the batch did (new stories, joins, merges, postings, copies) is an overlay the
// later articles see, exactly as they would have seen it in the store.

export interface BatchInput {
  id: number;
  title: string;
  summaryText: string;
  publishedAt: Date;
  /** Features without sketch keys (articleFeatures). */
  features: Features;
}

interface StoryState {
  /** Real story id (> 0), or a temporary one (< 0) for a story this batch starts. */
  id: number;
  size: number;
  firstMs: number;
  lastMs: number;
  seed: Features | null;
  /** Most recent members, newest first, at most maxMembers. */
  recent: Features[];
  mergedInto: number | null;
  /** Temporary stories: the article that starts it. */
  seedArticleId?: number;
}

/** A possible wire copy, from the store or from earlier in the batch (mutable: repointing updates it). */
interface Copy {
  id: number;
  minhash: ArrayLike<number>;
  publishedAtMs: number;
  storyId: number | null;
  duplicateOf: number | null;
}

export interface BatchResult {
  duplicates: number;
  touched: number[];
}

interface BatchItem {
  a: BatchInput;
  f: Features;
  minhash: number[];
  bandKeys: number[];
}

/**
 * Places a batch. A short driver over small steps on purpose: it runs a few times per pass, and V8 would
 * otherwise optimize (and, as the batch's shapes vary, re-optimize) one very large function each time —
 * measured at ≈ 0.3 s of compiler CPU per compile on the cold ingest. Hot loops live in the small steps.
 */
export async function clusterBatch(
  trx: Db,
  batch: BatchInput[],
  stats: { totalDocs: number; df: Map<string, number> },
  opts: ClusterOptions,
  now: Date,
  dfCache?: DfCache,
): Promise<BatchResult> {
  const windowMs = opts.windowHours * 3_600_000;
  const items = prepareItems(batch, idfFromCounts(stats.totalDocs, stats.df));

  // Reads: everything the batch's decisions need from the store.
  const bandHits = groupBy(await findBandCandidatesBatch(trx, items.map((x) => x.bandKeys), batch.map((a) => a.id)), (h) => h.i);
  const keyHits = groupBy(await findStoryKeyHitsBatch(trx, keyQueries(items, windowMs), opts.maxCandidates * 2), (h) => h.i);
  const loaded = await loadStoriesForBatch(trx, candidateStoryIds(keyHits, bandHits), opts.maxMembersPerCandidate);
  const missing = unknownTerms(loaded.values(), stats.df);
  if (missing.length) for (const [k, v] of await findTermFrequencies(trx, missing, dfCache)) stats.df.set(k, v);

  const placer = new BatchPlacer(items, bandHits, keyHits, loaded.values(), idfFromCounts(stats.totalDocs, stats.df), opts, windowMs);
  for (let i = 0; i < items.length; i++) {
    const near = placer.near(i);
    const unknown = placer.unknownRoots(near);
    if (unknown.length) placer.learnPublished(await findPublishedAt(trx, unknown));
    placer.place(i, near);
  }
  return writeBatch(trx, placer, now);
}

function prepareItems(batch: BatchInput[], keyIdf: IdfFn): BatchItem[] {
  return batch.map((a) => {
    const f: Features = { ...a.features, sketchKeys: sketchKeys(a.features.terms, a.features.anchors, keyIdf) };
    const sig = dedupSignature(a.title, a.summaryText);
    return { a, f, minhash: Array.from(sig.minhash), bandKeys: sig.bandKeys };
  });
}

function keyQueries(items: BatchItem[], windowMs: number) {
  return items.map(({ f }) => ({ keys: f.sketchKeys, windowStart: new Date(f.publishedAtMs - windowMs), windowEnd: new Date(f.publishedAtMs + windowMs) }));
}

function candidateStoryIds(keyHits: Map<number, StoryKeyHit[]>, bandHits: Map<number, BandHit[]>): number[] {
  const storyIds = new Set<number>();
  for (const hs of keyHits.values()) for (const h of hs) storyIds.add(h.storyId);
  for (const hs of bandHits.values()) for (const h of hs) if (h.storyId !== null) storyIds.add(h.storyId);
  return [...storyIds];
}

/** Terms and anchors of the loaded stories' members whose document frequency is not known yet. */
function unknownTerms(stories: Iterable<StoryForBatch>, df: Map<string, number>): string[] {
  const missing = new Set<string>();
  const scan = (m: Features) => {
    for (const k in m.terms) if (!df.has(k)) missing.add(k);
    for (const k in m.anchors) if (!df.has(k)) missing.add(k);
  };
  for (const s of stories) {
    if (s.seed) scan(s.seed);
    for (const m of s.recent) scan(m);
  }
  return [...missing];
}

/** The batch's decisions, article by article, over what the store holds and what earlier articles did. */
class BatchPlacer {
  readonly st: Overlay;
  /** Wire-copy bookkeeping: every copy object known, by band key for the batch's own articles. */
  private readonly copies = new Map<number, Copy>();
  private readonly pubMs = new Map<number, number>();
  private readonly batchBands = new Map<number, Copy[]>();
  readonly signatures: Array<{ id: number; minhash: number[]; bandKeys: number[]; features: Features; self: Copy }> = [];
  readonly repoints: Array<{ to: number; family: number[] }> = [];
  duplicates = 0;

  constructor(
    private readonly items: BatchItem[],
    private readonly bandHits: Map<number, BandHit[]>,
    private readonly keyHits: Map<number, StoryKeyHit[]>,
    loaded: Iterable<StoryForBatch>,
    private readonly idf: IdfFn,
    private readonly opts: ClusterOptions,
    private readonly windowMs: number,
  ) {
    this.st = new Overlay(opts.maxMembersPerCandidate);
    for (const s of loaded) this.st.stories.set(s.id, { ...s, firstMs: s.firstPublishedAtMs, lastMs: s.lastPublishedAtMs, mergedInto: null });
    for (const hs of bandHits.values())
      for (const h of hs) {
        if (!this.copies.has(h.id)) this.copies.set(h.id, { id: h.id, minhash: h.minhash, publishedAtMs: h.publishedAt.getTime(), storyId: h.storyId, duplicateOf: h.duplicateOf });
        this.pubMs.set(h.id, h.publishedAt.getTime());
        if (h.duplicateOf !== null) this.pubMs.set(h.duplicateOf, h.rootPublishedAt.getTime());
      }
    for (const { a } of items) this.pubMs.set(a.id, a.publishedAt.getTime());
  }

  /** The verified near-duplicates of article i, earliest first (from the store and from earlier in the batch). */
  near(i: number): Copy[] {
    const { minhash, bandKeys } = this.items[i]!;
    const seen = new Map<number, Copy>();
    for (const h of this.bandHits.get(i) ?? []) seen.set(h.id, this.copies.get(h.id)!);
    for (const k of new Set(bandKeys)) for (const c of this.batchBands.get(k) ?? []) seen.set(c.id, c);
    return [...seen.values()]
      .filter((c) => estimateJaccard(minhash, c.minhash) >= NEAR_DUPLICATE_THRESHOLD)
      .sort((x, y) => x.publishedAtMs - y.publishedAtMs || x.id - y.id);
  }

  private rootIds(near: Copy[]): number[] {
    return [...new Set(near.map((c) => c.duplicateOf ?? c.id))];
  }

  /** Family roots of these copies whose publication time the batch does not know (read them first). */
  unknownRoots(near: Copy[]): number[] {
    return this.rootIds(near).filter((r) => !this.pubMs.has(r));
  }

  learnPublished(rows: Array<{ id: number; publishedAt: Date }>): void {
    for (const r of rows) this.pubMs.set(r.id, r.publishedAt.getTime());
  }

  /** Places article i, given its near-duplicates (near(i), read just before: nothing placed in between). */
  place(i: number, near: Copy[]): void {
    const { a, f, minhash, bandKeys } = this.items[i]!;
    const self: Copy = { id: a.id, minhash, publishedAtMs: f.publishedAtMs, storyId: null, duplicateOf: null };
    if (near.length) this.recordCopy(self, near);
    this.signatures.push({ id: a.id, minhash, bandKeys, features: f, self });
    for (const k of new Set(bandKeys)) {
      let list = this.batchBands.get(k);
      if (!list) this.batchBands.set(k, (list = []));
      list.push(self);
    }
    // A copy joins its original's story; anything else is placed by decideStory.
    const sibling = near.find((c) => c.storyId !== null);
    self.storyId = sibling ? this.st.add(sibling.storyId!, f) : this.decide(i);
  }

  /** Wire copies: the earliest of the verified near-duplicates' families is the original of them all. */
  private recordCopy(self: Copy, near: Copy[]): void {
    const roots = this.rootIds(near)
      .map((id) => ({ id, ms: this.pubMs.get(id)! }))
      .sort((x, y) => x.ms - y.ms || x.id - y.id);
    const first = roots[0]!;
    const [to, family] = self.publishedAtMs < first.ms ? [self.id, roots.map((r) => r.id)] : [first.id, roots.slice(1).map((r) => r.id)];
    if (to !== self.id) self.duplicateOf = to;
    if (family.length) {
      this.repoints.push({ to, family });
      const fam = new Set(family);
      for (const c of [...this.copies.values(), ...this.signatures.map((s) => s.self)])
        if (c.id !== to && (fam.has(c.id) || (c.duplicateOf !== null && fam.has(c.duplicateOf)))) c.duplicateOf = to;
    }
    this.duplicates++;
  }

  private decide(i: number): number {
    const { a, f } = this.items[i]!;
    const t = f.publishedAtMs;
    const candidates = this.st.candidates(this.keyHits.get(i) ?? [], f, t - this.windowMs, t + this.windowMs, this.opts.maxCandidates);
    const decision = decideStory(f, candidates, this.opts, this.idf);
    if (decision.action === 'new') return this.st.create(a.id, f);
    if (decision.action === 'join') return this.st.add(Number(decision.storyId), f);
    const [into, ...from] = decision.storyIds.map(Number);
    this.st.merge(into!, from);
    return this.st.add(into!, f);
  }
}

/**
 * Writes: new stories, then each article's signature, copy pointer and story in one row update, the
 * repoints in order (the batch's own rows already hold their final pointers), merges, postings.
 */
async function writeBatch(trx: Db, placer: BatchPlacer, now: Date): Promise<BatchResult> {
  const st = placer.st;
  const temps = [...st.stories.values()].filter((s) => s.id < 0);
  const created = await createStoriesBatch(trx, temps.map((s) => s.seedArticleId!), now);
  const real = (id: number) => (id > 0 ? id : created.get(st.stories.get(id)!.seedArticleId!)!);
  await saveSignaturesBatch(
    trx,
    placer.signatures.map((s) => ({
      id: s.id,
      minhash: s.minhash,
      bandKeys: s.bandKeys,
      features: s.features,
      duplicateOf: s.self.duplicateOf,
      storyId: real(st.resolve(s.self.storyId!)),
    })),
  );
  await repointDuplicates(trx, composeRepoints(placer.repoints));
  for (const m of st.merges) await mergeStories(trx, real(m.into), m.from.map(real));
  await postStoryKeysBatch(trx, st.postings(real));
  return { duplicates: placer.duplicates, touched: [...new Set([...st.touched].map((id) => real(st.resolve(id))))] };
}

/** The batch's view of stories: loaded ones plus what the batch did to them so far. */
class Overlay {
  readonly stories = new Map<number, StoryState>();
  /** Sketch-key postings this batch added: key → live story → last seen (ms). */
  readonly posted = new Map<number, Map<number, number>>();
  readonly merges: Array<{ into: number; from: number[] }> = [];
  readonly touched = new Set<number>();
  private nextTemp = -1;

  constructor(private readonly maxMembers: number) {}

  resolve(id: number): number {
    let s = this.state(id);
    while (s.mergedInto !== null) s = this.state(s.mergedInto);
    return s.id;
  }

  /** The store's top stories by shared keys, plus what this batch posted, ranked as findCandidateStories ranks. */
  candidates(dbHits: StoryKeyHit[], f: Features, fromMs: number, toMs: number, limit: number): StoryCandidate[] {
    const hits = new Map<number, { keys: Set<number>; lastHit: number }>();
    const hit = (id: number, keys: Iterable<number>, ms: number) => {
      let h = hits.get(id);
      if (!h) hits.set(id, (h = { keys: new Set(), lastHit: ms }));
      for (const k of keys) h.keys.add(k);
      if (ms > h.lastHit) h.lastHit = ms;
    };
    for (const h of dbHits) hit(this.resolve(h.storyId), h.keys, h.lastHitMs);
    for (const k of new Set(f.sketchKeys))
      for (const [id, ms] of this.posted.get(k) ?? []) if (ms >= fromMs && ms <= toMs) hit(this.resolve(id), [k], ms);
    return [...hits.entries()]
      .sort(([ia, a], [ib, b]) => b.keys.size - a.keys.size || b.lastHit - a.lastHit || ia - ib)
      .slice(0, limit)
      .map(([id, h]) => {
        const s = this.state(id);
        const members = (s.seed ? [s.seed, ...s.recent.filter((m) => m !== s.seed)] : s.recent).slice(0, this.maxMembers);
        return { storyId: String(id), size: s.size, firstPublishedAtMs: s.firstMs, lastPublishedAtMs: s.lastMs, members, keyHits: h.keys.size };
      })
      .filter((c) => c.members.length > 0);
  }

  create(articleId: number, f: Features): number {
    const id = this.nextTemp--;
    this.stories.set(id, { id, size: 1, firstMs: f.publishedAtMs, lastMs: f.publishedAtMs, seed: f, recent: [], mergedInto: null, seedArticleId: articleId });
    this.post(id, f.sketchKeys, f.publishedAtMs);
    this.touched.add(id);
    return id;
  }

  add(storyId: number, f: Features): number {
    const s = this.state(this.resolve(storyId));
    s.size++;
    s.firstMs = Math.min(s.firstMs, f.publishedAtMs);
    s.lastMs = Math.max(s.lastMs, f.publishedAtMs);
    s.recent = newest([...s.recent, f], this.maxMembers);
    this.post(s.id, f.sketchKeys, f.publishedAtMs);
    this.touched.add(s.id);
    return s.id;
  }

  merge(into: number, from: number[]): void {
    const target = this.state(this.resolve(into));
    const moved: number[] = [];
    for (const fid of from) {
      const src = this.state(this.resolve(fid));
      if (src === target) continue;
      src.mergedInto = target.id;
      target.size += src.size;
      target.firstMs = Math.min(target.firstMs, src.firstMs);
      target.lastMs = Math.max(target.lastMs, src.lastMs);
      target.recent = newest([...target.recent, ...(src.seed ? [src.seed] : []), ...src.recent], this.maxMembers);
      for (const byStory of this.posted.values()) {
        const ms = byStory.get(src.id);
        if (ms === undefined) continue;
        byStory.delete(src.id);
        byStory.set(target.id, Math.max(ms, byStory.get(target.id) ?? -Infinity));
      }
      this.touched.delete(src.id);
      moved.push(src.id);
    }
    if (moved.length) this.merges.push({ into: target.id, from: moved });
    this.touched.add(target.id);
  }

  /** Every posting the batch made, with real story ids (thousands per batch: a loop kept out of async code). */
  postings(real: (id: number) => number): Array<{ storyId: number; key: number; lastSeenAt: Date }> {
    const out: Array<{ storyId: number; key: number; lastSeenAt: Date }> = [];
    for (const [key, byStory] of this.posted) for (const [sid, ms] of byStory) out.push({ storyId: real(sid), key, lastSeenAt: new Date(ms) });
    return out;
  }

  private state(id: number): StoryState {
    let s = this.stories.get(id);
    // A story none of whose members carries features (not loaded): still a valid target.
    if (!s) this.stories.set(id, (s = { id, size: 0, firstMs: Infinity, lastMs: -Infinity, seed: null, recent: [], mergedInto: null }));
    return s;
  }

  private post(storyId: number, keys: readonly number[], ms: number): void {
    for (const k of new Set(keys)) {
      let byStory = this.posted.get(k);
      if (!byStory) this.posted.set(k, (byStory = new Map()));
      byStory.set(storyId, Math.max(ms, byStory.get(storyId) ?? -Infinity));
    }
  }
}

function newest(fs: Features[], max: number): Features[] {
  return [...new Set(fs)].sort((a, b) => b.publishedAtMs - a.publishedAtMs).slice(0, max);
}

/**
 * Repoints applied one after another ("family → to", in order) as one map root → final target: a root
 * moved by an earlier repoint follows where the later ones move its target.
 */
export function composeRepoints(repoints: ReadonlyArray<{ to: number; family: readonly number[] }>): Array<{ root: number; to: number }> {
  const final = new Map<number, number>();
  for (const r of repoints) {
    const fam = new Set(r.family);
    for (const [root, to] of final) if (fam.has(to) && root !== r.to) final.set(root, r.to);
    for (const root of r.family) if (root !== r.to) final.set(root, r.to);
  }
  return [...final].map(([root, to]) => ({ root, to }));
}
