// In-process concurrency: a global limit, and per host one request in flight with a minimum
// spacing between starts. Across processes the database lease keeps a feed to one worker.

export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export class HostLimiter {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly lastStart = new Map<string, number>();
  constructor(
    private readonly minIntervalMs: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Runs fn after every earlier task for the same host has finished and the spacing has passed. */
  run<T>(host: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(host) ?? Promise.resolve();
    const result = prev.then(async () => {
      const wait = (this.lastStart.get(host) ?? -Infinity) + this.minIntervalMs - Date.now();
      if (wait > 0) await this.sleep(wait);
      this.lastStart.set(host, Date.now());
      return fn();
    });
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(host, tail);
    // Forget idle hosts so the maps do not grow with every host ever seen.
    void tail.then(() => {
      if (this.tails.get(host) === tail) {
        this.tails.delete(host);
        if (Date.now() - (this.lastStart.get(host) ?? 0) >= this.minIntervalMs) this.lastStart.delete(host);
      }
    });
    return result;
  }
}
