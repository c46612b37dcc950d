// API attack surface through app.request(), complementing test/api/api.test.ts (which checks admin 401/403,
// 400 naming the parameter and the 429 shape): injection-shaped parameters never reach SQL as code and never
// 500; the admin token cannot be bypassed (query string, case, prefix); the rate limit cannot be dodged by
// rotating X-Forwarded-For when no proxy is trusted; responses carry the security headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { ADMIN_TOKEN, makeApp } from '../api/api-helpers.js';
import { seed } from '../api/seed.js';

const INJECTIONS = [
  "' OR '1'='1",
  "1; DROP TABLE articles;--",
  "1' UNION SELECT password FROM pg_shadow--",
  '$$; SELECT pg_sleep(5); $$',
  "') OR 1=1--",
  '%00',
  '\u0000',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '{"$gt":""}',
  '*',
  '\\',
  'a'.repeat(5000),
  '%E0%A4%A',
  '😀'.repeat(50),
  "'; COPY (SELECT '') TO PROGRAM 'touch /tmp/pwned';--",
];

describe(`API security (${dbKind})`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
    await seed(t.db);
  });
  afterAll(() => t?.close());

  const count = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM articles`.execute(t.db)).rows[0]!.n);

  it('injection-shaped values in every parameter: 400 or a normal answer, never 5xx; the data is untouched', async () => {
    const app = makeApp(t);
    const before = await count();
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    for (const v of INJECTIONS) {
      const e = encodeURIComponent(v);
      const paths = [
        `/v1/search?q=${e}`,
        `/v1/articles?topic=${e}`,
        `/v1/articles?since=${e}`,
        `/v1/articles?cursor=${e}`,
        `/v1/articles?limit=${e}`,
        `/v1/articles/${e}`,
        `/v1/stories/${e}`,
        `/v1/topics/${e}/stories`,
        `/v1/topics/border-security/stories?cursor=${e}`,
        `/feeds/${e}.rss`,
      ];
      for (const p of paths) {
        if (v === '\u0000' && p.startsWith('/v1/search')) continue; // known bug, pinned below
        const r = await app.request(p);
        await r.arrayBuffer();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status >= 500 || ![200, 304, 400, 404, 414].includes(r.status)) failures.push(`${r.status} ${p.slice(0, 100)}`);
      }
    }
    console.info(`api-security: injection statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(failures).toEqual([]);
    expect(await count()).toBe(before);
    // The search term is a bound parameter: a quote-laden query is just a query.
    const r = await app.request(`/v1/search?q=${encodeURIComponent("border' OR '1'='1")}`);
    expect(r.status).toBe(200);
  });

  // A NUL byte would reach PostgreSQL, which rejects it ("invalid byte sequence for encoding UTF8: 0x00"):
  // the edge refuses control characters with a 400 instead of a 500.
  it('a NUL byte in the search query answers 400, not 500', async () => {
    const r = await makeApp(t).request('/v1/search?q=border%00x');
    expect(r.status).toBe(400);
  });

  it('the admin token cannot be bypassed', async () => {
    const app = makeApp(t, { ADMIN_TOKEN });
    const attempts: Array<[string, RequestInit]> = [
      [`/v1/sources/export?token=${ADMIN_TOKEN}`, {}],
      [`/v1/sources/export?access_token=${ADMIN_TOKEN}`, {}],
      ['/v1/sources/export', { headers: { authorization: ADMIN_TOKEN } }],
      ['/v1/sources/export', { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` } }],
      ['/v1/sources/export', { headers: { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` } }],
      ['/v1/sources/export', { headers: { authorization: `Bearer ${ADMIN_TOKEN}x` } }],
      ['/v1/sources/export', { headers: { authorization: `Bearer ${ADMIN_TOKEN.toUpperCase()}` } }],
      ['/v1/sources/export', { headers: { authorization: 'Bearer ' } }],
      ['/v1/sources/export', { headers: { cookie: `token=${ADMIN_TOKEN}` } }],
      ['/v1/sources', { method: 'POST', headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN_TOKEN }, body: JSON.stringify({ url: 'https://x.example/feed' }) }],
      ['/v1/refresh', { method: 'POST' }],
    ];
    for (const [path, init] of attempts) {
      const r = await app.request(path, init);
      expect(r.status, `${init.method ?? 'GET'} ${path} ${JSON.stringify(init.headers ?? {})}`).toBe(401);
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
    const ok = await app.request('/v1/sources/export', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(ok.status).toBe(200);
  });

  it('with no trusted proxy, rotating X-Forwarded-For does not dodge the rate limit', async () => {
    const app = makeApp(t, { RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '5', TRUST_PROXY: 'false' });
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await app.request('/v1/topics', { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      await r.arrayBuffer();
      codes.push(r.status);
    }
    expect(codes.slice(0, 5).every((c) => c === 200)).toBe(true);
    expect(codes.slice(5).every((c) => c === 429)).toBe(true);
  });

  it('JSON errors do not echo internals (no stack, no SQL, no file paths)', async () => {
    const app = makeApp(t);
    for (const p of ["/v1/articles?since=' OR 1=1", '/v1/articles/abc', '/v1/stories/-1', '/nope']) {
      const r = await app.request(p);
      const text = await r.text();
      expect(text).not.toMatch(/at \w+ \(|node_modules|\/work\/|SELECT |syntax error|kysely|postgres/i);
    }
  });

  it('reader pages carry CSP, nosniff, frame and referrer headers', async () => {
    const app = makeApp(t);
    const r = await app.request('/', { headers: { accept: 'text/html' } });
    await r.arrayBuffer();
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('referrer-policy')).toBeTruthy();
  });

  // One secureHeaders middleware for the whole app; the API reference, which fetches /openapi.json, keeps its own.
  it('every response gets the page headers; the API reference keeps its own policy; nothing else is added', async () => {
    const app = makeApp(t);
    const page = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    for (const p of ['/v1/topics', '/feeds/all.rss', '/nope', '/healthz']) {
      const r = await app.request(p);
      await r.arrayBuffer();
      expect(r.headers.get('content-security-policy'), p).toBe(page);
      expect(r.headers.get('x-frame-options'), p).toBe('DENY');
      expect(r.headers.get('referrer-policy'), p).toBe('strict-origin-when-cross-origin');
      for (const h of ['strict-transport-security', 'cross-origin-resource-policy', 'cross-origin-opener-policy', 'x-xss-protection']) expect(r.headers.get(h), `${p} ${h}`).toBeNull();
    }
    for (const p of ['/docs', '/docs/init.js', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css']) {
      const r = await app.request(p);
      await r.arrayBuffer();
      expect(r.headers.get('content-security-policy'), p).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      expect(r.headers.get('x-content-type-options'), p).toBe('nosniff');
    }
  });

  it('JSON and feed responses are served with an explicit content type', async () => {
    const app = makeApp(t);
    for (const p of ['/v1/topics', '/v1/articles', '/feeds/all.rss', '/nope']) {
      const r = await app.request(p);
      await r.arrayBuffer();
      expect(r.headers.get('content-type'), p).toMatch(/^(application\/(json|rss\+xml|atom\+xml|feed\+json)|text\/xml)/);
    }
  });

  // JSON and feed responses carry feed text too: nosniff on every response, not only on pages.
  it('JSON and feed responses carry X-Content-Type-Options: nosniff', async () => {
    const app = makeApp(t);
    for (const p of ['/v1/topics', '/v1/articles', '/feeds/all.rss', '/nope']) {
      const r = await app.request(p);
      await r.arrayBuffer();
      expect(r.headers.get('x-content-type-options'), `${p} nosniff`).toBe('nosniff');
    }
  });
});
