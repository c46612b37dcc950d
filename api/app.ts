import { OpenAPIHono } from '@hono/zod-openapi';
import { readDataVersion } from '../src/services/data-version.js';
import { type ApiContext, type ApiDeps, type ApiEnv } from './context.js';
import { edge } from './edge.js';
import { createErrorHandler, notFound } from './errors.js';
import { conditionalGet, createDataVersion, responseCache, type DataVersion } from './http-cache.js';
import { createApiMetrics } from './metrics.js';
import { isEditor } from './pages/editor.js';
import { pagesRoutes, renderErrorPage, wantsHtml } from './pages/pages.routes.js';
import { staticAssets } from './pages/static-assets.js';
import { createRateLimiter, rateLimit } from './rate-limit.js';
import { articlesRoutes } from './routes/articles.routes.js';
import { correctionsRoutes } from './routes/corrections.routes.js';
import { docsRoutes } from './routes/docs.routes.js';
import { feedsRoutes } from './routes/feeds.routes.js';
import { healthRoutes, livenessProbe } from './routes/health.routes.js';
import { newslettersRoutes } from './routes/newsletters.routes.js';
import { searchRoutes } from './routes/search.routes.js';
import { sourcesRoutes } from './routes/sources.routes.js';
import { storiesRoutes } from './routes/stories.routes.js';
import { topicsRoutes } from './routes/topics.routes.js';
import { blindspotsRoutes } from './routes/blindspots.routes.js';

export type { ApiDeps } from './context.js';

/** Paths outside the rate limit besides the probes (which answer before it): the pages' assets. */
const isUnlimited = (path: string) => path.startsWith('/static/');

/** Public content that is the same for everyone and changes only with the data: cached and revalidated. */
const CACHED_PREFIXES = ['/v1/topics', '/v1/stories', '/v1/articles', '/v1/search', '/feeds/'];
/**
 * The reader pages, which depend only on the data too. Not /sources: it shows each feed's last fetch, which the
 * data version leaves out (a fetch that stores nothing must not invalidate every cached page).
 */
const CACHED_PAGES = new Set(['/', '/search']);
// Newsletter issues are written by the job without moving the stories' data version: never cached here.
const isCached = (path: string) =>
  !path.startsWith('/feeds/newsletters/') && (CACHED_PAGES.has(path) || path.startsWith('/stories/') || CACHED_PREFIXES.some((p) => path.startsWith(p)));

export interface CreateAppOptions {
  /** Override the data version source (tests). */
  version?: DataVersion;
}

export function createApp(deps: ApiDeps, opts: CreateAppOptions = {}): OpenAPIHono<ApiEnv> {
  const { config, logger } = deps;
  const version = opts.version ?? createDataVersion(() => readDataVersion(deps.db));
  const ctx: ApiContext = { deps, base: config.publicBaseUrl, version };
  const app = new OpenAPIHono<ApiEnv>();
  const metrics = createApiMetrics();

  // Every response: request id, security headers, CORS, latency metrics (one middleware; api/edge.ts).
  app.use(edge({ metrics, logger }));
  // Readiness and the metrics answer here, before the content stack below (rate limit, ETag, Cache-Control,
  // response cache), none of which applies to them: they are no-store, unlimited and never revalidated.
  app.route('/', healthRoutes(ctx, metrics));

  if (config.api.rateLimitPerMinute > 0) {
    const limit = rateLimit(createRateLimiter({ perMinute: config.api.rateLimitPerMinute, burst: config.api.rateLimitBurst }), config.api.trustProxy);
    app.use((c, next) => (isUnlimited(c.req.path) ? next() : limit(c, next)));
  }
  app.use(conditionalGet());
  app.use(async (c, next) => {
    await next();
    const res = c.res;
    // In place on the response's headers: `c.header()` would rebuild the finished response around a body stream.
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && res.status === 200 && !res.headers.has('Cache-Control')) {
      res.headers.set('Cache-Control', 'public, max-age=60');
    }
  });
  if (config.api.cacheEntries > 0) {
    const cache = responseCache({ version, maxEntries: config.api.cacheEntries });
    // A signed-in editor's story page carries the editor script: rendered for that browser alone.
    app.use((c, next) => (isCached(c.req.path) && !isEditor(c) ? cache(c, next) : next()));
  }

  app.route('/', topicsRoutes(ctx));
  app.route('/', blindspotsRoutes(ctx));
  app.route('/', storiesRoutes(ctx));
  app.route('/', articlesRoutes(ctx));
  app.route('/', correctionsRoutes(ctx));
  app.route('/', searchRoutes(ctx));
  app.route('/', sourcesRoutes(ctx));
  app.route('/', feedsRoutes(ctx));
  app.route('/', newslettersRoutes(ctx));
  app.route('/', docsRoutes(app));
  const assets = staticAssets();
  app.route('/', assets.routes);
  app.route('/', pagesRoutes(ctx, assets.assets));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'ADMIN_TOKEN. Admin routes answer 403 when no token is configured.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Frontera API',
      version: '1.0.0',
      description:
        // The beat's own words (the rules' `beat` section): another rules file, another API description.
        `${deps.topics.beat.api.description} Two presses (\`press\`, \`side\`), by the country where an outlet is published: ` +
        `\`us\` = the ${deps.topics.beat.press.us.name} (${deps.topics.beat.press.us.country}), \`mx\` = the ${deps.topics.beat.press.mx.name} (${deps.topics.beat.press.mx.country}). ` +
        'Every GET but the probes and /metrics (no-store) carries a weak ETag (If-None-Match → 304). Errors are `{ "error": { "code", "message" } }`. ' +
        'Rate limit per client IP: 429 with Retry-After.',
    },
    servers: [{ url: config.publicBaseUrl }],
  });

  // The liveness probe is answered before routing (routes/health.routes.ts): in front of the app's own fetch, which
  // app.request() calls too, so tests see the one /healthz the server serves.
  const probe = livenessProbe(metrics);
  const routed = app.fetch;
  app.fetch = (req, env, executionCtx) => probe(req, env) ?? routed(req, env, executionCtx);

  app.onError(createErrorHandler(logger));
  // A browser gets a page; API clients keep the JSON error.
  app.notFound((c) => (wantsHtml(c) ? renderErrorPage(c, assets.assets, deps.topics.beat, 404, `Nothing lives at ${c.req.path.slice(0, 200)}.`) : notFound(c)));
  return app;
}
