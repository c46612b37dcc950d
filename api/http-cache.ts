import crypto from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { etag, RETAINED_304_HEADERS } from 'hono/etag';

// Conditional GET and an in-process response cache.
//
// Every GET 200 gets a weak ETag (SHA-1 of the body) and a matching If-None-Match is answered 304: hono/etag.
// Cacheable routes also keep the rendered body keyed by (path, sorted query, data version): the data version
// is read from the database at most once a second, so a cached page is at most ~1 s stale and a page is
// rendered once per data change instead of once per request. The cache stores each body's ETag with it
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

/** Adds a weak ETag to GET/HEAD 2xx responses that lack one, and answers If-None-Match with 304. */
export function conditionalGet(): MiddlewareHandler {
  return etag({
    weak: true,
    generateDigest: sha1,
    // A 304 keeps what a client or a CORS check reads from the 200 it revalidates.
    retainedHeaders: [...RETAINED_304_HEADERS, 'x-request-id', 'access-control-allow-origin', 'access-control-expose-headers'],
  });
}

export interface DataVersion {
  get(): Promise<string>;
  /** Forget the current version now (after a write through this process). */
  bump(): void;
}

/** The database's data version, re-read at most every `maxAgeMs`; concurrent callers share one query. */
export function createDataVersion(load: () => Promise<string>, maxAgeMs = 1000, now = () => Date.now()): DataVersion {
  let value: string | null = null;
  let at = 0;
  let local = 0;
  let inflight: Promise<string> | null = null;
  return {
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
  body: Uint8Array;
  headers: [string, string][];
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** A small LRU of rendered 200 responses (Map keeps insertion order; a hit re-inserts). */
export function responseCache(opts: { version: DataVersion; maxEntries: number }): MiddlewareHandler {
  const entries = new Map<string, Entry>();
  return async (c, next) => {
    if (opts.maxEntries <= 0 || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return next();
    const url = new URL(c.req.url);
    url.searchParams.sort();
    const key = `${url.pathname}?${url.searchParams.toString()}`;
    const version = await opts.version.get();
    const hit = entries.get(key);
    if (hit && hit.version === version) {
      entries.delete(key);
      entries.set(key, hit);
      c.res = new Response(hit.body, { status: 200, headers: hit.headers });
      c.header('X-Cache', 'hit');
      return;
    }
    await next();
    if (c.res.status !== 200) return;
    const body = new Uint8Array(await c.res.arrayBuffer());
    const headers = new Headers(c.res.headers);
    if (!headers.has('ETag')) headers.set('ETag', weakEtag(body));
    headers.delete('X-Request-Id');
    if (body.byteLength <= MAX_BODY_BYTES) {
      entries.delete(key);
      entries.set(key, { version, body, headers: [...headers.entries()] });
      while (entries.size > opts.maxEntries) entries.delete(entries.keys().next().value!);
    }
    c.res = new Response(body, { status: 200, headers });
    c.header('X-Cache', 'miss');
  };
}
