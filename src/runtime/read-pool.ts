import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../errors.js';
import type { BeatModel, Classifier, Rules } from '../beat/index.js';
import type { Logger } from '../logger.js';
import type { Classification, FeedMeta, NormalizedItem } from '../model/types.js';
import { applyItemFilter, type ItemFilter } from '../reader/item-filter.js';
import { readFeed } from '../reader/read-feed.js';
import { classifyItem } from '../services/beat.js';
import type { ReadReply, ReadRequest } from './read-worker.js';
import { workerBundle } from '../services/worker-bundle.js';

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

export interface ReadPoolOptions {
  threads: number;
  /** Bodies above this many bytes are read in-process, window by window (bounded memory). */
  maxBytes: number;
  rulesFile?: string | undefined;
  /**
   * The validated rules (from `rulesFile`): sent to the threads as they are, so a thread neither reads nor
   * validates the files again (with the gazetteers that is ≈ 100 ms and several MB of garbage per thread).
   */
  rules?: Rules | undefined;
  /** The learned model the classifier was built with (threads build theirs from the rules and this). */
  model?: BeatModel | null | undefined;
  /**
   * The main thread's classifier for the same rules file: threads classify only for callers that use this
   * very classifier (a caller with another one classifies on its own thread).
   */
  classifier: Classifier | null;
  logger: Logger;
  /** The worker module (tests point it elsewhere); default read-worker next to this file. */
  entry?: string;
}

/** What a reader thread does with a feed (and the calling thread, when threads cannot run). */
export async function readAndClassify(
  bytes: Uint8Array,
  opts: ReadOptions,
  classifier: Classifier | null,
): Promise<PooledReading> {
  const r = await readFeed(bytes, opts);
  const { items, filtered } = applyItemFilter(r.items, opts.itemFilter);
  return { ...r, items, filtered, classifications: classifier ? items.map((it) => classifyItem(classifier, it)) : null };
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, { resolve: (r: PooledReading) => void; reject: (e: unknown) => void }>;
  /** Settles when the thread has loaded its code (or failed to). */
  ready: Promise<void>;
}

const here = fileURLToPath(import.meta.url);
const BOOT_FILE = path.join(path.dirname(here), 'read-worker-boot.mjs');
const WORKER_FILE = path.join(path.dirname(here), `read-worker${path.extname(here)}`);

/**
 * Worker threads that read feeds: decode, parse, normalize and classify, the CPU-heavy part of ingest,
 * off the thread that drives fetches and the database, so a worker process uses more than one core.
 * Threads start on first use, and the calling thread reads the feeds that come before they have loaded;
 * then each feed goes to the least busy thread. A thread that dies
 * fails only the feeds it held (recorded on their sources as usual, fetched again next time) and is
 * replaced. If threads cannot start at all here, feeds are read on the calling thread instead.
 */
export class ReadPool {
  private slots: Slot[] = [];
  /** Settles when the threads have been spawned (their code located, or bundled: see worker-bundle.ts). */
  private starting: Promise<void> | null = null;
  private entry = '';
  private nextId = 1;
  private disabled = false;
  private closed = false;
  /** A thread has loaded its code: threads work here. */
  private proven = false;
  /** Feeds read on the threads, and on the calling thread while they were still loading. */
  readonly counts = { onThreads: 0, inProcess: 0 };

  constructor(private readonly opts: ReadPoolOptions) {}

  /** Whether the threads' classifications stand for `classify`'s. */
  classifiesLike(classify: unknown): boolean {
    return classify !== undefined && classify === this.opts.classifier;
  }

  /** Whether this body goes to a thread (small enough, pool usable). */
  accepts(bytes: number): boolean {
    return !this.disabled && !this.closed && this.opts.threads > 0 && bytes <= this.opts.maxBytes;
  }

  /** Starts the threads if they are not, and resolves once they have loaded (or failed to: see accepts()). */
  async whenReady(): Promise<void> {
    this.ensureThreads();
    await this.starting;
    await Promise.all(this.slots.map((s) => s.ready));
  }

  read(bytes: Uint8Array, opts: ReadOptions): Promise<PooledReading> {
    this.ensureThreads();
    // A thread takes a few hundred ms to load its code (modules, rules). Meanwhile the calling thread reads
    // the first feeds itself instead of waiting for it; the same goes if threads cannot load here at all.
    if (!this.proven) {
      this.counts.inProcess++;
      return readAndClassify(bytes, opts, this.opts.classifier);
    }
    this.counts.onThreads++;
    const slot = this.slots.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
    const id = this.nextId++;
    const req: ReadRequest = { id, bytes, contentType: opts.contentType, feedUrl: opts.feedUrl, now: opts.now, itemFilter: opts.itemFilter ?? null };
    // The body's memory moves to the thread; a view into a shared buffer (Node's small-Buffer pool) is copied first.
    if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) req.bytes = bytes = bytes.slice();
    return new Promise<PooledReading>((resolve, reject) => {
      slot.inFlight.set(id, { resolve, reject });
      slot.worker.ref(); // a pending read keeps the process alive; an idle pool does not
      slot.worker.postMessage(req, [bytes.buffer as ArrayBuffer]);
    });
  }

  private ensureThreads(): void {
    if (this.starting || this.disabled || this.closed) return;
    this.starting = this.workerEntry()
      .then((entry) => {
        this.entry = entry;
        if (!this.disabled && !this.closed) for (let i = 0; i < this.opts.threads; i++) this.slots.push(this.spawn());
      })
      .catch((e: unknown) => {
        // A thread that cannot even be created (no memory for it, say): read in-process, as when one fails to load.
        this.disabled = true;
        this.opts.logger.warn({ event: 'read_pool_disabled', message: e instanceof Error ? e.message : String(e) });
      });
  }

  /** The module a thread runs: from TypeScript sources, their bundle when it can be had (else tsx loads them). */
  private async workerEntry(): Promise<string> {
    if (this.opts.entry) return this.opts.entry;
    const sources = pathToFileURL(WORKER_FILE).href;
    if (!WORKER_FILE.endsWith('.ts')) return sources;
    const bundle = await workerBundle(WORKER_FILE, (message) => this.opts.logger.warn({ event: 'read_worker_unbundled', message }));
    return bundle ?? sources;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.starting;
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(BOOT_FILE, {
      // Not the process's own flags: its preloads (--import …) are for the main thread, and the boot file
      // sets up what the thread needs.
      execArgv: [],
      workerData: { entry: this.entry, rulesFile: this.opts.rulesFile, rules: this.opts.rules ?? null, model: this.opts.model ?? null, classify: this.opts.classifier !== null },
      // A feed under maxBytes parses in far less; a runaway document fails its feed, not the process.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    worker.unref();
    let loaded!: () => void;
    const slot: Slot = { worker, inFlight: new Map(), ready: new Promise<void>((r) => (loaded = r)) };
    worker.on('message', (reply: ReadReply) => {
      if ('ready' in reply) {
        this.proven = true;
        loaded();
        return;
      }
      const p = slot.inFlight.get(reply.id);
      if (!p) return;
      slot.inFlight.delete(reply.id);
      if (slot.inFlight.size === 0) worker.unref();
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new AppError(reply.error.code as ErrorCode, reply.error.message, { retryable: reply.error.retryable, ...(reply.error.details ? { details: reply.error.details } : {}) }));
    });
    const fail = (e: unknown) => {
      loaded();
      const live = this.slots.includes(slot); // 'error' then 'exit': handled once
      const message = e instanceof Error ? e.message : String(e);
      // Before any thread has ever loaded, a failure means threads do not work here (no loader, missing
      // file, no memory to start one): read in-process from now on rather than respawn in a loop. (No feed
      // was sent to a thread before one loaded.)
      const unavailable = !this.proven;
      for (const p of slot.inFlight.values()) p.reject(new AppError('internal', `reader thread failed: ${message}`, { retryable: true }));
      slot.inFlight.clear();
      if (this.closed || !live) return;
      this.slots = this.slots.filter((s) => s !== slot);
      if (unavailable) {
        this.disabled = true;
        this.opts.logger.warn({ event: 'read_pool_disabled', message });
        return;
      }
      this.opts.logger.warn({ event: 'read_thread_replaced', message });
      this.slots.push(this.spawn());
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed && code !== 0) fail(new Error(`exit code ${code}`));
    });
    return slot;
  }
}
