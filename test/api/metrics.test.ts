// /metrics (prom-client): one registry per app, so two apps in one process (tests, an API beside a job) never
// share series, and nothing lands in prom-client's global registry.
import { register } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { makeApp } from './api-helpers.js';

describe(`Prometheus metrics per app (${dbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('each app counts its own requests; the exposition format is Prometheus text 0.0.4', async () => {
    const a = makeApp(t);
    const b = makeApp(t);
    for (let i = 0; i < 3; i++) await (await a.request('/v1/topics')).arrayBuffer();
    await (await b.request('/healthz')).arrayBuffer();

    const ma = await a.request('/metrics');
    expect(ma.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(ma.headers.get('cache-control')).toBe('no-store');
    const ta = await ma.text();
    const tb = await (await b.request('/metrics')).text();
    const count = (text: string, route: string) =>
      Number(new RegExp(`^frontera_http_request_duration_seconds_count\\{method="GET",route="${route}",status="200"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    expect(count(ta, '/v1/topics')).toBe(3);
    expect(count(ta, '/healthz')).toBe(0);
    expect(count(tb, '/v1/topics')).toBe(0);
    expect(count(tb, '/healthz')).toBe(1);
    expect(ta).toContain('# TYPE frontera_http_request_duration_seconds histogram\n');
    expect(ta).toMatch(/^frontera_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/v1\/topics",status="200"\} 3$/m);
    expect(ta).toMatch(/^# HELP frontera_articles Articles stored\n# TYPE frontera_articles gauge\nfrontera_articles \d+$/m);
    expect(await register.getMetricsAsJSON()).toEqual([]);
  });
});
