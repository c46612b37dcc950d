import { getPath } from 'hono/utils/url';
import { checkDatabase, loadStoreTotals } from '../../src/services/health.js';
import { newRouter, type ApiContext } from '../context.js';
import { addEdgeHeaders, nodeResponse, REQUEST_ID, requestIdFrom, setEdgeHeaders } from '../edge.js';
import { errorBody } from '../errors.js';
import type { ApiMetrics, RequestMetrics } from '../metrics.js';

const DB_METRICS_MAX_AGE_MS = 10_000;

const LIVE_BODY = JSON.stringify({ status: 'ok' });

/**
 * GET/HEAD /healthz, the liveness probe, answered before routing: `{"status":"ok"}`, no-store, with the headers
 * every response carries (request id, CORS, security; api/edge.ts) and counted in the request metrics like any
 * route. A probe asks only whether the process answers, so it pays for no router, middleware or content stack.
 * Returns undefined for every other request.
 */
export function livenessProbe(metrics: RequestMetrics): (req: Request, env: unknown) => Response | undefined {
  return (req, env) => {
    const method = req.method;
    if ((method !== 'GET' && method !== 'HEAD') || getPath(req) !== '/healthz') return undefined;
    const start = performance.now();
    const id = requestIdFrom(req.headers.get(REQUEST_ID));
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
    const out = nodeResponse(env);
    if (out) setEdgeHeaders(out, id);
    const res = new Response(method === 'HEAD' ? null : LIVE_BODY, { status: 200, headers });
    if (!out) addEdgeHeaders(res.headers, id);
    metrics.observe(method, '/healthz', 200, (performance.now() - start) / 1000);
    return res;
  };
}

export function healthRoutes(ctx: ApiContext, metrics: ApiMetrics) {
  const { db, logger } = ctx.deps;
  const app = newRouter();

  app.get('/readyz', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      await checkDatabase(db);
      return c.json({ status: 'ready' });
    } catch (err) {
      logger.warn({ event: 'readyz_failed', err });
      return c.json(errorBody('not_ready', 'database unreachable'), 503);
    }
  });

  // Database-derived gauges: one grouped pass over sources plus two counts, at most every 10 s,
  // so frequent scrapes never load the database.
  const { sources, fetches, notModified, errors, failing, itemsStored, articles, stories } = metrics.db;
  let loadedAt = 0;
  let loading: Promise<void> | null = null;
  const refreshDbMetrics = async () => {
    if (Date.now() - loadedAt < DB_METRICS_MAX_AGE_MS) return;
    loading ??= (async () => {
      const { sources: t, articles: a, stories: s } = await loadStoreTotals(db);
      for (const [status, n] of Object.entries(t.byStatus)) sources.set({ status }, n);
      fetches.set(t.fetches);
      notModified.set(t.notModified);
      errors.set(t.errors);
      failing.set(t.failingSources);
      itemsStored.set(t.itemsStored);
      articles.set(a);
      stories.set(s);
      loadedAt = Date.now();
    })().finally(() => {
      loading = null;
    });
    await loading;
  };

  app.get('/metrics', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      await refreshDbMetrics();
    } catch (err) {
      logger.warn({ event: 'metrics_db_failed', err }); // still serve the in-process metrics
    }
    c.header('Content-Type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics(), 200);
  });
  return app;
}
