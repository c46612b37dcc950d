// The headers every response carries (request id, CORS, security; api/edge.ts) and the liveness probe answered
// before routing. Under the real server they go onto Node's response before the handler runs, under app.request()
// onto the Response afterwards: both paths must give every route the same headers, a route's own policy winning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { weakEtag } from '../../api/http-cache.js';
import { startApi } from '../../api/server.js';
import { CONTENT_SECURITY_POLICY } from '../../api/pages/security-headers.js';
import { createLogger } from '../../src/logger.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { testConfig } from '../helpers/deps.js';
import { freePort } from '../helpers/net.js';
import { beatTopics, makeApp } from './api-helpers.js';
import { seed, T0 } from './seed.js';

const DOCS_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The edge headers of a response, with the request id reduced to its shape (it differs per request). */
function edgeHeaders(r: Response) {
  const id = r.headers.get('x-request-id');
  return {
    requestId: id === null ? null : UUID.test(id) ? 'uuid' : id,
    allowOrigin: r.headers.get('access-control-allow-origin'),
    exposeHeaders: r.headers.get('access-control-expose-headers'),
    csp: r.headers.get('content-security-policy'),
    nosniff: r.headers.get('x-content-type-options'),
    frame: r.headers.get('x-frame-options'),
    referrer: r.headers.get('referrer-policy'),
    cacheControl: r.headers.get('cache-control'),
    contentType: r.headers.get('content-type'),
  };
}

const PAGE = {
  requestId: 'uuid',
  allowOrigin: '*',
  exposeHeaders: 'ETag,X-Request-Id,Retry-After,Location',
  csp: CONTENT_SECURITY_POLICY,
  nosniff: 'nosniff',
  frame: 'DENY',
  referrer: 'strict-origin-when-cross-origin',
};

describe(`edge headers and the liveness probe (${dbKind})`, () => {
  let t: TestDb;
  let app: ReturnType<typeof makeApp>;
  let base: string;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    t = await createTestDb();
    await seed(t.db);
    app = makeApp(t);
    const port = await freePort();
    const config = testConfig({ HOST: '127.0.0.1', PORT: String(port), RATE_LIMIT_PER_MINUTE: '0' });
    base = config.publicBaseUrl;
    close = await startApi({ db: t.db, config, logger: createLogger('silent'), clock: () => T0, topics: beatTopics() });
  });
  afterAll(async () => {
    await close?.();
    await t?.close();
  });

  const both = async (path: string, init?: RequestInit) => {
    const viaApp = await app.request(path, init);
    const viaServer = await fetch(base + path, init);
    return { viaApp, viaServer, bodies: [await viaApp.text(), await viaServer.text()] };
  };

  it('the real server and app.request() give each route the same edge headers; the API reference keeps its policy', async () => {
    const expected: Record<string, Partial<ReturnType<typeof edgeHeaders>>> = {
      '/healthz': { ...PAGE, cacheControl: 'no-store', contentType: 'application/json' },
      '/readyz': { ...PAGE, cacheControl: 'no-store' },
      '/v1/topics': { ...PAGE, cacheControl: 'public, max-age=60' },
      '/feeds/all.rss': PAGE,
      '/nope': { ...PAGE, cacheControl: 'no-store' },
      '/docs': { ...PAGE, csp: DOCS_POLICY },
    };
    for (const [path, want] of Object.entries(expected)) {
      const { viaApp, viaServer } = await both(path);
      expect(viaServer.status, path).toBe(viaApp.status);
      const a = edgeHeaders(viaApp);
      const s = edgeHeaders(viaServer);
      expect(s, path).toEqual(a);
      expect(s, path).toMatchObject(want);
    }
  });

  it('a 304 keeps the edge headers on both paths', async () => {
    // Each side's own tag: the two render links with their own base URL.
    const tagOf = async (r: Response) => (await r.arrayBuffer(), r.headers.get('etag')!);
    const appTag = await tagOf(await app.request('/v1/topics'));
    const serverTag = await tagOf(await fetch(`${base}/v1/topics`));
    const viaApp = await app.request('/v1/topics', { headers: { 'If-None-Match': appTag } });
    const viaServer = await fetch(`${base}/v1/topics`, { headers: { 'If-None-Match': serverTag } });
    expect(viaApp.status).toBe(304);
    expect(viaServer.status).toBe(304);
    expect(edgeHeaders(viaServer)).toMatchObject({ ...PAGE, cacheControl: 'public, max-age=60' });
    expect(edgeHeaders(viaServer)).toEqual(edgeHeaders(viaApp));
  });

  it("a content response's weak ETag is the SHA-1 of the bytes sent, on both paths", async () => {
    for (const path of ['/v1/topics', '/feeds/all.rss', '/v1/topics/all/stories']) {
      for (const r of [await app.request(path), await fetch(base + path)]) {
        const body = new Uint8Array(await r.arrayBuffer());
        expect(body.byteLength, path).toBeGreaterThan(0);
        expect(r.headers.get('etag'), path).toBe(weakEtag(body));
      }
    }
  });

  it("a client's plain X-Request-Id is echoed, anything else replaced by a fresh id", async () => {
    for (const path of ['/healthz', '/v1/topics']) {
      const { viaApp, viaServer } = await both(path, { headers: { 'X-Request-Id': 'trace-42=ok' } });
      expect(viaApp.headers.get('x-request-id'), path).toBe('trace-42=ok');
      expect(viaServer.headers.get('x-request-id'), path).toBe('trace-42=ok');
      const odd = await both(path, { headers: { 'X-Request-Id': 'has space' } });
      expect(odd.viaApp.headers.get('x-request-id'), path).toMatch(UUID);
      expect(odd.viaServer.headers.get('x-request-id'), path).toMatch(UUID);
    }
  });

  it('the liveness probe: GET and HEAD /healthz only, counted in the metrics; other methods and paths are routed', async () => {
    const probe = createApp({ db: t.db, config: testConfig({ RATE_LIMIT_PER_MINUTE: '0' }), logger: createLogger('silent'), clock: () => T0, topics: beatTopics() });
    const get = await probe.request('/healthz');
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ status: 'ok' });
    const head = await probe.request('/healthz', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(head.headers.get('cache-control')).toBe('no-store');
    expect((await probe.request('/healthz', { method: 'POST' })).status).toBe(404);
    expect((await probe.request('/healthz/')).status).toBe(404);
    expect((await probe.request('/healthz?verbose=1')).status).toBe(200);
    const metrics = await (await probe.request('/metrics')).text();
    const count = (method: string) =>
      Number(new RegExp(`^frontera_http_request_duration_seconds_count\\{method="${method}",route="/healthz",status="200"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
    expect(count('GET')).toBe(2);
    expect(count('HEAD')).toBe(1);
  });
});
