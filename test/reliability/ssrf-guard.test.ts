// SSRF: a source URL must not reach loopback, private, link-local or cloud-metadata addresses unless
// ALLOW_PRIVATE_SOURCES=true — checked inside each connection's name lookup, on every redirect hop. Every request
// here goes to loopback: private and metadata addresses are only ever given to the guard as literals or through a
// mocked resolver, never connected to. The DNS-rebinding cases (a resolver that changes its answer) are in
// test/unit/ssrf-lookup.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { findSource, insertSources } from '../../db/repositories/sources.repository.js';
import { AppError } from '../../src/errors.js';
import { createGuardedAgent, isPrivateAddress, resolvePublicAddresses } from '../../src/reader/address-guard.js';
import { fetchFeed, redactUrl, type FetchOptions } from '../../src/reader/fetch-feed.js';
import { refreshDueSources } from '../../src/services/refresh-feeds.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { refreshDeps, testConfig, TestClock } from '../helpers/deps.js';
import { rss, startFeedServer, type FeedServer } from '../helpers/feed-server.js';

// The guard resolves names through node:dns/promises (mocked here); with the guard off fetch resolves through
// node:dns, untouched.
const fakeDns = vi.hoisted(() => new Map<string, string[]>());
vi.mock('node:dns/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:dns/promises')>();
  const lookup = (async (host: string, opts?: unknown) => {
    const fake = fakeDns.get(host);
    if (fake) return fake.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    return (real.lookup as (h: string, o?: unknown) => Promise<unknown>)(host, opts);
  }) as typeof real.lookup;
  return { ...real, lookup, default: { ...real, lookup } };
});

/** A server on another loopback address (the feed server helper listens on 127.0.0.1 only). */
async function startServer(host: string, handler: http.RequestListener) {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const blocked = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'expected the guard to refuse').toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe('fetch_blocked_address');
};

describe('isPrivateAddress', () => {
  const PRIVATE = [
    '127.0.0.1', '127.255.255.254', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.1',
    '169.254.169.254', '169.254.0.1', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.1',
    '::1', '::', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', 'ff02::1', 'fec0::1',
    // IPv4 inside IPv6: mapped (both spellings), compatible, NAT64, 6to4.
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '::ffff:10.0.0.1', '::7f00:1', '::127.0.0.1',
    '64:ff9b::a9fe:a9fe', '2002:7f00:1::1', '2002:a00:1::',
  ];
  const PUBLIC = ['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '2002:808:808::'];
  it.each(PRIVATE)('%s is private', (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(PUBLIC)('%s is public', (ip) => expect(isPrivateAddress(ip)).toBe(false));
});

const assertPublicUrl = (url: URL) => resolvePublicAddresses(url.hostname).then(() => undefined);

describe('resolvePublicAddresses (the guard behind every connection)', () => {
  beforeEach(() => fakeDns.clear());

  it.each([
    'http://127.0.0.1/feed', 'http://10.1.2.3/feed', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/feed',
    'http://[::ffff:127.0.0.1]/feed', 'http://[::ffff:169.254.169.254]/', 'http://2130706433/feed', 'http://0x7f.1/feed',
    'http://0177.0.0.1/feed', 'http://[fd00:ec2::254]/latest/meta-data/', 'http://0.0.0.0:8080/',
  ])('refuses the literal %s', async (url) => {
    await blocked(assertPublicUrl(new URL(url)));
  });

  it('refuses localhost, which resolves to loopback', async () => {
    await blocked(assertPublicUrl(new URL('http://localhost:8080/feed')));
  });

  it('refuses a name that resolves to a private or metadata address, or has one among several', async () => {
    fakeDns.set('metadata.internal.test', ['169.254.169.254']);
    fakeDns.set('intranet.test', ['203.0.113.5', '10.0.0.5']);
    fakeDns.set('v6only.test', ['fd00::5']);
    for (const host of ['metadata.internal.test', 'intranet.test', 'v6only.test']) await blocked(assertPublicUrl(new URL(`https://${host}/feed`)));
  });

  it('lets a public name through', async () => {
    fakeDns.set('news.example.test', ['203.0.113.10', '2001:db8::10']);
    await expect(assertPublicUrl(new URL('https://news.example.test/feed'))).resolves.toBeUndefined();
  });

  it('a resolver failure is a retryable network error, not a pass', async () => {
    const e = await assertPublicUrl(new URL('http://no-such-host.invalid/')).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'fetch_network', retryable: true });
  });

  // Issue 20: with the guard on, it resolves the name (node:dns/promises); with ALLOW_PRIVATE_SOURCES=true fetch
  // resolves it (undici → node:dns). An operator reads one code and one message either way. ".invalid" never
  // resolves (RFC 6761), online or offline; the resolver's own code (ENOTFOUND, EAI_AGAIN) is kept.
  it('a name that does not resolve reads the same whichever path resolved it (guard on or off)', async () => {
    const opts: FetchOptions = { timeoutMs: 5000, maxBytes: 1_000_000, maxRedirects: 5, userAgent: 'frontera-test', allowPrivate: false };
    const none = { etag: null, lastModified: null };
    const url = 'http://no-such-host.invalid/feed.xml';
    const guarded = await fetchFeed(url, none, opts).catch((x: unknown) => x);
    const unguarded = await fetchFeed(url, none, { ...opts, allowPrivate: true }).catch((x: unknown) => x);
    for (const e of [guarded, unguarded]) expect(e).toBeInstanceOf(AppError);
    const [g, u] = [guarded as AppError, unguarded as AppError];
    expect(g.message).toMatch(/^DNS lookup failed for no-such-host\.invalid: (ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL)$/);
    expect({ code: u.code, message: u.message, retryable: u.retryable }).toEqual({ code: g.code, message: g.message, retryable: g.retryable });
    expect(u.code).toBe('fetch_network');
    expect(u.message).not.toMatch(/Network error|getaddrinfo/);
  });
});

describe('fetchFeed with allowPrivate: false (every hop checked)', () => {
  let srv: FeedServer;
  let port: string;
  const opts: FetchOptions = { timeoutMs: 2000, maxBytes: 1_000_000, maxRedirects: 5, userAgent: 'frontera-test', allowPrivate: false };
  const none = { etag: null, lastModified: null };

  beforeAll(async () => {
    srv = await startFeedServer();
    port = new URL(srv.url('/')).port;
    srv.route('/feed', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Inner', [{ guid: 'i', title: 'Internal' }])));
    srv.route('/hop-to-loopback', (_q, res) => void res.writeHead(302, { location: `http://127.0.0.1:${port}/feed` }).end());
    srv.route('/hop-to-mapped', (_q, res) => void res.writeHead(301, { location: `http://[::ffff:127.0.0.1]:${port}/feed` }).end());
    srv.route('/hop-to-decimal', (_q, res) => void res.writeHead(307, { location: `http://2130706433:${port}/feed` }).end());
  });
  afterAll(() => srv?.close());
  beforeEach(() => {
    fakeDns.clear();
    srv.hits.clear();
  });

  it.each(['127.0.0.1', '[::ffff:127.0.0.1]', 'localhost', '[::1]'])('refuses http://%s:port/feed before connecting', async (host) => {
    await blocked(fetchFeed(`http://${host}:${port}/feed`, none, opts));
    expect(srv.hits.size).toBe(0);
  });

  it.each(['/hop-to-loopback', '/hop-to-mapped', '/hop-to-decimal'])('an allowed first hop redirecting to loopback (%s) is refused at the redirect', async (path) => {
    // The first hop is let through on purpose: a name whose one address (127.0.0.2, another loopback address
    // where the same redirects are served) the guard is told to allow. The redirect's target is not.
    const targets: Record<string, [number, string]> = {
      '/hop-to-loopback': [302, `http://127.0.0.1:${port}/feed`],
      '/hop-to-mapped': [301, `http://[::ffff:127.0.0.1]:${port}/feed`],
      '/hop-to-decimal': [307, `http://2130706433:${port}/feed`],
    };
    const first = await startServer('127.0.0.2', (req, res) => {
      const [status, location] = targets[req.url ?? ''] ?? [404, ''];
      res.writeHead(status, location ? { location } : {}).end();
    });
    try {
      const dispatcher = createGuardedAgent({ resolve: async () => [{ address: '127.0.0.2', family: 4 }], allow: ['127.0.0.2'] });
      await blocked(fetchFeed(`http://first-hop.test:${first.port}${path}`, none, { ...opts, dispatcher }));
      expect(first.hits).toEqual([path]);
      expect(srv.hits.size).toBe(0);
    } finally {
      await first.close();
    }
  });

  it('control: with allowPrivate the same chain is followed (the test above is not vacuous)', async () => {
    const r = await fetchFeed(`http://localhost:${port}/hop-to-loopback`, none, { ...opts, allowPrivate: true });
    expect(r.kind).toBe('ok');
    expect(srv.hits.get('/feed')).toBe(1);
  });

  it('non-http schemes are refused whatever the setting (file:, gopher:, data:)', async () => {
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:70/', 'data:text/xml,<rss/>', 'ftp://127.0.0.1/feed']) {
      const e = await fetchFeed(url, none, { ...opts, allowPrivate: true }).catch((x: unknown) => x);
      expect(e, url).toMatchObject({ code: 'fetch_http_error' });
    }
  });

  it('a redirect to file: is refused', async () => {
    srv.route('/hop-to-file', (_q, res) => void res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    const e = await fetchFeed(srv.url('/hop-to-file'), none, { ...opts, allowPrivate: true }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'fetch_http_error' });
  });
});

describe('feed credentials (https://user:pass@host/feed)', () => {
  let srv: FeedServer;
  const seen: Array<{ path: string; authorization: string | undefined }> = [];
  beforeAll(async () => {
    srv = await startFeedServer();
    const record = (path: string, req: { headers: Record<string, unknown> }) => seen.push({ path, authorization: req.headers.authorization as string | undefined });
    srv.route('/private', (req, res) => {
      record('/private', req);
      if (req.headers.authorization !== `Basic ${Buffer.from('reader:p@ss w0rd').toString('base64')}`) return void res.writeHead(401).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Private', [{ guid: 'p', title: 'Members only' }]));
    });
    // Same path on another origin (localhost vs 127.0.0.1): must not receive the credentials.
    srv.route('/elsewhere', (req, res) => {
      record('/elsewhere', req);
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Elsewhere', []));
    });
    srv.route('/moves-away', (req, res) => {
      record('/moves-away', req);
      res.writeHead(302, { location: srv.url('/elsewhere').replace('127.0.0.1', 'localhost') }).end();
    });
  });
  afterAll(() => srv?.close());
  const opts: FetchOptions = { timeoutMs: 2000, maxBytes: 1_000_000, maxRedirects: 5, userAgent: 't', allowPrivate: true };

  it('are sent as Basic auth to the feed origin only, never across a redirect to another origin', async () => {
    const u = new URL(srv.url('/private'));
    u.username = 'reader';
    u.password = 'p@ss w0rd';
    const r = await fetchFeed(u.toString(), { etag: null, lastModified: null }, opts);
    expect(r.kind).toBe('ok');
    expect(r.finalUrl).not.toContain('w0rd');

    u.pathname = '/moves-away';
    await fetchFeed(u.toString(), { etag: null, lastModified: null }, opts);
    expect(seen.find((s) => s.path === '/moves-away')?.authorization).toMatch(/^Basic /);
    expect(seen.find((s) => s.path === '/elsewhere')?.authorization).toBeUndefined();
  });

  it('redactUrl hides them', () => {
    expect(redactUrl('https://reader:secret@feeds.example/x')).toBe('https://redacted@feeds.example/x');
    expect(redactUrl('https://feeds.example/x')).toBe('https://feeds.example/x');
  });
});

describe(`refresh with ALLOW_PRIVATE_SOURCES=false (${dbKind})`, () => {
  let t: TestDb;
  let srv: FeedServer;
  const clock = new TestClock();
  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    srv.route('/feed', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Local', [{ guid: 'l', title: 'Local' }])));
  });
  afterAll(async () => {
    await srv?.close();
    await t?.close();
  });

  it('records fetch_blocked_address on the source and never connects', async () => {
    const urls = [srv.url('/feed'), srv.url('/feed').replace('127.0.0.1', 'localhost'), srv.url('/feed').replace('127.0.0.1', '[::ffff:127.0.0.1]')];
    const rows = await insertSources(t.db, urls.map((url) => ({ url })), clock.now());
    const outcomes = await refreshDueSources(refreshDeps(t, clock, testConfig({ ALLOW_PRIVATE_SOURCES: 'false' })));
    expect(outcomes.map((o) => o.errorCode)).toEqual(['fetch_blocked_address', 'fetch_blocked_address', 'fetch_blocked_address']);
    for (const r of rows) expect(await findSource(t.db, r.id)).toMatchObject({ lastErrorCode: 'fetch_blocked_address', status: 'active', errorCount: 1 });
    expect(srv.hits.size).toBe(0);
  });
});
