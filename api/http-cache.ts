import crypto from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

// Conditional GET and an in-process response cache.
//
// Every GET 200 gets a weak ETag (hash of the body); a matching If-None-Match is answered 304.
// Cacheable routes also keep the rendered body keyed by (path, sorted query, data version): the data
// version is read from the database at most once a second, so a cached page is at most ~1 s stale and
// a page is rendered once per data change instead of once per request.

export function weakEtag(body: Uint8Array | string): string {
  return `W/"${crypto.createHash('sha1').update(body).digest('base64url')}"`;
}

/** RFC 9110 §13.1.2: weak comparison; a list of tags or "*". */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  const want = strip(etag);
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || strip(t) === want);
}

const KEEP_ON_304 = ['etag', 'cache-control', 'vary', 'content-location', 'expires', 'x-request-id', 'access-control-allow-origin', 'access-control-expose-headers'];

function notModified(res: Response): Response {
  const headers = new Headers();
  for (const h of KEEP_ON_304) {
    const v = res.headers.get(h);
    if (v !== null) headers.set(h, v);
  }
  return new Response(null, { status: 304, headers });
}

/** Adds a weak ETag to GET/HEAD 200 responses that lack one, and answers If-None-Match with 304. */
export function conditionalGet(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || c.res.status !== 200) return;
    let etag = c.res.headers.get('ETag');
    if (!etag) {
      const body = new Uint8Array(await c.res.arrayBuffer());
      etag = weakEtag(body);
      const headers = new Headers(c.res.headers);
      headers.set('ETag', etag);
      c.res = new Response(body, { status: 200, headers });
    }
    if (etagMatches(c.req.header('If-None-Match'), etag)) {
      const r = notModified(c.res);
      // Assigning c.res merges the old response's headers into the new one; a 304 must not get them.
      c.res = undefined;
      c.res = r;
    }
  };
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
