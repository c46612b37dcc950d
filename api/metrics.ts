import { Gauge, Histogram, Registry } from 'prom-client';

// The API's Prometheus metrics (prom-client), one registry per app: tests that build several apps in one process,
// or an app and a job, never share series. Nothing is registered in prom-client's global default registry.

export const DEFAULT_LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One request's latency into frontera_http_request_duration_seconds. */
export interface RequestMetrics {
  observe(method: string, route: string, status: number, seconds: number): void;
}

export interface ApiMetrics extends RequestMetrics {
  registry: Registry;
  requestDuration: Histogram<'method' | 'route' | 'status'>;
  /** Gauges read from the database (set by the /metrics route). */
  db: {
    sources: Gauge<'status'>;
    fetches: Gauge;
    notModified: Gauge;
    errors: Gauge;
    failing: Gauge;
    itemsStored: Gauge;
    articles: Gauge;
    stories: Gauge;
  };
}

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  const registers = [registry];
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers });
  const requestDuration = new Histogram({
    name: 'frontera_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DEFAULT_LATENCY_BUCKETS,
    registers,
  });
  // One labelled child per series, made once: a request then costs no label object and no label validation.
  // Series are bounded (methods × route patterns × statuses), and so is this map.
  const series = new Map<string, { observe(value: number): void }>();
  return {
    registry,
    requestDuration,
    observe(method, route, status, seconds) {
      const key = `${method} ${status} ${route}`;
      let child = series.get(key);
      if (!child) series.set(key, (child = requestDuration.labels({ method, route, status })));
      child.observe(seconds);
    },
    db: {
      sources: new Gauge({ name: 'frontera_sources', help: 'Sources by status', labelNames: ['status'] as const, registers }),
      fetches: gauge('frontera_source_fetches', 'Fetches recorded on sources (sum of fetch_count)'),
      notModified: gauge('frontera_source_not_modified', 'Fetches answered 304 (sum of not_modified_count)'),
      errors: gauge('frontera_source_consecutive_errors', 'Sum of consecutive fetch errors over sources'),
      failing: gauge('frontera_sources_failing', 'Sources whose last fetch failed'),
      itemsStored: gauge('frontera_source_items_stored', 'Items stored from sources (sum of items_stored)'),
      articles: gauge('frontera_articles', 'Articles stored'),
      stories: gauge('frontera_stories', 'Live (not merged) stories'),
    },
  };
}
