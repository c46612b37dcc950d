import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

// Reader pages hold text from hundreds of feeds: the policy makes any markup that slipped through
// inert (no inline script, no inline style, no plugin, no framing, forms only back to us).
const PAGE_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The page policy as the header reads (hono/secure-headers writes the directives in this order). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The headers every response carries, as `securityHeaders()` writes them: the app's edge middleware (api/edge.ts)
 * sets these precomputed pairs on each response, skipping any a route set itself.
 */
export const PAGE_SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
];

/** Only the headers this app means to send: secureHeaders' other defaults (HSTS, COOP, CORP…) stay off. */
const NONE = {
  crossOriginEmbedderPolicy: false,
  crossOriginResourcePolicy: false,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  referrerPolicy: false,
  strictTransportSecurity: false,
  xContentTypeOptions: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
} as const;

/**
 * Served with its declared type only, never framed, and under the given policy (by default the page policy: what
 * PAGE_SECURITY_HEADERS holds). The app sets PAGE_SECURITY_HEADERS on every response (JSON, feeds, pages, error
 * pages, assets); a route with a policy of its own (the API reference) runs `securityHeaders(policy)`, and keeps it.
 */
export function securityHeaders(contentSecurityPolicy: Record<string, string[]> = PAGE_POLICY): MiddlewareHandler {
  return secureHeaders({
    ...NONE,
    contentSecurityPolicy,
    xContentTypeOptions: true,
    xFrameOptions: 'DENY',
    referrerPolicy: 'strict-origin-when-cross-origin',
    // Inner middlewares run their header step first: the outermost one must not replace a route's own policy.
    overwrite: false,
  });
}
