import type { Dispatcher } from 'undici';
import { AppError, isAppError } from '../errors.js';
import { dnsLookupFailed, guardedAgent, resolverErrorCode } from './address-guard.js';

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  allowPrivate: boolean;
  /** Connection pool to fetch through; default: the guarded agent, or fetch's own when allowPrivate. */
  dispatcher?: Dispatcher;
}

export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export interface CacheHints {
  /** Seconds the response says it stays fresh (Cache-Control max-age / Expires). */
  freshForSeconds: number | null;
}

export type FetchResult =
  | ({ kind: 'not_modified'; status: 304; finalUrl: string; permanentRedirect: string | null } & CacheHints)
  | ({
      kind: 'ok';
      status: number;
      finalUrl: string;
      /** Target of a chain of 301/308 hops that starts at the requested URL, else null. */
      permanentRedirect: string | null;
      body: Uint8Array;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
    } & CacheHints);

/** Seconds to wait from a Retry-After header (delta-seconds or HTTP date), else null. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.round((t - now.getTime()) / 1000));
}

function cacheHints(headers: Headers, now: Date): CacheHints {
  const cc = headers.get('cache-control') ?? '';
  const maxAge = cc.match(/(?:^|,)\s*(?:s-)?max-age\s*=\s*"?(\d+)/i);
  if (maxAge) return { freshForSeconds: Number(maxAge[1]) };
  const expires = headers.get('expires');
  if (expires) {
    const t = Date.parse(expires);
    if (!Number.isNaN(t)) return { freshForSeconds: Math.max(0, Math.round((t - now.getTime()) / 1000)) };
  }
  return { freshForSeconds: null };
}

/**
 * Conditional GET with the limits a feed fetcher needs against untrusted servers:
 * manual redirects (counted, each hop connecting through the private-address guard), one timeout
 * covering headers and body, and a byte cap enforced on the decompressed stream while it
 * arrives (so a gzip bomb or an endless body stops at the cap).
 */
export async function fetchFeed(
  url: string,
  validators: Validators,
  opts: FetchOptions,
  now: Date = new Date(),
): Promise<FetchResult> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let current = new URL(url);
  // Private feeds come as https://user:pass@host/feed. fetch refuses URLs with credentials (and would put them
  // in its error message): send them as Basic auth, to the feed's own origin only, never across a redirect.
  const authorization = basicAuthorization(current);
  const authOrigin = current.origin;
  const credentials = { username: current.username, password: current.password };
  current.username = '';
  current.password = '';
  let permanentRedirect: string | null = null;
  let onlyPermanentSoFar = true;
  // The guard runs where each connection resolves its name (address-guard.ts), so what it checks is what is used.
  const dispatcher = opts.dispatcher ?? (opts.allowPrivate ? undefined : guardedAgent());
  const init = (headers: Record<string, string>) =>
    ({ headers, redirect: 'manual', signal, ...(dispatcher ? { dispatcher } : {}) }) as RequestInit;

  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') {
      throw new AppError('fetch_http_error', `Unsupported URL scheme ${current.protocol}`);
    }
    const headers: Record<string, string> = {
      'user-agent': opts.userAgent,
      accept:
        'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
    };
    // Validators belong to the feed, not to whatever a redirect points at.
    if (hop === 0 || permanentRedirect) {
      if (validators.etag) headers['if-none-match'] = validators.etag;
      if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    }
    if (authorization && current.origin === authOrigin) headers.authorization = authorization;

    let res: Response;
    try {
      res = await fetch(current, init(headers));
    } catch (e) {
      // A pooled keep-alive connection the server had already closed fails before any byte of the answer;
      // one immediate retry on a fresh connection (a GET is idempotent) is what browsers do.
      if (signal.aborted || !isStaleConnection(e)) throw networkError(e, opts.timeoutMs, current.hostname);
      try {
        res = await fetch(current, init(headers));
      } catch (e2) {
        throw networkError(e2, opts.timeoutMs, current.hostname);
      }
    }

    if (res.status >= 300 && res.status < 400 && res.status !== 304) {
      await res.body?.cancel().catch(() => {});
      const location = res.headers.get('location');
      if (!location) throw new AppError('fetch_http_error', `HTTP ${res.status} without Location`, { details: { status: res.status } });
      if (hop >= opts.maxRedirects) {
        throw new AppError('fetch_too_many_redirects', `More than ${opts.maxRedirects} redirects`, {
          retryable: true,
          details: { status: res.status },
        });
      }
      const next = new URL(location, current);
      next.username = '';
      next.password = '';
      const permanent = res.status === 301 || res.status === 308;
      onlyPermanentSoFar = onlyPermanentSoFar && permanent;
      if (onlyPermanentSoFar) {
        // An adopted same-origin move keeps the feed's credentials; another origin never receives them.
        const adopted = new URL(next);
        if (authorization && adopted.origin === authOrigin) Object.assign(adopted, credentials);
        permanentRedirect = adopted.toString();
      }
      current = next;
      continue;
    }

    const hints = cacheHints(res.headers, now);
    if (res.status === 304) {
      await res.body?.cancel().catch(() => {});
      return { kind: 'not_modified', status: 304, finalUrl: current.toString(), permanentRedirect, ...hints };
    }
    if (res.status === 410) {
      await res.body?.cancel().catch(() => {});
      throw new AppError('fetch_gone', 'HTTP 410 Gone: the feed was removed', { details: { status: 410 } });
    }
    if (res.status === 429 || res.status === 503) {
      await res.body?.cancel().catch(() => {});
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'), now);
      throw new AppError('fetch_rate_limited', `HTTP ${res.status}${retryAfter !== null ? `, retry after ${retryAfter}s` : ''}`, {
        retryable: true,
        details: { status: res.status, retryAfterSeconds: retryAfter },
      });
    }
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel().catch(() => {});
      throw new AppError('fetch_http_error', `HTTP ${res.status}`, {
        retryable: res.status >= 500,
        details: { status: res.status },
      });
    }

    const body = await readCapped(res, opts.maxBytes, opts.timeoutMs);
    return {
      kind: 'ok',
      status: res.status,
      finalUrl: current.toString(),
      permanentRedirect,
      body,
      contentType: res.headers.get('content-type'),
      etag: res.headers.get('etag'),
      lastModified: res.headers.get('last-modified'),
      ...hints,
    };
  }
}

function basicAuthorization(u: URL): string | null {
  if (!u.username && !u.password) return null;
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

/** The URL without its credentials, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = 'redacted';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@\s]*@/, '//redacted@');
  }
}

async function readCapped(res: Response, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  // content-length is of the encoded body; only trust it when the body is not compressed.
  if (!res.headers.get('content-encoding') && declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge(maxBytes);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw networkError(e, timeoutMs);
  }
  return Buffer.concat(chunks, total);
}

function isStaleConnection(e: unknown): boolean {
  const code = (e as { cause?: { code?: string } })?.cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('fetch_too_large', `Body larger than ${maxBytes} bytes`, { details: { maxBytes } });
}

/** `hostname`: the host being connected to (a body read cannot fail on DNS, so it passes none). */
function networkError(e: unknown, timeoutMs: number, hostname?: string): AppError {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return new AppError('fetch_timeout', `No complete response within ${timeoutMs} ms`, { retryable: true, cause: e });
  }
  // The guard refused the connection (blocked address, or its own lookup failed): its error as it worded it.
  if (isAppError(err?.cause)) return err.cause;
  // fetch resolved the name itself (the guard is off): the same words as when the guard's lookup fails.
  const dnsCode = resolverErrorCode(err?.cause);
  if (dnsCode && hostname) return dnsLookupFailed(hostname.replace(/^\[|\]$/g, ''), dnsCode, e);
  const code = err?.cause?.code ?? err?.name ?? 'error';
  return new AppError('fetch_network', `Network error: ${code} ${err?.cause?.message ?? err?.message ?? ''}`.trim(), {
    retryable: true,
    cause: e,
  });
}
