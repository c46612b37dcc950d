import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { AppError } from '../src/errors.js';

// Per-client token bucket in memory (per process): `burst` tokens, refilled at perMinute/60 per second.
// Buckets idle long enough to be full again carry no information and are dropped; the map is also
// capped so a flood of distinct addresses cannot grow memory without bound.

export interface RateLimiter {
  /** null when allowed, else the seconds until one token is available. */
  take(key: string): number | null;
  size(): number;
}

export function createRateLimiter(opts: { perMinute: number; burst: number; now?: () => number; maxKeys?: number }): RateLimiter {
  const now = opts.now ?? (() => Date.now());
  const ratePerMs = opts.perMinute / 60_000;
  const maxKeys = opts.maxKeys ?? 100_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const fullAfterMs = ratePerMs > 0 ? opts.burst / ratePerMs : Infinity;
  let lastSweep = now();
  return {
    take(key) {
      const t = now();
      if (t - lastSweep > 60_000) {
        for (const [k, b] of buckets) if (t - b.at >= fullAfterMs) buckets.delete(k);
        lastSweep = t;
      }
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
        b = { tokens: opts.burst, at: t };
        buckets.set(key, b);
      } else {
        b.tokens = Math.min(opts.burst, b.tokens + (t - b.at) * ratePerMs);
        b.at = t;
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return null;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000));
    },
    size: () => buckets.size,
  };
}

/** The client address: the socket's peer, or — behind a trusted proxy — the last X-Forwarded-For hop. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = (c.req.header('X-Forwarded-For') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (hops.length) return hops[hops.length - 1]!;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

export function rateLimit(limiter: RateLimiter, trustProxy: boolean): MiddlewareHandler {
  return async (c, next) => {
    const wait = limiter.take(clientIp(c, trustProxy));
    if (wait !== null) {
      throw new AppError('rate_limited', `Too many requests; retry in ${wait} s`, { details: { retryAfterSeconds: wait } });
    }
    await next();
  };
}
