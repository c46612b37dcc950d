import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { matchedRoutes } from 'hono/route';
import type { Logger } from '../src/logger.js';
import type { RequestMetrics } from './metrics.js';
import { PAGE_SECURITY_HEADERS } from './pages/security-headers.js';

// What every response carries, in one middleware: the request id, the security headers, CORS and the request's
// latency in the metrics.
//
// Under @hono/node-server (`c.env.outgoing`, its HttpBindings) the constant headers go straight onto Node's
// ServerResponse before the handler runs: Node merges them into the head it writes, a header the response itself
// carries taking precedence (a route with its own policy, the API reference, keeps it). That costs a few plain
// property writes where setting them on the web Response (undici's Headers: validation and re-sorting per call)
// cost more than the rest of a trivial request; and it leaves the handler's Response untouched, so the server
// still writes a string or byte body straight to the socket. (That fast path is lost once a middleware reads the
// body, sets a header through `c.header()` after the response exists, or touches `c.res` before the handler:
// Hono then rebuilds the response around its body stream.) Without a Node response (`app.request()` in tests)
// the same headers are set on the Response afterwards, with the same precedence.

export const REQUEST_ID = 'X-Request-Id';
/** A client's own id is kept when it is short and plain; otherwise (or without one) a fresh UUID. */
const CLIENT_ID = /^[\w\-=]{1,255}$/;

/** What a browser may read from a cross-origin GET; the same for every origin (`*`), so sent on every response. */
const CORS_HEADERS: [string, string][] = [
  ['Access-Control-Allow-Origin', '*'],
  ['Access-Control-Expose-Headers', 'ETag,X-Request-Id,Retry-After,Location'],
];

/**
 * The route a request matched, for a metrics label of bounded cardinality: the pattern of the last matched route
 * (a route, not an `app.use` middleware, which matches every path), without its regex; "unmatched" for none or
 * a wildcard.
 */
export function routeLabel(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const r = routes[i]!;
    if (r.method === 'ALL') continue;
    return r.path.endsWith('*') ? 'unmatched' : cleanPattern(r.path);
  }
  return 'unmatched';
}

const patterns = new Map<string, string>();
/** `/v1/stories/:id{[0-9]+}` → `/v1/stories/:id`; memoized (one entry per route of the app). */
function cleanPattern(path: string): string {
  let label = patterns.get(path);
  if (label === undefined) patterns.set(path, (label = path.replace(/\{[^}]*\}/g, '')));
  return label;
}

export interface EdgeOptions {
  metrics: RequestMetrics;
  logger: Logger;
}

/** The headers every response gets unless it carries its own. */
const EDGE_HEADERS: readonly (readonly [string, string])[] = [...CORS_HEADERS, ...PAGE_SECURITY_HEADERS];

/** The part of Node's ServerResponse this needs (HTTP/1 and HTTP/2 responses both have it). */
export interface NodeResponse {
  setHeader(name: string, value: string): unknown;
}

/** The Node response under @hono/node-server (its HttpBindings' `outgoing`); undefined elsewhere (`app.request()`). */
export function nodeResponse(env: unknown): NodeResponse | undefined {
  const out = (env as { outgoing?: NodeResponse } | undefined)?.outgoing;
  return out && typeof out.setHeader === 'function' ? out : undefined;
}

/** The request's id: the client's X-Request-Id when short and plain, else a fresh UUID. */
export function requestIdFrom(given: string | null | undefined): string {
  return given && CLIENT_ID.test(given) ? given : crypto.randomUUID();
}

/** The edge headers onto Node's response, before the handler: any header the Response carries overrides them. */
export function setEdgeHeaders(out: NodeResponse, id: string): void {
  out.setHeader(REQUEST_ID, id);
  for (const [name, value] of EDGE_HEADERS) out.setHeader(name, value);
}

/** The edge headers a Response lacks, onto it (without a Node response). */
export function addEdgeHeaders(h: Headers, id: string): void {
  if (!h.has(REQUEST_ID)) h.set(REQUEST_ID, id);
  for (const [name, value] of EDGE_HEADERS) if (!h.has(name)) h.set(name, value);
}

export function edge({ metrics, logger }: EdgeOptions): MiddlewareHandler {
  // Preflights (OPTIONS) are rare: hono/cors answers them as it always did.
  const preflight = cors({
    origin: '*',
    allowMethods: ['GET', 'HEAD'],
    exposeHeaders: ['ETag', 'X-Request-Id', 'Retry-After', 'Location'],
    maxAge: 86_400,
  });
  return async function edge(c, next) {
    const start = performance.now();
    const id = requestIdFrom(c.req.header(REQUEST_ID));
    c.set('requestId', id);
    const out = nodeResponse(c.env);
    if (out) setEdgeHeaders(out, id);
    if (c.req.method === 'OPTIONS') {
      const res = await preflight(c, next);
      if (res) c.res = res;
    } else {
      await next();
    }
    const res = c.res;
    if (!out) addEdgeHeaders(res.headers, id);
    const seconds = (performance.now() - start) / 1000;
    const status = res.status;
    metrics.observe(c.req.method, routeLabel(c), status, seconds);
    if (status >= 500) logger.warn({ event: 'http_request', method: c.req.method, path: c.req.path, status, duration_ms: Math.round(seconds * 1000), request_id: id });
  };
}
