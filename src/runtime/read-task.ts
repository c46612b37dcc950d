// What a reader does with a feed, on a thread of the pool or on the calling thread, and the messages that carry
// it across the thread boundary. The pool and its thread both import this module and never each other.
import type { BeatModel, Classifier, Rules } from '../beat/index.js';
import type { Classification, FeedMeta, NormalizedItem } from '../model/types.js';
import { applyItemFilter, type ItemFilter } from '../reader/item-filter.js';
import { readFeed } from '../reader/read-feed.js';
import { classifyItem } from '../beat/classify-item.js';

export interface PooledReading {
  meta: FeedMeta;
  encoding: string;
  items: NormalizedItem[];
  /** Classification of each item (same order), or null when the pool runs without a classifier. */
  classifications: Classification[] | null;
  /** Items the source's filter dropped before classification (not in `items`). */
  filtered: number;
}

export interface ReadOptions {
  contentType: string | null;
  feedUrl: string;
  now: Date;
  /** The source's item filter: applied right after reading, so dropped items are never classified. */
  itemFilter?: ItemFilter | null | undefined;
}

/** Reads, filters and classifies one feed: the same function on a thread and on the calling thread. */
export async function readAndClassify(bytes: Uint8Array, opts: ReadOptions, classifier: Classifier | null): Promise<PooledReading> {
  const r = await readFeed(bytes, opts);
  const { items, filtered } = applyItemFilter(r.items, opts.itemFilter);
  return { ...r, items, filtered, classifications: classifier ? items.map((it) => classifyItem(classifier, it)) : null };
}

/** What a thread starts with: the same rules and learned model as the pool's owner, so the same classifications. */
export interface ReaderThreadData {
  /** The module the boot file loads and whose default export runs each task (read-worker.js, or a test's). */
  entry: string;
  rulesFile?: string | undefined;
  rules: Rules | null;
  model: BeatModel | null;
  classify: boolean;
}

export interface ReadRequest {
  bytes: Uint8Array;
  contentType: string | null;
  feedUrl: string;
  now: Date;
  itemFilter: ItemFilter | null;
}

/** A task of the thread: a feed to read, or the probe that tells the pool the thread's code has loaded. */
export type ReaderTask = ReadRequest | { probe: true };

/** An error crosses the boundary as data: structured clone keeps an Error's message but not its code. */
export interface ReadFailure {
  code: string;
  message: string;
  retryable: boolean;
  details?: Record<string, unknown>;
}

export type ReadReply = { ready: true } | { ok: true; result: PooledReading } | { ok: false; error: ReadFailure };
