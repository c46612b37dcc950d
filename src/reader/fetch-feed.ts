import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';
import { AppError, isAppError } from '../errors.js';
import { dnsLookupFailed, FEED_AGENT_OPTIONS, guardedAgent, resolverErrorCode } from './address-guard.js';

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  allowPrivate: boolean;
  /** Connection pool to fetch through; default: the guarded agent, or an unguarded one when allowPrivate. */
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

/** A response header as one string (repeated headers joined, as the Fetch API's Headers.get does), or null. */
type HeaderGet = (name: string) => string | null;

function headerGetter(headers: Record<string, string | string[] | undefined>): HeaderGet {
  return (name) => {
    const v = headers[name];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  };
}

function cacheHints(headers: { get: HeaderGet }, now: Date): CacheHints {
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
 * covering headers and body, and a byte cap enforced on the encoded body while it arrives and on its
 * decompression (so a gzip bomb or an endless body stops at the cap).
 *
 * undici's `request`, not `fetch`: fetch's Headers, web streams and chunk-by-chunk decompression cost
 * about twice the process CPU per feed.
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
  const dispatcher = opts.dispatcher ?? (opts.allowPrivate ? unguardedAgent() : guardedAgent());
  // undici's request follows no redirect: each hop is handled below.
  const send = (headers: Record<string, string>) => request(current, { method: 'GET', headers, signal, dispatcher });

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

    let raw: Dispatcher.ResponseData;
    try {
      raw = await send(headers);
    } catch (e) {
      // A pooled keep-alive connection the server had already closed fails before any byte of the answer;
      // one immediate retry on a fresh connection (a GET is idempotent) is what browsers do.
      if (signal.aborted || !isStaleConnection(e)) throw networkError(e, opts.timeoutMs, current.hostname, signal);
      try {
        raw = await send(headers);
      } catch (e2) {
        throw networkError(e2, opts.timeoutMs, current.hostname, signal);
      }
    }
    const res = { status: raw.statusCode, headers: { get: headerGetter(raw.headers) }, body: raw.body };
    const discard = () => res.body.dump().catch(() => {});

    if (res.status >= 300 && res.status < 400 && res.status !== 304) {
      await discard();
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
      await discard();
      return { kind: 'not_modified', status: 304, finalUrl: current.toString(), permanentRedirect, ...hints };
    }
    if (res.status === 410) {
      await discard();
      throw new AppError('fetch_gone', 'HTTP 410 Gone: the feed was removed', { details: { status: 410 } });
    }
    if (res.status === 429 || res.status === 503) {
      await discard();
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'), now);
      throw new AppError('fetch_rate_limited', `HTTP ${res.status}${retryAfter !== null ? `, retry after ${retryAfter}s` : ''}`, {
        retryable: true,
        details: { status: res.status, retryAfterSeconds: retryAfter },
      });
    }
    if (res.status < 200 || res.status >= 300) {
      await discard();
      throw new AppError('fetch_http_error', `HTTP ${res.status}`, {
        retryable: res.status >= 500,
        details: { status: res.status },
      });
    }

    const body = await readCapped(res, opts.maxBytes, opts.timeoutMs, signal);
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

let unguarded: Dispatcher | null = null;
/** The connection pool of ALLOW_PRIVATE_SOURCES: undici's global one would keep a Pool per origin (FEED_AGENT_OPTIONS). */
function unguardedAgent(): Dispatcher {
  unguarded ??= new Agent(FEED_AGENT_OPTIONS);
  return unguarded;
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

async function readCapped(
  res: { headers: { get: HeaderGet }; body: Dispatcher.ResponseData['body'] },
  maxBytes: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Uint8Array> {
  const encoding = res.headers.get('content-encoding');
  const declared = Number(res.headers.get('content-length'));
  // content-length is of the encoded body; only trust it when the body is not compressed.
  if (!encoding && declared > maxBytes) {
    await res.body.dump().catch(() => {});
    throw tooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      total += chunk.byteLength;
      // An encoded body over the cap decodes to more than the cap.
      if (total > maxBytes) {
        res.body.destroy();
        throw tooLarge(maxBytes);
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw networkError(e, timeoutMs, undefined, signal);
  }
  const encoded = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  return encoding ? decode(encoded, encoding, maxBytes, timeoutMs, signal) : encoded;
}

/** Output chunk of one decompression step: a feed of a few hundred KB decodes in one or two rounds. */
const DECODE_CHUNK_BYTES = 256 * 1024;

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

/**
 * Undoes the Content-Encoding codings (last applied first), each in one call on the thread pool with its output
 * capped at maxBytes. A truncated stream yields what it holds, as the Fetch API's decoder does; an unknown
 * coding leaves the body as it came, as fetch does.
 */
async function decode(body: Buffer, encoding: string, maxBytes: number, timeoutMs: number, signal: AbortSignal): Promise<Buffer> {
  const codings = encoding.toLowerCase().split(',').map((c) => c.trim()).filter((c) => c && c !== 'identity').reverse();
  // One output chunk holds a typical feed (zlib's default of 16 KB took a thread-pool round and a callback per 16 KB).
  const chunkSize = Math.max(zlib.constants.Z_MIN_CHUNK, Math.min(DECODE_CHUNK_BYTES, maxBytes));
  const flush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: maxBytes, chunkSize };
  const brFlush = { flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH, maxOutputLength: maxBytes, chunkSize };
  let out = body;
  for (const c of codings) {
    try {
      if (c === 'gzip' || c === 'x-gzip') out = await gunzip(out, flush);
      // "deflate" is meant to be zlib-wrapped, and some servers send it raw: a zlib header's low nibble is 8.
      else if (c === 'deflate') out = await ((out[0]! & 0x0f) === 8 ? inflate : inflateRaw)(out, flush);
      else if (c === 'br') out = await brotli(out, brFlush);
      else return out;
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
      throw networkError(e, timeoutMs, undefined, signal);
    }
  }
  return out;
}

function isStaleConnection(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('fetch_too_large', `Body larger than ${maxBytes} bytes`, { details: { maxBytes } });
}

/**
 * `hostname`: the host being connected to (a body read cannot fail on DNS, so it passes none). The messages keep
 * the words the Fetch API's errors gave (`Network error: <code> <message>` of undici's error).
 */
function networkError(e: unknown, timeoutMs: number, hostname: string | undefined, signal: AbortSignal): AppError {
  const err = e as { name?: string; code?: string; message?: string } | null;
  if (signal.aborted || err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return new AppError('fetch_timeout', `No complete response within ${timeoutMs} ms`, { retryable: true, cause: e });
  }
  // The guard refused the connection (blocked address, or its own lookup failed): its error as it worded it.
  if (isAppError(e)) return e;
  // undici resolved the name itself (the guard is off): the same words as when the guard's lookup fails.
  const dnsCode = resolverErrorCode(e);
  if (dnsCode && hostname) return dnsLookupFailed(hostname.replace(/^\[|\]$/g, ''), dnsCode, e);
  const code = err?.code ?? err?.name ?? 'error';
  return new AppError('fetch_network', `Network error: ${code} ${err?.message ?? ''}`.trim(), { retryable: true, cause: e });
}
