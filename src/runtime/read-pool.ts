import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { BeatModel, Classifier, Rules } from '../beat/index.js';
import { AppError, type ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { readAndClassify, type PooledReading, type ReaderThreadData, type ReadOptions, type ReaderTask, type ReadReply, type ReadRequest } from './read-task.js';

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
  /** How long a read waits for the threads to load before the calling thread reads it itself (default LOAD_WAIT_MS). */
  loadWaitMs?: number;
}

const here = fileURLToPath(import.meta.url);
const BOOT_FILE = path.join(path.dirname(here), 'read-worker-boot.mjs');
// Compiled, this module and the worker are JavaScript side by side in dist/; under tsx both are TypeScript.
const WORKER_ENTRY = pathToFileURL(path.join(path.dirname(here), `read-worker${path.extname(here)}`)).href;
/**
 * Feeds a thread holds at once: one being read and one waiting, so a thread never idles while the main thread,
 * busy with the database, gets round to handing it the next feed. More would only hold more bodies in a thread.
 */
const TASKS_PER_THREAD = 2;
/**
 * Threads load in a few hundred ms. Feeds that arrive meanwhile wait for them: reading them on the calling thread
 * would make that thread load, interpret and JIT-compile the whole reader and classifier as well, for the handful
 * of feeds that come first. Past this wait, a thread that has not loaded is read around.
 */
const LOAD_WAIT_MS = 5000;

/**
 * Worker threads that read feeds: decode, parse, normalize and classify, the CPU-heavy part of ingest,
 * off the thread that drives fetches and the database, so a worker process uses more than one core.
 *
 * The threads are a piscina pool (queueing, the least busy thread, bodies transferred not copied, a dead thread
 * replaced and only its feeds failed, idle threads not keeping the process alive). Ours on top: threads start on
 * first use, and feeds that come before one has loaded its code (a probe task tells) wait for it, up to
 * loadWaitMs; if threads cannot load here at all (or not in that time), feeds are read on the calling thread;
 * errors cross as data, so a feed fails with the same typed AppError on a thread as off it.
 */
export class ReadPool {
  private pool: Piscina<ReaderTask, ReadReply> | null = null;
  /** Settles when the first thread has loaded its code, or failed to. */
  private loaded: Promise<void> = Promise.resolve();
  /** Settles when `loaded` does or loadWaitMs has passed, whichever is first. */
  private loadWait: Promise<void> = Promise.resolve();
  /** loadWait has settled: reads no longer wait for the threads. */
  private waited = false;
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
    await this.loaded;
  }

  read(bytes: Uint8Array, opts: ReadOptions): Promise<PooledReading> {
    this.ensureThreads();
    // A thread takes a few hundred ms to load its code (modules, rules): the first feeds wait for it (LOAD_WAIT_MS).
    if (!this.proven && this.pool && !this.waited) return this.loadWait.then(() => this.read(bytes, opts));
    // Threads that cannot load here at all, or not in time: the calling thread reads.
    if (!this.proven || !this.pool) {
      this.counts.inProcess++;
      return readAndClassify(bytes, opts, this.opts.classifier);
    }
    this.counts.onThreads++;
    const req: ReadRequest = { bytes, contentType: opts.contentType, feedUrl: opts.feedUrl, now: opts.now, itemFilter: opts.itemFilter ?? null };
    // The body's memory moves to the thread; a view into a shared buffer (Node's small-Buffer pool) is copied first.
    if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) req.bytes = bytes = bytes.slice();
    return this.pool.run(req, { transferList: [bytes.buffer as ArrayBuffer] }).then(
      (reply) => {
        if ('ok' in reply && reply.ok) return reply.result;
        const error = 'error' in reply ? reply.error : { code: 'internal', message: 'reader thread answered a read with a probe reply', retryable: true };
        throw new AppError(error.code as ErrorCode, error.message, { retryable: error.retryable, ...(error.details ? { details: error.details } : {}) });
      },
      (e: unknown) => {
        // The thread died under this feed (out of memory, a crash): piscina has replaced it; the feed is
        // recorded as failed on its source as usual and fetched again next time.
        const message = e instanceof Error ? e.message : String(e);
        this.opts.logger.warn({ event: 'read_thread_failed', message });
        throw new AppError('internal', `reader thread failed: ${message}`, { retryable: true });
      },
    );
  }

  private ensureThreads(): void {
    if (this.pool || this.disabled || this.closed || this.opts.threads <= 0) return;
    const started = performance.now();
    try {
      this.pool = new Piscina<ReaderTask, ReadReply>({
        filename: BOOT_FILE,
        minThreads: this.opts.threads,
        maxThreads: this.opts.threads,
        idleTimeout: Infinity,
        concurrentTasksPerWorker: TASKS_PER_THREAD,
        recordTiming: false,
        // Not the process's own flags: its preloads (--import …) are for the main thread, and the boot file
        // sets up what the thread needs.
        execArgv: [],
        workerData: {
          entry: this.opts.entry ?? WORKER_ENTRY,
          rulesFile: this.opts.rulesFile,
          rules: this.opts.rules ?? null,
          model: this.opts.model ?? null,
          classify: this.opts.classifier !== null,
        } satisfies ReaderThreadData,
        // A feed under maxBytes parses in far less; a runaway document fails its feed, not the process.
        resourceLimits: { maxOldGenerationSizeMb: 256 },
      });
    } catch (e) {
      // A thread that cannot even be created (no memory for it, say): read in-process, as when one fails to load.
      this.disable(e);
      return;
    }
    // A thread that fails while it holds no feed (piscina replaces it).
    this.pool.on('error', (e: unknown) => this.opts.logger.warn({ event: 'read_thread_replaced', message: e instanceof Error ? e.message : String(e) }));
    this.loaded = this.pool.run({ probe: true }).then(
      () => {
        this.proven = true;
        this.opts.logger.info({ event: 'read_thread_ready', threads: this.opts.threads, load_ms: Math.round(performance.now() - started) });
      },
      // Threads do not work here (no loader, a missing file, no memory to start one): read in-process from now
      // on. No feed was sent to a thread before the probe came back.
      (e: unknown) => this.disable(e),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.opts.loadWaitMs ?? LOAD_WAIT_MS);
      timer.unref();
    });
    this.loadWait = Promise.race([this.loaded, timeout]).then(() => {
      clearTimeout(timer);
      this.waited = true;
    });
  }

  private disable(e: unknown): void {
    // Closing before a thread had loaded rejects the probe: that is the pool going away, not threads failing.
    if (this.disabled || this.closed) return;
    this.disabled = true;
    this.opts.logger.warn({ event: 'read_pool_disabled', message: e instanceof Error ? e.message : String(e) });
    const pool = this.pool;
    this.pool = null;
    void pool?.destroy();
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }
}
