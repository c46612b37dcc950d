// Types shared by the pure clustering code (features, similarity, decide, placer) and the store that feeds it.
// Nothing here imports db/, kysely or node APIs.
import type { Lexicon } from './lexicon.js';

/** What clustering needs of a stored article (from ingest, or loaded back for recluster/reclassify). */
export interface ClusterInput {
  id: number;
  title: string;
  summaryText: string;
  lang: string | null;
  entities: { id: string }[];
  publishedAt: Date;
  relevance: 'on_beat' | 'adjacent' | 'off_beat' | null;
  /**
   * Who published it: its source's outlet, else the source's name ("Mexico News Daily", "Reforma — Justicia").
   * An outlet naming itself in a lead ("Mexico News Daily spoke to residents…") says nothing about the event.
   */
  outlet?: string | null;
}

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
  /** A machine translation of title and summary into English, for a non-English article (Features.en). */
  english?: { title: string; summary: string } | null;
  /** The publishing outlet's name (ClusterInput.outlet): the lead's mentions of it are dropped. */
  outlet?: string | null;
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
   * A non-English article's English reading, from a machine translation of its title and lead: terms and
   * anchors as an English article's would be. An English article is compared with it as with an English one.
   */
  en?: { terms: Record<string, number>; anchors: Record<string, number> };
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
   * Features of some members: the seed (first) article and the most recent ones, up to
   * {@link ClusterOptions.maxMembersPerCandidate}. decideStory compares the new article with each of them.
   */
  members: Features[];
  /** How many of the article's sketch keys this story shares (for ranking/limiting candidates). */
  keyHits?: number;
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
  /**
   * Per language pair ("en-en", "es-es", "cross"), the similarity that means "same event" for that pair; a
   * pair's similarity is rescaled so that its threshold maps onto joinThreshold (decide.ts). Pairs not listed
   * use joinThreshold as it is.
   */
  pairThresholds?: Readonly<Record<string, number>>;
  /** Only stories whose last article is within this many hours of the new article are candidates. */
  windowHours: number;
  /**
   * Storylines: a story seen within this many hours whose score with the article reaches linkThreshold (but
   * that it did not join) is linked to the article's story as related (story_links, both ways). 0 disables.
   */
  linkWindowHours?: number;
  linkThreshold?: number;
  /**
   * What storyline links know of the beat's gazetteer (src/beat/beat.ts, storylineVocabulary): who and where a
   * storyline can be about, and the beat's daily cast. Absent: any shared entity explains a link near the
   * threshold and none below it.
   */
  storylines?: StorylineVocabulary;
  /** Candidates fetched per article. */
  maxCandidates: number;
  /** Members compared per candidate story. */
  maxMembersPerCandidate: number;
  /**
   * The beat's lexicon (its concept, place and organisation anchors: the rules' `lexicon`), for features and
   * similarity alike; absent, the shipped beat's.
   */
  lexicon?: Lexicon;
  /**
   * Machine translation into English of the non-English articles placed (title and lead), for cross-language
   * comparisons (Features.en). undefined: the caller's default (services/cluster-articles.ts: the process's
   * translator, if one is installed); null: none.
   */
  translator?: Translator | null;
}

/** Machine translation into English (src/runtime/translate/apertium.ts). */
export interface Translator {
  readonly name: string;
  /** Source languages it translates into English. */
  readonly languages: readonly string[];
  /** Texts of one language in English, in order; null where a text could not be translated. Never rejects. */
  translate(lang: string, texts: readonly string[]): Promise<(string | null)[]>;
}

// --- What the store answers for a batch of articles (db/repositories/clustering.repository.ts) ------------

/** A stored article that may be a wire copy of an article being placed (shares an LSH band key). */
export interface CopyCandidate {
  id: number;
  minhash: number[];
  publishedAt: Date;
  /** Live story of the article (merges followed); null for a roundup or an unplaced article. */
  storyId: number | null;
  duplicateOf: number | null;
}

export interface BandHit extends CopyCandidate {
  /** Index of the asking article in the batch. */
  i: number;
  /** published_at of the family's root (duplicate_of), or of the article itself. */
  rootPublishedAt: Date;
}

/** A live story sharing sketch keys with article i of the batch, inside its time window. */
export interface StoryKeyHit {
  i: number;
  storyId: number;
  keys: number[];
  lastHitMs: number;
}

/** A candidate story as stored: what decideStory compares against. */
export interface LoadedStory {
  id: number;
  size: number;
  firstPublishedAtMs: number;
  lastPublishedAtMs: number;
  /** The seed (first) article's features, then the most recent members', newest first. */
  seed: Features | null;
  recent: Features[];
}

/**
 * What placement reads and writes, one batch at a time, inside one transaction holding the clustering lock:
 * the SQL store (db/repositories/clustering.repository.ts `sqlClusterStore`) and the in-memory one
 * (memory-store.ts, for benchmarks at a million articles) answer the same questions the same way, and a test
 * proves they yield the identical partition.
 */
export interface ClusterStore {
  /** Of `ids`, those not placed yet (no features stored). */
  findUnplacedArticleIds(ids: number[]): Promise<number[]>;
  /** Document frequencies of `terms` (0 if never counted) and the number of documents counted. */
  documentFrequencies(terms: string[]): Promise<{ totalDocs: number; df: Map<string, number> }>;
  /** More terms' frequencies, in the same transaction as documentFrequencies. */
  termFrequencies(terms: string[]): Promise<Map<string, number>>;
  /** Adds one document per placed article (after placement: an article does not weigh itself). */
  addDocumentFrequencies(counts: Map<string, number>, docs: number): Promise<void>;
  /** Per article i of the batch, stored articles sharing one of `keys[i]` (LSH band keys), newest 20 per key. */
  findBandCandidatesBatch(keys: number[][], exclude: number[]): Promise<BandHit[]>;
  /** Per article i, its top `limit` live stories by shared sketch keys inside its window (64 postings per key). */
  findStoryKeyHitsBatch(queries: Array<{ keys: number[]; windowStart: Date; windowEnd: Date }>, limit: number): Promise<StoryKeyHit[]>;
  /** The seed and the `maxMembers` most recent members of each story (members with features only). */
  loadStoriesForBatch(ids: number[], maxMembers: number): Promise<Map<number, LoadedStory>>;
  findPublishedAt(ids: number[]): Promise<Array<{ id: number; publishedAt: Date }>>;
  /** One story per seed article; returns seed article id → story id (ids given in seed id order). */
  createStoriesBatch(seedArticleIds: number[], now: Date): Promise<Map<number, number>>;
  saveSignaturesBatch(rows: Array<{ id: number; minhash: number[]; bandKeys: number[]; features: Features; duplicateOf: number | null; storyId: number | null; roundup: boolean }>): Promise<void>;
  repointDuplicates(moves: Array<{ root: number; to: number }>): Promise<void>;
  mergeStories(into: number, from: number[]): Promise<void>;
  postStoryKeysBatch(postings: Array<{ storyId: number; key: number; lastSeenAt: Date }>): Promise<void>;
  attachRoundups(links: Array<{ storyId: number; articleId: number; score: number }>): Promise<void>;
  /** Storyline links found by placement, stored both ways (a pair keeps its best score). */
  addStoryLinks(links: Array<{ storyId: number; relatedId: number; score: number; shared: string[] }>): Promise<void>;
  /** Counts, span, first report (earliest on-beat original) of the touched stories. */
  refreshStoryAggregates(storyIds: number[], now: Date): Promise<void>;
}

/** The gazetteer as storyline links read it (decide.ts storylineLinks). */
export interface StorylineVocabulary {
  /**
   * Entity ids that can carry a storyline on their own (a cartel figure, a murdered mayor, a town; not a head
   * of government or a country): with one in common and rare in the store, a story is linked at half the
   * link threshold.
   */
  subjects: ReadonlySet<string>;
  /** Folded surname → the subject person it names, for surnames no other person of the gazetteer bears. */
  surnames: ReadonlyMap<string, string>;
  /**
   * The beat's daily cast: the other entities, unambiguous ones (heads of government, agencies, cartels, states,
   * countries). Storyline links are scored without them.
   */
  cast: ReadonlySet<string>;
  /** Folded words of the cast's names ("sheinbaum", "estados", "unidos", "jalisco"), not a subject's. */
  castWords: ReadonlySet<string>;
  /** Their stems (stem.ts), as terms hold them. */
  castStems: ReadonlySet<string>;
}
