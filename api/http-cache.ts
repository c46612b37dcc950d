import crypto from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { etag, RETAINED_304_HEADERS } from 'hono/etag';

// Conditional GET and an in-process response cache.
//
// Every GET 200 gets a weak ETag (SHA-1 of the body) and a matching If-None-Match is answered 304: hono/etag.
// Cacheable routes also keep the rendered body keyed by (path, sorted query, data version): the data version
// is read from the database at most once a second, so a cached page is at most ~1 s stale (plus up to
// DEFAULT_STALE_MS while its successor renders, see responseCache) and a page is rendered once per data change
// instead of once per request, however many requests ask for it at the same time. The cache stores each body's ETag with it
// (hashed once per data version), so hono/etag finds the header on a hit and hashes nothing.

/** SHA-1 of the body in hex, hono/etag's digest; node's hash is synchronous (no WebCrypto round trip). */
function sha1(body: Uint8Array): ArrayBuffer {
  const d = crypto.createHash('sha1').update(body).digest();
  return d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength) as ArrayBuffer;
}

/** The ETag hono/etag gives the same body (up to its 256 KiB digest chunk): a route's tag is the same cached or not. */
export function weakEtag(body: Uint8Array | string): string {
  return `W/"${crypto.createHash('sha1').update(body).digest('hex')}"`;
}

/**
 * Replaces the finished response with one around `body`. `c.res` is cleared first: assigning over a response has
 * Hono rebuild the new one around a body stream (with the old one's headers), which the server then streams in
 * chunks instead of writing the bytes at once.
 */
function respondWith(c: Context, body: Uint8Array<ArrayBuffer>, init: ResponseInit): void {
  c.res = undefined;
  c.res = new Response(body, init);
}

/**
 * Adds a weak ETag to GET/HEAD 2xx responses that lack one, and answers If-None-Match with 304. The tag is hashed
 * from the body's bytes, read once, before hono/etag sees the response: hono/etag itself would hash a tee of the
 * body stream (about a tenth of an uncached topic page's CPU, and the response then goes out as a stream). It is
 * the tag hono/etag gives (weakEtag, for bodies up to 256 KiB), so hono/etag only compares it with If-None-Match.
 */
export function conditionalGet(): MiddlewareHandler {
  const revalidate = etag({
    weak: true,
    generateDigest: sha1,
    // A 304 keeps what a client or a CORS check reads from the 200 it revalidates.
    retainedHeaders: [...RETAINED_304_HEADERS, 'x-request-id', 'access-control-allow-origin', 'access-control-expose-headers'],
  });
  return (c, next) =>
    revalidate(c, async () => {
      await next();
      const res = c.res;
      if (!res.ok || (c.req.method !== 'GET' && c.req.method !== 'HEAD') || res.headers.has('ETag')) return;
      const body = new Uint8Array(await res.arrayBuffer());
      // An empty body gets no tag, as from hono/etag.
      if (body.byteLength > 0) res.headers.set('ETag', weakEtag(body));
      respondWith(c, body, { status: res.status, headers: res.headers });
    });
}

export interface DataVersion {
  get(): Promise<string>;
  /** Forget the current version now (after a write through this process). */
  bump(): void;
  /**
   * How long after the cache first sees a newer version it may still answer with the previous one while that
   * path's new page renders (0 or absent: never).
   */
  readonly staleMs?: number;
  /** How many times bump() was called: a response rendered before the latest bump is never served stale. */
  readonly bumps?: number;
}

/** Default bound on serving a superseded page while its successor renders. */
export const DEFAULT_STALE_MS = 2000;

/**
 * The database's data version, re-read at most every `maxAgeMs`; concurrent callers share one query.
 * `staleMs` (default DEFAULT_STALE_MS, or 0 when `maxAgeMs` is 0: a caller who asks for the database as it is
 * on every request gets nothing stale either) bounds how long the response cache may keep answering with a
 * superseded page while the new one renders.
 */
export function createDataVersion(load: () => Promise<string>, maxAgeMs = 1000, now = () => Date.now(), staleMs = maxAgeMs > 0 ? DEFAULT_STALE_MS : 0): DataVersion {
  let value: string | null = null;
  let at = 0;
  let local = 0;
  let inflight: Promise<string> | null = null;
  return {
    staleMs,
    get bumps() {
      return local;
    },
    async get() {
      if (value !== null && now() - at < maxAgeMs) return value;
      inflight ??= load()
        .then((v) => {
          value = `${v}#${local}`;
          at = now();
          return value;
        })
        .finally(() => {
          inflight = null;
        });
      return inflight;
    },
    bump() {
      local++;
      value = null;
    },
  };
}

interface Entry {
  version: string;
  /** version.bumps before the version was read: a later bump forbids serving this entry stale. */
  bumps: number;
  /** Order in which renders started: a later render read a version at least as new. */
  seq: number;
  body: Uint8Array<ArrayBuffer>;
  headers: [string, string][];
}

interface Render {
  version: string;
  /** The rendered 200 (stored or, when too large, not), or null when it was not a 200 or threw. */
  done: Promise<Entry | null>;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface ResponseCacheOptions {
  version: DataVersion;
  maxEntries: number;
  /** Overrides version.staleMs. */
  staleMs?: number;
  now?: () => number;
}

/**
 * A small LRU of rendered 200 responses (Map keeps insertion order; a hit re-inserts), keyed by path and sorted
 * query, each entry valid for the data version it was rendered under.
 *
 * A data change supersedes every entry at once, and a closed loop of clients then asks for the same few paths
 * together: rendered once per request, the same page would be built by every connection at the same time (each
 * render's CPU, garbage and database queries multiplied by the connections waiting). So, per path:
 *  - single flight: requests that miss while a render of the same path and version is in flight wait for it
 *    and answer with its body, instead of rendering their own;
 *  - stale while revalidate: while a render of the path is in flight, requests answer at once with the
 *    previous entry if its version stopped being current (this cache saw a newer one) at most staleMs ago and
 *    no write went through this process since (version.bump). The request that finds no render in flight
 *    renders, so its answer and every later one are current. A stale answer is at most staleMs plus the data
 *    version's re-read interval behind the database.
 * An answer's ETag is always its own body's (each entry stores both together).
 */
export function responseCache(opts: ResponseCacheOptions): MiddlewareHandler {
  const entries = new Map<string, Entry>();
  const renders = new Map<string, Render>();
  let renderSeq = 0;
  const now = opts.now ?? (() => Date.now());
  const staleMs = () => opts.staleMs ?? opts.version.staleMs ?? 0;
  const bumps = () => opts.version.bumps ?? 0;
  // When this cache first saw each recent version superseded (versions change at most once per re-read).
  let latest: string | null = null;
  const endedAt = new Map<string, number>();
  const observe = (version: string) => {
    if (version === latest) return;
    if (latest !== null) endedAt.set(latest, now());
    latest = version;
    if (endedAt.size > 64) endedAt.delete(endedAt.keys().next().value!);
  };
  const servableStale = (e: Entry | undefined): e is Entry => {
    const window = staleMs();
    if (!e || window <= 0 || e.bumps !== bumps()) return false;
    const ended = endedAt.get(e.version);
    return ended !== undefined && now() - ended <= window;
  };
  // Built through the context so that headers set before this middleware are kept; X-Cache goes in with the rest,
  // as `c.header()` on a finished response would rebuild it around a body stream (@hono/node-server then streams
  // what it could have written in one go).
  const answer = (c: Context, e: Entry, how: 'hit' | 'stale' | 'shared') => {
    c.res = c.newResponse(e.body, { status: 200, headers: [...e.headers, ['X-Cache', how]] });
  };
  return async (c, next) => {
    if (opts.maxEntries <= 0 || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return next();
    const url = new URL(c.req.url);
    url.searchParams.sort();
    const key = `${url.pathname}?${url.searchParams.toString()}`;
    const bumpsBefore = bumps();
    const version = await opts.version.get();
    observe(version);
    const cached = entries.get(key);
    if (cached && cached.version === version) {
      entries.delete(key);
      entries.set(key, cached);
      return answer(c, cached, 'hit');
    }
    const inflight = renders.get(key);
    if (inflight) {
      if (servableStale(cached)) return answer(c, cached, 'stale');
      if (inflight.version === version) {
        const shared = await inflight.done;
        if (shared) return answer(c, shared, 'shared');
        // Not a 200 (an error, a 404…): this request renders its own answer, as without the cache.
        return next();
      }
    }

    let settle!: (e: Entry | null) => void;
    const render: Render = { version, done: new Promise<Entry | null>((r) => (settle = r)) };
    renders.set(key, render);
    const seq = ++renderSeq;
    let rendered: Entry | null = null;
    try {
      await next();
      if (c.res.status !== 200) return;
      const body = new Uint8Array(await c.res.arrayBuffer());
      const headers = new Headers(c.res.headers);
      if (!headers.has('ETag')) headers.set('ETag', weakEtag(body));
      headers.delete('X-Request-Id');
      rendered = { version, bumps: bumpsBefore, seq, body, headers: [...headers.entries()] };
      // A render that started earlier (an older version) and finished later does not replace a newer entry.
      const current = entries.get(key);
      if (body.byteLength <= MAX_BODY_BYTES && (!current || current.seq < seq)) {
        entries.delete(key);
        entries.set(key, rendered);
        while (entries.size > opts.maxEntries) entries.delete(entries.keys().next().value!);
      }
      headers.set('X-Cache', 'miss');
      respondWith(c, body, { status: 200, headers });
    } finally {
      if (renders.get(key) === render) renders.delete(key);
      settle(rendered);
    }
  };
}
