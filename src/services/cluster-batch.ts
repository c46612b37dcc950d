import type { Db } from '../../db/client.js';
import {
  createStoriesBatch,
  findBandCandidatesBatch,
  findDocumentFrequencies,
  findPublishedAt,
  findStoryKeyHitsBatch,
  loadStoriesForBatch,
  mergeStories,
  postStoryKeysBatch,
  repointDuplicates,
  saveSignaturesBatch,
  type StoryKeyHit,
} from '../../db/repositories/clustering.repository.js';
import { sketchKeys } from '../cluster/features.js';
import { decideStory } from '../cluster/online-clusterer.js';
import { idfFromCounts } from '../cluster/similarity.js';
import type { ClusterOptions, Features, StoryCandidate } from '../cluster/types.js';
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

export async function clusterBatch(
  trx: Db,
  batch: BatchInput[],
  stats: { totalDocs: number; df: Map<string, number> },
  opts: ClusterOptions,
  now: Date,
): Promise<BatchResult> {
  const windowMs = opts.windowHours * 3_600_000;
  const keyIdf = idfFromCounts(stats.totalDocs, stats.df);
  const items = batch.map((a) => {
    const f: Features = { ...a.features, sketchKeys: sketchKeys(a.features.terms, a.features.anchors, keyIdf) };
    const sig = dedupSignature(a.title, a.summaryText);
    return { a, f, minhash: Array.from(sig.minhash), bandKeys: sig.bandKeys };
  });

  // Reads: everything the batch's decisions need from the store.
  const ids = batch.map((a) => a.id);
  const bandHits = groupBy(await findBandCandidatesBatch(trx, items.map((x) => x.bandKeys), ids), (h) => h.i);
  const keyHits = groupBy(
    await findStoryKeyHitsBatch(
      trx,
      items.map(({ f }) => ({ keys: f.sketchKeys, windowStart: new Date(f.publishedAtMs - windowMs), windowEnd: new Date(f.publishedAtMs + windowMs) })),
      opts.maxCandidates * 2,
    ),
    (h) => h.i,
  );
  const storyIds = new Set<number>();
  for (const hs of keyHits.values()) for (const h of hs) storyIds.add(h.storyId);
  for (const hs of bandHits.values()) for (const h of hs) if (h.storyId !== null) storyIds.add(h.storyId);
  const loaded = await loadStoriesForBatch(trx, [...storyIds], opts.maxMembersPerCandidate);
  const missing = new Set<string>();
  for (const s of loaded.values())
    for (const m of [s.seed, ...s.recent]) if (m) for (const k of [...Object.keys(m.terms), ...Object.keys(m.anchors)]) if (!stats.df.has(k)) missing.add(k);
  if (missing.size) for (const [k, v] of (await findDocumentFrequencies(trx, [...missing])).df) stats.df.set(k, v);
  const idf = idfFromCounts(stats.totalDocs, stats.df);

  const st = new Overlay(opts.maxMembersPerCandidate);
  for (const s of loaded.values()) st.stories.set(s.id, { ...s, firstMs: s.firstPublishedAtMs, lastMs: s.lastPublishedAtMs, mergedInto: null });

  // Wire-copy bookkeeping: every copy object known, by band key for the batch's own articles.
  const copies = new Map<number, Copy>();
  const pubMs = new Map<number, number>();
  const batchBands = new Map<number, Copy[]>();
  for (const hs of bandHits.values())
    for (const h of hs) {
      if (!copies.has(h.id)) copies.set(h.id, { id: h.id, minhash: h.minhash, publishedAtMs: h.publishedAt.getTime(), storyId: h.storyId, duplicateOf: h.duplicateOf });
      pubMs.set(h.id, h.publishedAt.getTime());
      if (h.duplicateOf !== null) pubMs.set(h.duplicateOf, h.rootPublishedAt.getTime());
    }
  for (const { a } of items) pubMs.set(a.id, a.publishedAt.getTime());

  const signatures: Array<{ id: number; minhash: number[]; bandKeys: number[]; features: Features; self: Copy }> = [];
  const repoints: Array<{ to: number; family: number[] }> = [];
  let duplicates = 0;
  for (const [i, { a, f, minhash, bandKeys }] of items.entries()) {
    const t = f.publishedAtMs;
    const self: Copy = { id: a.id, minhash, publishedAtMs: t, storyId: null, duplicateOf: null };

    // Wire copies: the earliest of the verified near-duplicates is the family's original.
    const seen = new Map<number, Copy>();
    for (const h of bandHits.get(i) ?? []) seen.set(h.id, copies.get(h.id)!);
    for (const k of new Set(bandKeys)) for (const c of batchBands.get(k) ?? []) seen.set(c.id, c);
    const near = [...seen.values()]
      .filter((c) => estimateJaccard(minhash, c.minhash) >= NEAR_DUPLICATE_THRESHOLD)
      .sort((x, y) => x.publishedAtMs - y.publishedAtMs || x.id - y.id);
    if (near.length) {
      const rootIds = [...new Set(near.map((c) => c.duplicateOf ?? c.id))];
      const unknown = rootIds.filter((r) => !pubMs.has(r));
      if (unknown.length) for (const r of await findPublishedAt(trx, unknown)) pubMs.set(r.id, r.publishedAt.getTime());
      const roots = rootIds.map((id) => ({ id, ms: pubMs.get(id)! })).sort((x, y) => x.ms - y.ms || x.id - y.id);
      const first = roots[0]!;
      const [to, family] = t < first.ms ? [a.id, roots.map((r) => r.id)] : [first.id, roots.slice(1).map((r) => r.id)];
      if (to !== a.id) self.duplicateOf = to;
      if (family.length) {
        repoints.push({ to, family });
        const fam = new Set(family);
        for (const c of [...copies.values(), ...signatures.map((s) => s.self)])
          if (c.id !== to && (fam.has(c.id) || (c.duplicateOf !== null && fam.has(c.duplicateOf)))) c.duplicateOf = to;
      }
      duplicates++;
    }
    signatures.push({ id: a.id, minhash, bandKeys, features: f, self });
    for (const k of new Set(bandKeys)) {
      let list = batchBands.get(k);
      if (!list) batchBands.set(k, (list = []));
      list.push(self);
    }

    // A copy joins its original's story; anything else is placed by decideStory.
    const sibling = near.find((c) => c.storyId !== null);
    let storyId: number;
    if (sibling) storyId = st.add(sibling.storyId!, f);
    else {
      const decision = decideStory(f, st.candidates(keyHits.get(i) ?? [], f, t - windowMs, t + windowMs, opts.maxCandidates), opts, idf);
      if (decision.action === 'new') storyId = st.create(a.id, f);
      else if (decision.action === 'join') storyId = st.add(Number(decision.storyId), f);
      else {
        const [into, ...from] = decision.storyIds.map(Number);
        st.merge(into!, from);
        storyId = st.add(into!, f);
      }
    }
    self.storyId = storyId;
  }

  // Writes: new stories, then each article's signature, copy pointer and story in one row update, the
  // repoints in order (the batch's own rows already hold their final pointers), merges, postings.
  const temps = [...st.stories.values()].filter((s) => s.id < 0);
  const created = await createStoriesBatch(trx, temps.map((s) => s.seedArticleId!), now);
  const real = (id: number) => (id > 0 ? id : created.get(st.stories.get(id)!.seedArticleId!)!);
  await saveSignaturesBatch(
    trx,
    signatures.map((s) => ({
      id: s.id,
      minhash: s.minhash,
      bandKeys: s.bandKeys,
      features: s.features,
      duplicateOf: s.self.duplicateOf,
      storyId: real(st.resolve(s.self.storyId!)),
    })),
  );
  for (const r of repoints) await repointDuplicates(trx, r.to, r.family);
  for (const m of st.merges) await mergeStories(trx, real(m.into), m.from.map(real));
  const postings: Array<{ storyId: number; key: number; lastSeenAt: Date }> = [];
  for (const [key, byStory] of st.posted) for (const [sid, ms] of byStory) postings.push({ storyId: real(sid), key, lastSeenAt: new Date(ms) });
  await postStoryKeysBatch(trx, postings);
  return { duplicates, touched: [...new Set([...st.touched].map((id) => real(st.resolve(id))))] };
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

