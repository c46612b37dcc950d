// An in-memory ClusterStore: the same answers as the SQL store (db/repositories/clustering.repository.ts),
// statement for statement, so the one placer (place-articles.ts) runs over it unchanged. Used where a
// database would measure the database rather than the placer: `bench:cluster` at a million articles.
// test/integration/cluster-memory-store.test.ts proves it yields the partition the SQL store yields.
import type { ClusterInput } from './place-articles.js';
import type { BandHit, ClusterStore, Features, LoadedStory, StoryKeyHit } from './types.js';

/** Postings read per sketch key, newest first (as the SQL store's index range scan). */
const POSTINGS_PER_KEY = 64;
/** Band candidates read per band key, highest article id first. */
const BAND_CANDIDATES_PER_KEY = 20;
/**
 * A key's postings are pruned beyond this many entries to those seen within PRUNE_HORIZON of the newest
 * placement (a window lookup never reaches further back): memory stays bounded by the window, as the
 * database's working set does. Below it nothing is pruned, so small runs match the SQL store exactly.
 */
const PRUNE_ABOVE = 1024;
const PRUNE_HORIZON_MS = 14 * 86_400_000;

interface MemArticle {
  id: number;
  publishedAtMs: number;
  relevance: ClusterInput['relevance'];
  storyId: number | null;
  duplicateOf: number | null;
  features: Features | null;
  minhash: number[] | null;
  roundup: boolean;
  placed: boolean;
}

interface MemStory {
  id: number;
  size: number;
  firstMs: number;
  lastMs: number;
  firstArticleId: number | null;
  mergedInto: number | null;
  members: Set<number>;
}

const RELEVANCE_RANK: Record<string, number> = { on_beat: 0, adjacent: 1 };

/** The first report: on-beat before adjacent before the rest, originals before copies, then earliest, then id. */
function firstReportOrder(a: MemArticle, b: MemArticle): number {
  return (
    (RELEVANCE_RANK[a.relevance ?? ''] ?? 2) - (RELEVANCE_RANK[b.relevance ?? ''] ?? 2) ||
    Number(a.duplicateOf !== null) - Number(b.duplicateOf !== null) ||
    a.publishedAtMs - b.publishedAtMs ||
    a.id - b.id
  );
}

export class MemoryClusterStore implements ClusterStore {
  private readonly articles = new Map<number, MemArticle>();
  private readonly stories = new Map<number, MemStory>();
  /** Band key → article ids, ascending. */
  private readonly bands = new Map<number, number[]>();
  /** Sketch key → story → last seen (ms): story_keys. */
  private readonly postings = new Map<number, Map<number, number>>();
  /**
   * The index on story_keys (key, last_seen_at): per key, (last seen, story) entries in time order. An entry
   * whose story has since been seen later (or moved by a merge) is stale and skipped; stale entries are
   * compacted away when they outnumber live ones.
   */
  private readonly postingIndex = new Map<number, { ms: number[]; sid: number[]; compactAt: number }>();
  /** Family root → its copies (duplicate_of = root). */
  private readonly copies = new Map<number, Set<number>>();
  readonly roundups = new Map<number, Map<number, number>>();
  /** Storyline links, "a:b" with a < b → best score. */
  readonly links = new Map<string, number>();
  private readonly df = new Map<string, number>();
  private totalDocs = 0;
  private nextStoryId = 1;
  private newestMs = -Infinity;
  /** Placed articles in placement order, for releasing the signatures of those beyond the horizon. */
  private readonly ageQueue: number[] = [];
  private ageHead = 0;

  /** Articles as ingest stores them: known, not yet placed. */
  addArticles(inputs: readonly ClusterInput[]): void {
    for (const a of inputs) {
      if (this.articles.has(a.id)) continue;
      this.articles.set(a.id, { id: a.id, publishedAtMs: a.publishedAt.getTime(), relevance: a.relevance, storyId: null, duplicateOf: null, features: null, minhash: null, roundup: false, placed: false });
    }
  }

  /** Article id → live story id (null: roundup or unplaced). */
  partition(): Map<number, number | null> {
    const out = new Map<number, number | null>();
    for (const a of this.articles.values()) out.set(a.id, a.storyId === null ? null : this.live(a.storyId));
    return out;
  }

  get liveStories(): number {
    let n = 0;
    for (const s of this.stories.values()) if (s.mergedInto === null) n++;
    return n;
  }

  async findUnplacedArticleIds(ids: number[]): Promise<number[]> {
    return ids.filter((id) => this.articles.get(id)?.placed === false);
  }

  async documentFrequencies(terms: string[]): Promise<{ totalDocs: number; df: Map<string, number> }> {
    return { totalDocs: this.totalDocs, df: await this.termFrequencies(terms) };
  }

  async termFrequencies(terms: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const t of terms) out.set(t, this.df.get(t) ?? 0);
    return out;
  }

  async addDocumentFrequencies(counts: Map<string, number>, docs: number): Promise<void> {
    if (docs === 0) return;
    for (const [t, n] of counts) this.df.set(t, (this.df.get(t) ?? 0) + n);
    this.totalDocs += docs;
  }

  async findBandCandidatesBatch(keys: number[][], exclude: number[]): Promise<BandHit[]> {
    const ex = new Set(exclude);
    const hits: BandHit[] = [];
    keys.forEach((list, i) => {
      const ids = new Set<number>();
      for (const k of new Set(list)) {
        const arr = this.bands.get(k) ?? [];
        for (let j = arr.length - 1, n = 0; j >= 0 && n < BAND_CANDIDATES_PER_KEY; j--) {
          if (ex.has(arr[j]!)) continue;
          ids.add(arr[j]!);
          n++;
        }
      }
      for (const id of ids) {
        const a = this.articles.get(id)!;
        if (a.minhash === null) continue;
        const root = a.duplicateOf === null ? a : this.articles.get(a.duplicateOf);
        hits.push({
          i,
          id,
          minhash: a.minhash,
          publishedAt: new Date(a.publishedAtMs),
          storyId: a.storyId === null ? null : (this.stories.get(a.storyId)?.mergedInto ?? a.storyId),
          duplicateOf: a.duplicateOf,
          rootPublishedAt: new Date((root ?? a).publishedAtMs),
        });
      }
    });
    return hits;
  }

  async findStoryKeyHitsBatch(queries: Array<{ keys: number[]; windowStart: Date; windowEnd: Date }>, limit: number): Promise<StoryKeyHit[]> {
    const out: StoryKeyHit[] = [];
    queries.forEach((q, i) => {
      const ws = q.windowStart.getTime();
      const we = q.windowEnd.getTime();
      const agg = new Map<number, { keys: number[]; last: number }>();
      for (const k of new Set(q.keys)) {
        const byStory = this.postings.get(k);
        const idx = this.postingIndex.get(k);
        if (!byStory || !idx) continue;
        // Newest first inside the window, at most POSTINGS_PER_KEY live entries (the index range scan).
        let j = upperBound(idx.ms, we) - 1;
        const seen = new Set<number>();
        for (let n = 0; j >= 0 && idx.ms[j]! >= ws && n < POSTINGS_PER_KEY; j--) {
          const sid = idx.sid[j]!;
          const ms = idx.ms[j]!;
          if (byStory.get(sid) !== ms || seen.has(sid)) continue;
          seen.add(sid);
          n++;
          let g = agg.get(sid);
          if (!g) agg.set(sid, (g = { keys: [], last: ms }));
          g.keys.push(k);
          if (ms > g.last) g.last = ms;
        }
      }
      [...agg.entries()]
        .sort(([ia, a], [ib, b]) => b.keys.length - a.keys.length || b.last - a.last || ia - ib)
        .slice(0, limit)
        .filter(([sid]) => this.stories.get(sid)?.mergedInto === null)
        .forEach(([sid, g]) => out.push({ i, storyId: sid, keys: g.keys.sort((a, b) => a - b), lastHitMs: g.last }));
    });
    return out;
  }

  async loadStoriesForBatch(ids: number[], maxMembers: number): Promise<Map<number, LoadedStory>> {
    const out = new Map<number, LoadedStory>();
    for (const id of ids) {
      const s = this.stories.get(id);
      if (!s) continue;
      const seedArticle = s.firstArticleId === null ? undefined : this.articles.get(s.firstArticleId);
      const seed = seedArticle?.features ?? null;
      const recent = this.newestMembers(s, maxMembers)
        .map((a) => a.features)
        .filter((f): f is Features => f !== null);
      if (seed === null && recent.length === 0) continue;
      out.set(id, { id, size: s.size, firstPublishedAtMs: s.firstMs, lastPublishedAtMs: s.lastMs, seed, recent });
    }
    return out;
  }

  async findPublishedAt(ids: number[]): Promise<Array<{ id: number; publishedAt: Date }>> {
    return ids.flatMap((id) => {
      const a = this.articles.get(id);
      return a ? [{ id, publishedAt: new Date(a.publishedAtMs) }] : [];
    });
  }

  async createStoriesBatch(seedArticleIds: number[], _now: Date): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const seed of [...seedArticleIds].sort((a, b) => a - b)) {
      const a = this.articles.get(seed)!;
      const id = this.nextStoryId++;
      this.stories.set(id, { id, size: 1, firstMs: a.publishedAtMs, lastMs: a.publishedAtMs, firstArticleId: seed, mergedInto: null, members: new Set() });
      out.set(seed, id);
    }
    return out;
  }

  async saveSignaturesBatch(rows: Array<{ id: number; minhash: number[]; bandKeys: number[]; features: Features; duplicateOf: number | null; storyId: number | null; roundup: boolean }>): Promise<void> {
    for (const r of rows) {
      const a = this.articles.get(r.id)!;
      a.minhash = r.minhash;
      a.features = r.features;
      a.roundup = r.roundup;
      a.placed = true;
      this.ageQueue.push(a.id);
      this.setDuplicateOf(a, r.duplicateOf);
      this.setStory(a, r.storyId);
      if (a.publishedAtMs > this.newestMs) this.newestMs = a.publishedAtMs;
      for (const k of new Set(r.bandKeys)) {
        let arr = this.bands.get(k);
        if (!arr) this.bands.set(k, (arr = []));
        insertSorted(arr, r.id);
      }
    }
    this.release();
  }

  /**
   * Forgets the features and signature of articles published more than PRUNE_HORIZON before the newest one,
   * once more than PRUNE_ABOVE articles are held: memory stays bounded by the horizon (the database keeps
   * them on disk; a window lookup never reaches them, except as the seed of a story still active after two
   * weeks, which the SQL store would still compare).
   */
  private release(): void {
    const horizon = this.newestMs - PRUNE_HORIZON_MS;
    while (this.ageQueue.length - this.ageHead > PRUNE_ABOVE) {
      const a = this.articles.get(this.ageQueue[this.ageHead]!)!;
      if (a.publishedAtMs >= horizon) break;
      a.features = null;
      a.minhash = null;
      this.ageHead++;
    }
    if (this.ageHead > 65_536) {
      this.ageQueue.splice(0, this.ageHead);
      this.ageHead = 0;
    }
  }

  async repointDuplicates(moves: Array<{ root: number; to: number }>): Promise<void> {
    for (const { root, to } of moves) {
      const family = [root, ...(this.copies.get(root) ?? [])];
      for (const id of family) {
        const a = this.articles.get(id);
        if (!a || a.id === to || a.duplicateOf === to) continue;
        this.setDuplicateOf(a, to);
      }
    }
  }

  async mergeStories(into: number, from: number[]): Promise<void> {
    const sources = from.filter((x) => x !== into);
    if (sources.length === 0) return;
    const target = this.stories.get(into)!;
    for (const sid of sources) {
      const src = this.stories.get(sid)!;
      for (const m of [...src.members]) this.setStory(this.articles.get(m)!, into);
      for (const [key, byStory] of this.postings) {
        const ms = byStory.get(sid);
        if (ms === undefined) continue;
        byStory.delete(sid);
        this.post(key, into, ms);
      }
      const rs = this.roundups.get(sid);
      if (rs) {
        let tr = this.roundups.get(into);
        if (!tr) this.roundups.set(into, (tr = new Map()));
        for (const [aid, score] of rs) tr.set(aid, Math.max(score, tr.get(aid) ?? -Infinity));
        this.roundups.delete(sid);
      }
    }
    const src = new Set(sources);
    for (const s of this.stories.values()) if (src.has(s.id) || (s.mergedInto !== null && src.has(s.mergedInto))) s.mergedInto = target.id;
  }

  async postStoryKeysBatch(postings: Array<{ storyId: number; key: number; lastSeenAt: Date }>): Promise<void> {
    for (const p of postings) this.post(p.key, p.storyId, p.lastSeenAt.getTime());
  }

  /** ON CONFLICT (story_id, key) DO UPDATE SET last_seen_at = GREATEST(…), and the index entry. */
  private post(key: number, storyId: number, ms: number): void {
    let byStory = this.postings.get(key);
    if (!byStory) this.postings.set(key, (byStory = new Map()));
    const was = byStory.get(storyId);
    if (was !== undefined && was >= ms) return;
    byStory.set(storyId, ms);
    let idx = this.postingIndex.get(key);
    if (!idx) this.postingIndex.set(key, (idx = { ms: [], sid: [], compactAt: 32 }));
    const at = upperBound(idx.ms, ms);
    idx.ms.splice(at, 0, ms);
    idx.sid.splice(at, 0, storyId);
    // Compaction is linear in the key's entries: run it only when they doubled since the last one (amortised O(1)).
    if (idx.ms.length >= idx.compactAt) this.compact(key, byStory, idx);
  }

  /** Drops stale index entries, and beyond PRUNE_ABOVE postings those older than the horizon. */
  private compact(key: number, byStory: Map<number, number>, idx: { ms: number[]; sid: number[]; compactAt: number }): void {
    const horizon = byStory.size > PRUNE_ABOVE ? this.newestMs - PRUNE_HORIZON_MS : -Infinity;
    const ms: number[] = [];
    const sid: number[] = [];
    for (let j = 0; j < idx.ms.length; j++) {
      const s = idx.sid[j]!;
      const m = idx.ms[j]!;
      if (byStory.get(s) !== m) continue;
      if (m < horizon) {
        byStory.delete(s);
        continue;
      }
      ms.push(m);
      sid.push(s);
    }
    this.postingIndex.set(key, { ms, sid, compactAt: Math.max(32, 2 * ms.length) });
  }

  async attachRoundups(links: Array<{ storyId: number; articleId: number; score: number }>): Promise<void> {
    for (const l of links) {
      let m = this.roundups.get(l.storyId);
      if (!m) this.roundups.set(l.storyId, (m = new Map()));
      m.set(l.articleId, Math.max(l.score, m.get(l.articleId) ?? -Infinity));
    }
  }

  async addStoryLinks(links: Array<{ storyId: number; relatedId: number; score: number; shared: string[] }>): Promise<void> {
    for (const l of links) {
      const key = l.storyId < l.relatedId ? `${l.storyId}:${l.relatedId}` : `${l.relatedId}:${l.storyId}`;
      this.links.set(key, Math.max(l.score, this.links.get(key) ?? -Infinity));
    }
  }

  async refreshStoryAggregates(storyIds: number[], _now: Date): Promise<void> {
    for (const id of storyIds) {
      const s = this.stories.get(id);
      if (!s || s.members.size === 0) continue;
      let first: MemArticle | null = null;
      s.size = s.members.size;
      s.firstMs = Infinity;
      s.lastMs = -Infinity;
      for (const m of s.members) {
        const a = this.articles.get(m)!;
        if (a.publishedAtMs < s.firstMs) s.firstMs = a.publishedAtMs;
        if (a.publishedAtMs > s.lastMs) s.lastMs = a.publishedAtMs;
        if (first === null || firstReportOrder(a, first) < 0) first = a;
      }
      s.firstArticleId = first!.id;
    }
  }

  /** The `max` newest members other than the seed (published_at DESC, id DESC), in one pass. */
  private newestMembers(s: MemStory, max: number): MemArticle[] {
    const top: MemArticle[] = [];
    const newer = (a: MemArticle, b: MemArticle) => a.publishedAtMs > b.publishedAtMs || (a.publishedAtMs === b.publishedAtMs && a.id > b.id);
    for (const m of s.members) {
      if (m === s.firstArticleId) continue;
      const a = this.articles.get(m)!;
      if (top.length === max && !newer(a, top[max - 1]!)) continue;
      let j = top.length < max ? top.length : max - 1;
      top[j] = a;
      while (j > 0 && newer(top[j]!, top[j - 1]!)) {
        [top[j], top[j - 1]] = [top[j - 1]!, top[j]!];
        j--;
      }
    }
    return top;
  }

  private live(id: number): number {
    let s = this.stories.get(id)!;
    while (s.mergedInto !== null) s = this.stories.get(s.mergedInto)!;
    return s.id;
  }

  private setStory(a: MemArticle, storyId: number | null): void {
    if (a.storyId !== null) this.stories.get(a.storyId)?.members.delete(a.id);
    a.storyId = storyId;
    if (storyId !== null) this.stories.get(storyId)!.members.add(a.id);
  }

  private setDuplicateOf(a: MemArticle, to: number | null): void {
    if (a.duplicateOf !== null) this.copies.get(a.duplicateOf)?.delete(a.id);
    a.duplicateOf = to;
    if (to !== null) {
      let set = this.copies.get(to);
      if (!set) this.copies.set(to, (set = new Set()));
      set.add(a.id);
    }
  }
}

/** First index whose value is > x (values ascending). */
function upperBound(arr: readonly number[], x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(arr: number[], id: number): void {
  if (arr.length === 0 || arr[arr.length - 1]! < id) {
    arr.push(id);
    return;
  }
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  if (arr[lo] !== id) arr.splice(lo, 0, id);
}
