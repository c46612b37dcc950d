// Types shared by the pure clustering code and the store that the lead implements with SQL.
// Nothing here imports db/, kysely or node APIs: the DB path and the in-memory path both speak these.

/** Input to {@link import('./features.js').articleFeatures}. */
export interface ArticleInput {
  title: string;
  /** Plain-text summary (may be empty). Long bodies are fine: features cap their length. */
  summary: string;
  /** 'en' | 'es' | null. Decides how text vs language-independent evidence is weighed. */
  lang: string | null;
  /** Gazetteer entities from the classifier (src/beat), e.g. { id: 'person:claudia-sheinbaum' }. */
  entities?: { id: string }[];
  publishedAt: Date;
}

/**
 * Evidence about one article, JSON-serialisable (plain objects/arrays) so the DB can keep it in a
 * `jsonb` column (`article.cluster_features`) and hand it back inside {@link StoryCandidate.members}.
 */
export interface Features {
  /** Bumped when feature extraction changes; features of different versions should be recomputed. */
  v: number;
  lang: string | null;
  /** Epoch ms; NaN when unknown (then time proximity is neutral). */
  publishedAtMs: number;
  /** Stemmed title+summary term → weight (title occurrences count double). Language-specific. */
  terms: Record<string, number>;
  /**
   * Language-independent evidence → count. Keys are prefixed by kind:
   * `e:<entity id>` classifier entity, `n:<folded name>` capitalised name, `#<number>` normalised number,
   * `c:<concept>` bilingual lexicon concept, `p:<place>`, `o:<organisation>` (see lexicon.ts).
   */
  anchors: Record<string, number>;
  /**
   * Candidate-retrieval keys: signed 32-bit hashes of the article's most specific anchors (≤ 8) and terms (≤ 10).
   * Store one row per key (`story_key(story_id, key integer, last_seen_at)`, index on (key, last_seen_at)).
   */
  sketchKeys: number[];
}

/** Inverse document frequency of a term or anchor key (the strings used in Features). Must be > 0. */
export type IdfFn = (term: string) => number;

/**
 * Document frequencies, in memory (eval, tests) or in a `term_df(term text primary key, df integer)` table
 * plus a document counter. The DB variant fetches the df of the few terms it needs (`WHERE term = ANY($1)`)
 * and builds a synchronous {@link IdfFn} with `idfFromCounts` (similarity.ts).
 */
export interface DocumentFrequencySource {
  getDocumentFrequencies(terms: readonly string[]): Promise<{ totalDocs: number; df: Map<string, number> }>;
}

/** A story (event cluster) offered as a candidate for a new article. */
export interface StoryCandidate {
  storyId: string;
  /** Number of articles in the story. */
  size: number;
  firstPublishedAtMs: number;
  lastPublishedAtMs: number;
  /**
   * Features of some members: the store returns the most recent ones plus the first (seed) article, up to
   * {@link ClusterOptions.maxMembersPerCandidate}. decideStory compares the new article with each of them.
   */
  members: Features[];
  /** How many of the article's sketch keys this story shares (for ranking/limiting candidates). */
  keyHits?: number;
}

/**
 * What the clusterer needs from storage. The in-memory implementation lives in online-clusterer.ts;
 * the lead implements the same interface with SQL. Story ids are opaque strings.
 *
 * Suggested schema (integers are signed 32-bit so they fit `integer`):
 *   story(id, first_published_at, last_published_at, size, merged_into nullable)
 *   story_key(story_id, key integer, last_seen_at timestamptz)   -- union of members' sketchKeys
 *     index (key, last_seen_at)
 *   article(..., story_id, cluster_features jsonb, minhash integer[])
 *   article_band(article_id, band_key integer)  index (band_key)   -- near-dup LSH keys (fingerprint.ts)
 */
export interface StoryIndex {
  /**
   * Stories (not merged away) sharing at least one of `sketchKeys` whose last article was published in
   * [windowStart, windowEnd], ranked by shared-key count, then recency; at most `limit` of them.
   * Cost must depend only on the number of matching postings inside the window, never on store size:
   *   SELECT story_id, count(*) hits FROM story_key
   *    WHERE key = ANY($keys) AND last_seen_at BETWEEN $start AND $end
   *    GROUP BY story_id ORDER BY hits DESC, max(last_seen_at) DESC LIMIT $limit
   * then load each story's row and up to `maxMembersPerCandidate` members' `cluster_features`.
   */
  findCandidateStories(
    sketchKeys: readonly number[],
    windowStart: Date,
    windowEnd: Date,
    limit: number,
  ): Promise<StoryCandidate[]>;
  /** Creates a story whose single member is the article; returns its id. */
  createStory(articleId: string, features: Features): Promise<string>;
  /** Adds the article to the story and records its sketch keys against the story. */
  addToStory(storyId: string, articleId: string, features: Features): Promise<void>;
  /**
   * Merges `from` stories into `into` (members and keys move, `merged_into` is set on each `from` so that
   * old story ids keep resolving, e.g. in permalinks). Must be idempotent.
   */
  mergeStories(into: string, from: readonly string[]): Promise<void>;
  /** Follows merged_into links to the live story id (identity for live stories). */
  resolveStory(storyId: string): Promise<string>;
}

export type StoryDecision =
  | { action: 'join'; storyId: string; score: number }
  | { action: 'new' }
  /** Join storyIds[0] (the survivor) and merge the others into it. */
  | { action: 'merge'; storyIds: string[]; score: number };

export interface ClusterOptions {
  /** Minimum story score to join (see decideStory). */
  joinThreshold: number;
  /** Minimum score with *each* of two or more stories for the article to merge them (≥ joinThreshold). */
  mergeThreshold: number;
  /** Only stories whose last article is within this many hours of the new article are candidates. */
  windowHours: number;
  /** Candidates fetched per article. */
  maxCandidates: number;
  /** Members compared per candidate story. */
  maxMembersPerCandidate: number;
}
