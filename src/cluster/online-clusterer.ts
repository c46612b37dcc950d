// Online event clustering: the pure decision (decideStory), an in-memory StoryIndex that mirrors what the
// SQL store does, and an OnlineClusterer that wires them (eval, tests, benchmarks). The DB path
// (src/services/cluster-batch.ts) reuses articleFeatures + decideStory over the store's candidates.
import { articleFeatures } from './features.js';
import { DocumentFrequencyTable, similarity } from './similarity.js';
import type {
  ArticleInput,
  ClusterOptions,
  Features,
  IdfFn,
  StoryCandidate,
  StoryDecision,
  StoryIndex,
} from './types.js';

export const DEFAULT_CLUSTER_OPTIONS: Readonly<ClusterOptions> = Object.freeze({
  // Tuned on the Google News headline clusters (B-cubed) and checked on SemEval pairs: 0.2 is where F1
  // peaks on headlines; long articles would tolerate a higher threshold (see bench/eval-clusters.ts).
  joinThreshold: 0.2,
  mergeThreshold: 0.3,
  windowHours: 72,
  maxCandidates: 10,
  maxMembersPerCandidate: 5,
});

/**
 * Score of an article against a story: mean of the best member similarity and the mean member similarity.
 * Pure max (single link) chains loosely related articles into one blob; pure mean penalises big stories
 * whose members cover different angles. Half of each behaves well on the Google News clusters.
 */
export function storyScore(article: Features, candidate: StoryCandidate, idf: IdfFn): number {
  if (candidate.members.length === 0) return 0;
  let max = 0;
  let sum = 0;
  for (const m of candidate.members) {
    const s = similarity(article, m, idf);
    sum += s;
    if (s > max) max = s;
  }
  return 0.5 * max + 0.5 * (sum / candidate.members.length);
}

/**
 * The clustering decision, pure and deterministic: given the article and the candidate stories returned by
 * a StoryIndex, join the best story scoring ≥ joinThreshold; if two or more stories each score
 * ≥ mergeThreshold the article bridges them: merge them, the largest (then earliest, then smallest id)
 * surviving as storyIds[0]; otherwise start a new story.
 */
export function decideStory(
  article: Features,
  candidates: readonly StoryCandidate[],
  opts: Pick<ClusterOptions, 'joinThreshold' | 'mergeThreshold'>,
  idf: IdfFn,
): StoryDecision {
  // One decision scores up to maxCandidates × maxMembersPerCandidate pairs over the same few hundred
  // terms: memoise IDF (a map lookup + log each) for the duration of the call.
  const memo = new Map<string, number>();
  const cachedIdf: IdfFn = (t) => {
    let v = memo.get(t);
    if (v === undefined) memo.set(t, (v = idf(t)));
    return v;
  };
  const scored = candidates
    .map((c) => ({ c, score: storyScore(article, c, cachedIdf) }))
    .filter((x) => x.score >= opts.joinThreshold)
    .sort((a, b) => b.score - a.score || (a.c.storyId < b.c.storyId ? -1 : 1));
  if (scored.length === 0) return { action: 'new' };
  const bridging = scored.filter((x) => x.score >= opts.mergeThreshold);
  if (bridging.length >= 2) {
    const ids = bridging
      .map((x) => x.c)
      .sort(
        (a, b) =>
          b.size - a.size ||
          a.firstPublishedAtMs - b.firstPublishedAtMs ||
          (a.storyId < b.storyId ? -1 : 1),
      )
      .map((c) => c.storyId);
    return { action: 'merge', storyIds: ids, score: bridging[0].score };
  }
  return { action: 'join', storyId: scored[0].c.storyId, score: scored[0].score };
}

interface StoryRec {
  id: string;
  size: number;
  firstMs: number;
  lastMs: number;
  /** null once evicted (outside every window). */
  seed: Features | null;
  recent: Features[];
  articleIds: string[];
  keys: Set<number>;
  mergedInto: string | null;
}

interface Posting {
  storyId: string;
  lastSeenMs: number;
}

/**
 * In-memory StoryIndex with the same semantics as the SQL one: postings per sketch key, each lookup walks
 * at most `maxPostingsPerKey` most recent postings of each key (the SQL equivalent is the (key,
 * last_seen_at) index scan bounded by the window), so placement cost does not grow with the store.
 */
export class InMemoryStoryIndex implements StoryIndex {
  private readonly stories = new Map<string, StoryRec>();
  private readonly postings = new Map<number, Posting[]>();
  /** Stories in creation order, for releasing the features of stories that left the window. */
  private readonly ageQueue: string[] = [];
  private ageHead = 0;
  private nextId = 1;

  constructor(
    private readonly maxMembersPerCandidate = DEFAULT_CLUSTER_OPTIONS.maxMembersPerCandidate,
    private readonly maxPostingsPerKey = 64,
  ) {}

  get storyCount(): number {
    let n = 0;
    for (const s of this.stories.values()) if (s.mergedInto === null) n++;
    return n;
  }

  findCandidateStoriesSync(keys: readonly number[], windowStart: Date, windowEnd: Date, limit: number): StoryCandidate[] {
    const lo = windowStart.getTime();
    const hi = windowEnd.getTime();
    const hits = new Map<string, number>();
    for (const k of keys) {
      const list = this.postings.get(k);
      if (!list) continue;
      const seen = new Set<string>();
      for (let i = list.length - 1, n = 0; i >= 0 && n < this.maxPostingsPerKey; i--, n++) {
        const p = list[i];
        const id = this.resolveSync(p.storyId);
        if (seen.has(id)) continue;
        seen.add(id);
        const s = this.stories.get(id)!;
        if (s.lastMs < lo || s.firstMs > hi) continue;
        hits.set(id, (hits.get(id) ?? 0) + 1);
      }
    }
    return [...hits.entries()]
      .sort((a, b) => b[1] - a[1] || this.stories.get(b[0])!.lastMs - this.stories.get(a[0])!.lastMs)
      .slice(0, limit)
      .map(([id, keyHits]) => this.candidate(this.stories.get(id)!, keyHits));
  }

  async findCandidateStories(keys: readonly number[], windowStart: Date, windowEnd: Date, limit: number): Promise<StoryCandidate[]> {
    return this.findCandidateStoriesSync(keys, windowStart, windowEnd, limit);
  }

  private candidate(s: StoryRec, keyHits: number): StoryCandidate {
    const members = (s.seed ? [s.seed, ...s.recent.filter((f) => f !== s.seed)] : s.recent).slice(0, this.maxMembersPerCandidate);
    return { storyId: s.id, size: s.size, firstPublishedAtMs: s.firstMs, lastPublishedAtMs: s.lastMs, members, keyHits };
  }

  createStorySync(articleId: string, f: Features): string {
    const id = `s${this.nextId++}`;
    this.stories.set(id, {
      id, size: 1, firstMs: f.publishedAtMs, lastMs: f.publishedAtMs, seed: f, recent: [f],
      articleIds: [articleId], keys: new Set(), mergedInto: null,
    });
    this.ageQueue.push(id);
    this.post(id, f.sketchKeys, f.publishedAtMs);
    return id;
  }

  async createStory(articleId: string, f: Features): Promise<string> {
    return this.createStorySync(articleId, f);
  }

  addToStorySync(storyId: string, articleId: string, f: Features): void {
    const s = this.stories.get(this.resolveSync(storyId))!;
    s.size++;
    s.articleIds.push(articleId);
    if (f.publishedAtMs < s.firstMs) s.firstMs = f.publishedAtMs;
    if (f.publishedAtMs > s.lastMs) s.lastMs = f.publishedAtMs;
    s.recent.push(f);
    if (s.recent.length > this.maxMembersPerCandidate) s.recent.shift();
    this.post(s.id, f.sketchKeys, s.lastMs);
  }

  async addToStory(storyId: string, articleId: string, f: Features): Promise<void> {
    this.addToStorySync(storyId, articleId, f);
  }

  mergeStoriesSync(into: string, from: readonly string[]): void {
    const target = this.stories.get(this.resolveSync(into))!;
    for (const fid of from) {
      const src = this.stories.get(this.resolveSync(fid))!;
      if (src === target) continue;
      src.mergedInto = target.id;
      target.size += src.size;
      target.articleIds.push(...src.articleIds);
      target.firstMs = Math.min(target.firstMs, src.firstMs);
      target.lastMs = Math.max(target.lastMs, src.lastMs);
      target.recent = [...target.recent, ...src.recent]
        .sort((a, b) => a.publishedAtMs - b.publishedAtMs)
        .slice(-this.maxMembersPerCandidate);
      this.post(target.id, [...src.keys], target.lastMs);
      src.recent = [];
      src.articleIds = [];
    }
  }

  async mergeStories(into: string, from: readonly string[]): Promise<void> {
    this.mergeStoriesSync(into, from);
  }

  resolveSync(id: string): string {
    let cur = id;
    let s = this.stories.get(cur);
    while (s && s.mergedInto !== null) {
      cur = s.mergedInto;
      s = this.stories.get(cur);
    }
    // Path compression: point every story on the chain straight at the live one.
    let p = this.stories.get(id);
    while (p && p.mergedInto !== null && p.mergedInto !== cur) {
      const next = p.mergedInto;
      p.mergedInto = cur;
      p = this.stories.get(next);
    }
    return cur;
  }

  async resolveStory(id: string): Promise<string> {
    return this.resolveSync(id);
  }

  /** Live stories with their article ids (eval output). */
  listStories(): { storyId: string; articleIds: string[]; firstMs: number; lastMs: number }[] {
    return [...this.stories.values()]
      .filter((s) => s.mergedInto === null)
      .map((s) => ({ storyId: s.id, articleIds: [...s.articleIds], firstMs: s.firstMs, lastMs: s.lastMs }));
  }

  /**
   * Releases member features and keys of stories whose last article is older than `beforeMs` (they can no
   * longer be candidates); ids and article lists stay so merged ids keep resolving. Amortised O(1) per call,
   * so memory stays bounded by the window, as the DB's working set would.
   */
  evictBefore(beforeMs: number): void {
    // A bounded number of steps per call: each placement creates at most one story, so 16 steps keep up.
    for (let budget = 16; budget > 0 && this.ageHead < this.ageQueue.length; budget--) {
      const s = this.stories.get(this.ageQueue[this.ageHead])!;
      if (s.mergedInto === null && s.lastMs >= beforeMs) {
        if (s.firstMs >= beforeMs) break; // created inside the horizon: every later story is newer
        this.ageQueue.push(s.id); // old but still receiving articles: look again later
        this.ageHead++;
        continue;
      }
      s.seed = null;
      s.recent = [];
      s.keys = new Set();
      this.ageHead++;
    }
    if (this.ageHead > 4096 && this.ageHead * 2 > this.ageQueue.length) {
      this.ageQueue.splice(0, this.ageHead);
      this.ageHead = 0;
    }
  }

  private post(storyId: string, keys: Iterable<number>, ms: number): void {
    const s = this.stories.get(storyId)!;
    for (const k of keys) {
      s.keys.add(k);
      let list = this.postings.get(k);
      if (!list) this.postings.set(k, (list = []));
      list.push({ storyId, lastSeenMs: ms });
      // Lookups only read the newest maxPostingsPerKey entries: drop the rest in amortised O(1).
      if (list.length >= 4 * this.maxPostingsPerKey) list.splice(0, list.length - this.maxPostingsPerKey);
    }
  }
}

export interface PlaceResult {
  storyId: string;
  decision: StoryDecision;
  features: Features;
}

/**
 * In-memory online clusterer: features → candidates by sketch keys → decideStory → apply.
 * Document frequencies are learned as articles arrive (optionally pre-seeded, e.g. from a corpus).
 */
export class OnlineClusterer {
  readonly opts: ClusterOptions;
  readonly index: InMemoryStoryIndex;
  readonly df: DocumentFrequencyTable;
  /** When false, the df table is left alone (use a pre-fitted, frozen table). */
  learnDf = true;

  constructor(opts: Partial<ClusterOptions> = {}, df = new DocumentFrequencyTable()) {
    this.opts = { ...DEFAULT_CLUSTER_OPTIONS, ...opts };
    this.index = new InMemoryStoryIndex(this.opts.maxMembersPerCandidate);
    this.df = df;
  }

  /** Synchronous placement (the in-memory index needs no I/O). */
  place(articleId: string, input: ArticleInput, features?: Features): PlaceResult {
    const f = features ?? articleFeatures(input, { idf: this.df.idf });
    const windowMs = this.opts.windowHours * 3_600_000;
    const t = f.publishedAtMs;
    const candidates = this.index.findCandidateStoriesSync(
      f.sketchKeys, new Date(t - windowMs), new Date(t + windowMs), this.opts.maxCandidates,
    );
    const decision = decideStory(f, candidates, this.opts, this.df.idf);
    let storyId: string;
    if (decision.action === 'new') {
      storyId = this.index.createStorySync(articleId, f);
    } else if (decision.action === 'join') {
      storyId = decision.storyId;
      this.index.addToStorySync(storyId, articleId, f);
    } else {
      storyId = decision.storyIds[0];
      this.index.mergeStoriesSync(storyId, decision.storyIds.slice(1));
      this.index.addToStorySync(storyId, articleId, f);
    }
    if (this.learnDf) this.df.add(f);
    if (Number.isFinite(t)) this.index.evictBefore(t - 2 * windowMs);
    return { storyId, decision, features: f };
  }

  resolve(storyId: string): string {
    return this.index.resolveSync(storyId);
  }
}

/**
 * The same placement against any StoryIndex (the DB path): the lead can call this with a SQL index and an
 * IDF built from `term_df`.
 */
export async function placeArticle(
  index: StoryIndex,
  articleId: string,
  f: Features,
  idf: IdfFn,
  opts: ClusterOptions = DEFAULT_CLUSTER_OPTIONS,
): Promise<{ storyId: string; decision: StoryDecision }> {
  const windowMs = opts.windowHours * 3_600_000;
  const t = f.publishedAtMs;
  const candidates = await index.findCandidateStories(f.sketchKeys, new Date(t - windowMs), new Date(t + windowMs), opts.maxCandidates);
  const decision = decideStory(f, candidates, opts, idf);
  if (decision.action === 'new') return { storyId: await index.createStory(articleId, f), decision };
  if (decision.action === 'join') {
    await index.addToStory(decision.storyId, articleId, f);
    return { storyId: decision.storyId, decision };
  }
  const [into, ...from] = decision.storyIds;
  await index.mergeStories(into, from);
  await index.addToStory(into, articleId, f);
  return { storyId: into, decision };
}
