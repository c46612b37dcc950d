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
 * Every response (JSON, feeds, pages, error pages, assets): served with its declared type only, never framed, and
 * under the page policy. A route that sets its own policy (the API reference, `securityHeaders(policy)`) keeps it.
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
