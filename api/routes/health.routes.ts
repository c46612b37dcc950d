import { pingDatabase } from '../../db/repositories/health.repository.js';
import { countArticles } from '../../db/repositories/articles.repository.js';
import { findSourceTotals } from '../../db/repositories/sources.repository.js';
import { countLiveStories } from '../../db/repositories/stories.repository.js';
import { newRouter, type ApiContext } from '../context.js';
import { errorBody } from '../errors.js';
import { CONTENT_TYPE, metrics } from '../metrics.js';

const DB_METRICS_MAX_AGE_MS = 10_000;

export function healthRoutes(ctx: ApiContext) {
  const { db, logger } = ctx.deps;
  const app = newRouter();

  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' });
  });

  app.get('/readyz', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      await pingDatabase(db);
      return c.json({ status: 'ready' });
    } catch (err) {
      logger.warn({ event: 'readyz_failed', err });
      return c.json(errorBody('not_ready', 'database unreachable'), 503);
    }
  });

  // Database-derived gauges: one grouped pass over sources plus two counts, at most every 10 s,
  // so frequent scrapes never load the database.
  const sources = metrics.gauge('frontera_sources', 'Sources by status', ['status']);
  const fetches = metrics.gauge('frontera_source_fetches', 'Fetches recorded on sources (sum of fetch_count)');
  const notModified = metrics.gauge('frontera_source_not_modified', 'Fetches answered 304 (sum of not_modified_count)');
  const errors = metrics.gauge('frontera_source_consecutive_errors', 'Sum of consecutive fetch errors over sources');
  const failing = metrics.gauge('frontera_sources_failing', 'Sources whose last fetch failed');
  const itemsStored = metrics.gauge('frontera_source_items_stored', 'Items stored from sources (sum of items_stored)');
  const articles = metrics.gauge('frontera_articles', 'Articles stored');
  const stories = metrics.gauge('frontera_stories', 'Live (not merged) stories');
  let loadedAt = 0;
  let loading: Promise<void> | null = null;
  const refreshDbMetrics = async () => {
    if (Date.now() - loadedAt < DB_METRICS_MAX_AGE_MS) return;
    loading ??= (async () => {
      const [t, a, s] = await Promise.all([findSourceTotals(db), countArticles(db), countLiveStories(db)]);
      for (const [status, n] of Object.entries(t.byStatus)) sources.set({ status }, n);
      fetches.set({}, t.fetches);
      notModified.set({}, t.notModified);
      errors.set({}, t.errors);
      failing.set({}, t.failingSources);
      itemsStored.set({}, t.itemsStored);
      articles.set({}, a);
      stories.set({}, s);
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
    c.header('Content-Type', CONTENT_TYPE);
    return c.body(metrics.render(), 200);
  });
  return app;
}
