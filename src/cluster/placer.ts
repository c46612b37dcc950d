// The one story placer: ingest, recluster and the evaluation all run it (src/services/cluster-batch.ts reads
// the store for a batch, calls this, and writes the plan back). Pure: no I/O, no clock.
//
// Per article, in publication order:
//   1. wire copies: verified near-duplicates (MinHash over LSH band hits) form a family whose earliest
//      article is the original; a copy joins its original's story;
//   2. a roundup (roundup.ts) joins no story: it is attached to each candidate story it names;
//   3. anything else: candidate stories by shared sketch keys inside the time window, then decideStory
//      (decide.ts) joins, starts or merges.
// What earlier articles of the batch did (new stories, joins, merges, postings, copies) is an overlay the
// later articles see, exactly as they would have seen it in the store.
import { dedupSignature, estimateJaccard, NEAR_DUPLICATE_THRESHOLD } from '../dedup/fingerprint.js';
import { decideStory, groupScore, splitByEvent, storiesNamedByRoundup, storylineLinks, type StoryScores } from './decide.js';
import { featureKeys } from './features.js';
import { isRoundup } from './roundup.js';
import type { BandHit, ClusterOptions, Features, IdfFn, LoadedStory, StoryCandidate, StoryKeyHit } from './types.js';

/** An article to place: its features (without sketch keys: chosen here, with the batch's IDF). */
export interface PlacementInput {
  id: number;
  title: string;
  summaryText: string;
  features: Features;
}

/** An article ready for placement: features with sketch keys, dedup signature, roundup flag. */
export interface PlacementItem {
  id: number;
  f: Features;
  minhash: number[];
  bandKeys: number[];
  roundup: boolean;
}

export function placementItems(batch: readonly PlacementInput[], keyIdf: IdfFn): PlacementItem[] {
  return batch.map((a) => {
    const f: Features = { ...a.features, sketchKeys: featureKeys(a.features, keyIdf) };
    const sig = dedupSignature(a.title, a.summaryText);
    return { id: a.id, f, minhash: Array.from(sig.minhash), bandKeys: sig.bandKeys, roundup: isRoundup(a.title) };
  });
}

/** Every story id the store's answers mention (the stories to load before placing). */
export function candidateStoryIds(keyHits: ReadonlyMap<number, StoryKeyHit[]>, bandHits: ReadonlyMap<number, BandHit[]>): number[] {
  const storyIds = new Set<number>();
  for (const hs of keyHits.values()) for (const h of hs) storyIds.add(h.storyId);
  for (const hs of bandHits.values()) for (const h of hs) if (h.storyId !== null) storyIds.add(h.storyId);
  return [...storyIds];
}

/** Terms and anchors (English readings' too) of the loaded stories' members whose document frequency is not known yet. */
export function unknownTerms(stories: Iterable<LoadedStory>, df: ReadonlyMap<string, number>): string[] {
  const missing = new Set<string>();
  const scan = (m: Features) => {
    for (const k in m.terms) if (!df.has(k)) missing.add(k);
    for (const k in m.anchors) if (!df.has(k)) missing.add(k);
    if (m.en) for (const k of [...Object.keys(m.en.terms), ...Object.keys(m.en.anchors)]) if (!df.has(k)) missing.add(k);
  };
  for (const s of stories) {
    if (s.seed) scan(s.seed);
    for (const m of s.recent) scan(m);
  }
  return [...missing];
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

/** What the store must record after a batch; story ids may be temporary (< 0) until `real` maps them. */
export interface PlacementPlan {
  /** Stories this batch starts: temporary id → the article that starts it. */
  newStories: Array<{ tempId: number; seedArticleId: number }>;
  /** One row per placed article: signature, copy pointer, story (null for a roundup). */
  articles: Array<{ id: number; minhash: number[]; bandKeys: number[]; features: Features; duplicateOf: number | null; storyId: number | null; roundup: boolean }>;
  /** Copy families whose original changed, composed in order (see composeRepoints). */
  repoints: Array<{ root: number; to: number }>;
  merges: Array<{ into: number; from: number[] }>;
  /** Sketch-key postings, latest time per (story, key). */
  postings: Array<{ storyId: number; key: number; lastSeenAtMs: number }>;
  /** A roundup attached to a story it names. */
  roundupLinks: Array<{ storyId: number; articleId: number; score: number }>;
  /** Storyline links between two live stories (one pair once, best score), to store both ways. */
  storyLinks: Array<{ storyId: number; relatedId: number; score: number; shared: string[] }>;
  /** Live stories whose members changed. */
  touched: number[];
  duplicates: number;
  /** Follows merges within the batch: the live (possibly temporary) id of a story. */
  resolve(id: number): number;
}

/** The batch's decisions, article by article, over what the store holds and what earlier articles did. */
export class StoryPlacer {
  private readonly st: Overlay;
  /** Wire-copy bookkeeping: every copy object known, by band key for the batch's own articles. */
  private readonly copies = new Map<number, Copy>();
  private readonly pubMs = new Map<number, number>();
  private readonly batchBands = new Map<number, Copy[]>();
  private readonly placed: Array<{ item: PlacementItem; self: Copy }> = [];
  private readonly repointLog: Array<{ to: number; family: number[] }> = [];
  private readonly roundupLinks: Array<{ storyId: number; articleId: number; score: number }> = [];
  /** Storyline links as found, from the story of the article that found them (`articleId`: refine() may move it). */
  private readonly storyLinks: Array<{ articleId: number; storyId: number; relatedId: number; score: number; shared: string[] }> = [];
  private duplicates = 0;
  private readonly windowMs: number;
  private readonly linkWindowMs: number;

  constructor(
    private readonly items: readonly PlacementItem[],
    private readonly bandHits: ReadonlyMap<number, BandHit[]>,
    private readonly keyHits: ReadonlyMap<number, StoryKeyHit[]>,
    loaded: Iterable<LoadedStory>,
    private readonly idf: IdfFn,
    private readonly opts: ClusterOptions,
    /** Story key hits over the storyline window (linkWindowHours), per article; empty when links are off. */
    private readonly linkHits: ReadonlyMap<number, StoryKeyHit[]> = new Map(),
  ) {
    this.windowMs = opts.windowHours * 3_600_000;
    this.linkWindowMs = (opts.linkWindowHours ?? 0) * 3_600_000;
    this.st = new Overlay(opts.maxMembersPerCandidate);
    for (const s of loaded) this.st.stories.set(s.id, { ...s, firstMs: s.firstPublishedAtMs, lastMs: s.lastPublishedAtMs, mergedInto: null });
    for (const hs of bandHits.values())
      for (const h of hs) {
        if (!this.copies.has(h.id)) this.copies.set(h.id, { id: h.id, minhash: h.minhash, publishedAtMs: h.publishedAt.getTime(), storyId: h.storyId, duplicateOf: h.duplicateOf });
        this.pubMs.set(h.id, h.publishedAt.getTime());
        if (h.duplicateOf !== null) this.pubMs.set(h.duplicateOf, h.rootPublishedAt.getTime());
      }
    for (const { id, f } of items) this.pubMs.set(id, f.publishedAtMs);
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
    const item = this.items[i]!;
    const self: Copy = { id: item.id, minhash: item.minhash, publishedAtMs: item.f.publishedAtMs, storyId: null, duplicateOf: null };
    if (near.length) this.recordCopy(self, near);
    this.placed.push({ item, self });
    for (const k of new Set(item.bandKeys)) {
      let list = this.batchBands.get(k);
      if (!list) this.batchBands.set(k, (list = []));
      list.push(self);
    }
    if (item.roundup) {
      this.attachRoundup(i);
      return;
    }
    // A copy joins its original's story; anything else is placed by decideStory.
    const sibling = near.find((c) => c.storyId !== null);
    if (sibling) {
      self.storyId = this.st.add(sibling.storyId!, item.f);
      return;
    }
    // The decision and the storyline links score overlapping candidates: each story once per article.
    const scores: StoryScores = new Map();
    self.storyId = this.decide(i, scores);
    // Before link(): its candidates come from the three-week storyline window, not the event window.
    this.noteRunnerUp(item.id, self.storyId, scores);
    this.link(i, self.storyId, scores);
  }

  /**
   * Placement over, a second look at the batch as a whole, where arrival order no longer decides: a story the
   * batch started that holds two events is split and its outliers leave it (splitByEvent), then stories the
   * batch touched that score as one (groupScore ≥ the join threshold) merge.
   */
  refine(): void {
    this.splitMixedStories();
    this.mergeAlikeStories();
  }

  /** The story each article scored best after its own (the one it would have joined next), for refine(). */
  private readonly runnerUp = new Map<number, number>();

  private noteRunnerUp(articleId: number, own: number, scores: StoryScores): void {
    let best = -1;
    let id: number | undefined;
    for (const [k, v] of scores) {
      const s = Number(k);
      if (s !== own && v > best) {
        best = v;
        id = s;
      }
    }
    if (id !== undefined) this.runnerUp.set(articleId, id);
  }

  /** The batch's placed members of each live story (roundups are members of none). */
  private batchMembers(): Map<number, Array<{ item: PlacementItem; self: Copy }>> {
    const out = new Map<number, Array<{ item: PlacementItem; self: Copy }>>();
    for (const p of this.placed) {
      if (p.self.storyId === null) continue;
      const id = this.st.resolve(p.self.storyId);
      const list = out.get(id);
      if (list) list.push(p);
      else out.set(id, [p]);
    }
    return out;
  }

  /** Only stories the batch started and that hold nothing stored: stored members were placed and shown before. */
  private splitMixedStories(): void {
    const seeds = new Set([...this.st.stories.values()].flatMap((s) => (s.seedArticleId === undefined ? [] : [s.seedArticleId])));
    for (const [id, members] of this.batchMembers()) {
      if (id > 0 || this.st.sizeOf(id) !== members.length) continue;
      const parts = splitByEvent(members.map((m) => m.item.f), this.idf, this.opts);
      if (parts.length < 2) continue;
      const groups = parts.map((p) => p.map((k) => members[k]!));
      const seed = this.st.seedOf(id);
      for (const g of groups) {
        if (g.some((m) => m.item.id === seed)) continue;
        // A new story needs an article that starts no other story of the batch (a story merged away still names it).
        const first = [...g].sort((x, y) => x.item.f.publishedAtMs - y.item.f.publishedAtMs || x.item.id - y.item.id).find((m) => !seeds.has(m.item.id));
        if (!first) continue;
        seeds.add(first.item.id);
        const moving = new Set(g);
        const kept = members.filter((m) => !moving.has(m));
        const to = this.st.splitOff(id, kept.map((m) => m.item.f), g.map((m) => m.item.f), first.item.f, first.item.id);
        for (const m of g) m.self.storyId = to;
        members.splice(0, members.length, ...kept);
      }
    }
  }

  /**
   * Each batch story against the story each of its articles would have joined next (runnerUp): a pair scoring at
   * least the join threshold, compared as candidates are (seed and most recent members), merges; best pair first.
   */
  private mergeAlikeStories(): void {
    const offered = (id: number) => this.st.offered(id);
    const pairs: Array<{ a: number; b: number; score: number }> = [];
    const seen = new Set<string>();
    for (const [id, members] of this.batchMembers())
      for (const m of members) {
        const next = this.runnerUp.get(m.item.id);
        const other = next === undefined ? id : this.st.resolve(next);
        const key = id < other ? `${id}:${other}` : `${other}:${id}`;
        if (other === id || seen.has(key)) continue;
        seen.add(key);
        const score = groupScore(offered(id), offered(other), this.idf, this.opts);
        if (score >= this.opts.joinThreshold) pairs.push({ a: id, b: other, score });
      }
    pairs.sort((x, y) => y.score - x.score || x.a - y.a || x.b - y.b);
    for (const p of pairs) {
      const a = this.st.resolve(p.a);
      const b = this.st.resolve(p.b);
      if (a === b) continue;
      // Scored again when an earlier merge grew either side.
      if ((a !== p.a || b !== p.b) && groupScore(offered(a), offered(b), this.idf, this.opts) < this.opts.joinThreshold) continue;
      const [into, from] = this.st.survivor(a, b);
      this.st.merge(into, [from]);
    }
  }

  /** Placement over; what the store must record. */
  plan(): PlacementPlan {
    const st = this.st;
    return {
      newStories: [...st.stories.values()].filter((s) => s.id < 0).map((s) => ({ tempId: s.id, seedArticleId: s.seedArticleId! })),
      articles: this.placed.map(({ item, self }) => ({
        id: item.id,
        minhash: item.minhash,
        bandKeys: item.bandKeys,
        features: item.f,
        duplicateOf: self.duplicateOf,
        storyId: self.storyId === null ? null : st.resolve(self.storyId),
        roundup: item.roundup,
      })),
      repoints: composeRepoints(this.repointLog),
      merges: st.merges,
      postings: st.postings(),
      roundupLinks: this.roundupLinks.map((l) => ({ ...l, storyId: st.resolve(l.storyId) })),
      storyLinks: this.resolvedLinks(),
      // A story a roundup names has new coverage: it is touched (its activity time and links are refreshed).
      touched: [...new Set([...st.touched, ...this.roundupLinks.map((l) => l.storyId)].map((id) => st.resolve(id)))],
      duplicates: this.duplicates,
      resolve: (id) => st.resolve(id),
    };
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
      this.repointLog.push({ to, family });
      const fam = new Set(family);
      for (const c of [...this.copies.values(), ...this.placed.map((p) => p.self)])
        if (c.id !== to && (fam.has(c.id) || (c.duplicateOf !== null && fam.has(c.duplicateOf)))) c.duplicateOf = to;
    }
    this.duplicates++;
  }

  private candidates(i: number): StoryCandidate[] {
    const { f } = this.items[i]!;
    const t = f.publishedAtMs;
    return this.st.candidates(this.keyHits.get(i) ?? [], f, t - this.windowMs, t + this.windowMs, this.opts.maxCandidates);
  }

  private decide(i: number, scores: StoryScores): number {
    const { id, f } = this.items[i]!;
    const decision = decideStory(f, this.candidates(i), this.opts, this.idf, scores);
    if (decision.action === 'new') return this.st.create(id, f);
    if (decision.action === 'join') return this.st.add(Number(decision.storyId), f);
    const [into, ...from] = decision.storyIds.map(Number);
    this.st.merge(into!, from);
    return this.st.add(into!, f);
  }

  /** Storyline links of article i's story to the stories of the longer window it did not join. */
  private link(i: number, storyId: number, scores: StoryScores): void {
    if (this.linkWindowMs <= 0) return;
    const { f } = this.items[i]!;
    const t = f.publishedAtMs;
    const own = this.st.resolve(storyId);
    const candidates = this.st.candidates(this.linkHits.get(i) ?? [], f, t - this.linkWindowMs, t + this.linkWindowMs, this.opts.maxCandidates);
    for (const l of storylineLinks(f, candidates, String(own), this.opts, this.idf, scores))
      this.storyLinks.push({ articleId: this.items[i]!.id, storyId: own, relatedId: Number(l.storyId), score: l.score, shared: l.shared });
  }

  /** Links between live stories after the batch's merges: one per pair (lower id first), best score. */
  private resolvedLinks(): PlacementPlan['storyLinks'] {
    const best = new Map<string, PlacementPlan['storyLinks'][number]>();
    const storyOf = new Map(this.placed.map(({ item, self }) => [item.id, self.storyId]));
    for (const l of this.storyLinks) {
      const a = this.st.resolve(storyOf.get(l.articleId) ?? l.storyId);
      const b = this.st.resolve(l.relatedId);
      if (a === b) continue;
      const [x, y] = a < b ? [a, b] : [b, a];
      const key = `${x}:${y}`;
      const was = best.get(key);
      if (!was || l.score > was.score) best.set(key, { storyId: x, relatedId: y, score: l.score, shared: l.shared });
    }
    return [...best.values()];
  }

  private attachRoundup(i: number): void {
    const { id, f } = this.items[i]!;
    for (const n of storiesNamedByRoundup(f, this.candidates(i), this.opts, this.idf))
      this.roundupLinks.push({ storyId: Number(n.storyId), articleId: id, score: n.score });
  }
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

  /** The store's top stories by shared keys, plus what this batch posted, ranked as the store ranks them. */
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
        const members = this.offered(id);
        return { storyId: String(id), size: s.size, firstPublishedAtMs: s.firstMs, lastPublishedAtMs: s.lastMs, members, keyHits: h.keys.size };
      })
      .filter((c) => c.members.length > 0);
  }

  sizeOf(id: number): number {
    return this.state(id).size;
  }

  seedOf(id: number): number | undefined {
    return this.state(id).seedArticleId;
  }

  /** The members a story offers as a candidate: its seed and most recent ones, at most maxMembers. */
  offered(id: number): Features[] {
    const s = this.state(id);
    return (s.seed ? [s.seed, ...s.recent.filter((m) => m !== s.seed)] : s.recent).slice(0, this.maxMembers);
  }

  /** Which of two live stories survives their merge: the larger, then the earlier, then a stored one before a new one, then the lower id. */
  survivor(a: number, b: number): [number, number] {
    const x = this.state(a);
    const y = this.state(b);
    const first = y.size - x.size || x.firstMs - y.firstMs || (x.id > 0 === y.id > 0 ? x.id - y.id : y.id - x.id);
    return first <= 0 ? [a, b] : [b, a];
  }

  /**
   * Splits story `id` (all of whose members are the batch's own: `kept` and `moved`) in two: `moved` goes to a new
   * story that `seed` (one of them, the article `seedArticleId`) starts. Both stories' aggregates and postings are
   * rebuilt from their members. Returns the new story's id.
   */
  splitOff(id: number, kept: readonly Features[], moved: readonly Features[], seed: Features, seedArticleId: number): number {
    const to = this.nextTemp--;
    this.stories.set(to, { id: to, size: 0, firstMs: Infinity, lastMs: -Infinity, seed, recent: [], mergedInto: null, seedArticleId });
    for (const byStory of this.posted.values()) byStory.delete(id);
    this.rebuild(this.state(id), kept);
    this.rebuild(this.state(to), moved);
    this.touched.add(to);
    return to;
  }

  private rebuild(s: StoryState, members: readonly Features[]): void {
    s.size = members.length;
    s.firstMs = Math.min(...members.map((f) => f.publishedAtMs));
    s.lastMs = Math.max(...members.map((f) => f.publishedAtMs));
    s.recent = newest(members.filter((f) => f !== s.seed), this.maxMembers);
    for (const f of members) this.post(s.id, f.sketchKeys, f.publishedAtMs);
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

  /** Every posting the batch made (thousands per batch: a loop kept out of async code). */
  postings(): Array<{ storyId: number; key: number; lastSeenAtMs: number }> {
    const out: Array<{ storyId: number; key: number; lastSeenAtMs: number }> = [];
    for (const [key, byStory] of this.posted) for (const [storyId, ms] of byStory) out.push({ storyId, key, lastSeenAtMs: ms });
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
