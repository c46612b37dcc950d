// In-process concurrency: a global limit, and per host one request in flight with a minimum
// spacing between starts. Across processes the database lease keeps a feed to one worker.
import pLimit, { type LimitFunction } from 'p-limit';

/** At most `max` tasks at once; the rest wait in arrival order (p-limit's queue). */
export class Semaphore {
  private readonly limit: LimitFunction;
  constructor(max: number) {
    this.limit = pLimit(max);
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.limit(fn);
  }
}

interface Host {
  limit: LimitFunction;
  lastStart: number;
}

/**
 * One task in flight per host (p-limit with a concurrency of 1) and a minimum spacing between the starts of
 * a host's tasks. The spacing is ours: p-limit only counts tasks in flight, and p-queue's `interval` caps
 * starts per time window, which lets two starts fall back to back at a window's edge.
 */
export class HostLimiter {
  private readonly hosts = new Map<string, Host>();
  constructor(
    private readonly minIntervalMs: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Runs fn after every earlier task for the same host has finished and the spacing has passed. */
  run<T>(host: string, fn: () => Promise<T>): Promise<T> {
    let h = this.hosts.get(host);
    if (!h) this.hosts.set(host, (h = { limit: pLimit(1), lastStart: -Infinity }));
    const entry = h;
    return entry.limit(async () => {
      const wait = entry.lastStart + this.minIntervalMs - Date.now();
      if (wait > 0) await this.sleep(wait);
      entry.lastStart = Date.now();
      try {
        return await fn();
      } finally {
        // Forget an idle host so the map does not grow with every host ever seen, but only once its spacing
        // has passed: a task that comes sooner must still wait for it.
        if (entry.limit.pendingCount === 0 && Date.now() - entry.lastStart >= this.minIntervalMs && this.hosts.get(host) === entry) this.hosts.delete(host);
      }
    });
  }
}
