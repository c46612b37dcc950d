// The SSRF guard checks the address the connection uses: the guarded agent resolves a name once, inside the
// connection, and the socket connects to the answer it checked. A resolver that changes its answer between two
// lookups (DNS rebinding) cannot get a checked public answer and then a private one to connect to.
// Every server here is on loopback: 127.0.0.2 stands in for a public host (the guard is told to allow that one
// address), 127.0.0.1 is the private target; other private addresses are only ever answers, never connected to.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { createGuardedAgent, guardedLookup, type ResolvedAddress, type Resolver } from '../../src/reader/address-guard.js';
import { fetchFeed, type FetchOptions } from '../../src/reader/fetch-feed.js';

const PUBLIC_STAND_IN = '127.0.0.2';
const none = { etag: null, lastModified: null };
const opts: FetchOptions = { timeoutMs: 3000, maxBytes: 1_000_000, maxRedirects: 5, userAgent: 'frontera-test', allowPrivate: false };
const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });

interface Server {
  port: number;
  hits: string[];
  close(): Promise<void>;
}
async function listen(host: string, port: number, body: string): Promise<Server> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<rss version="2.0"><channel><title>${body}</title></channel></rss>`);
  });
  await new Promise<void>((r) => server.listen(port, host, r));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Answers each lookup with the next answer in the list (the last one repeats), counting calls. */
function sequence(...answers: ResolvedAddress[][]): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (host: string) => {
    calls.push(host);
    return answers[Math.min(calls.length - 1, answers.length - 1)]!;
  };
  return Object.assign(resolve, { calls });
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'expected the guard to refuse').toBeInstanceOf(AppError);
  return e as AppError;
}

describe('guarded connections (resolve once, connect to the checked address)', () => {
  let target: Server;
  let decoy: Server;
  let url: string;
  beforeAll(async () => {
    // Same port on both addresses: a rebinding name keeps its URL and changes only its address.
    target = await listen('127.0.0.1', 0, 'private');
    decoy = await listen(PUBLIC_STAND_IN, target.port, 'public');
    url = `http://rebind.test:${target.port}/feed`;
  });
  afterAll(async () => {
    await target?.close();
    await decoy?.close();
  });
  beforeEach(() => {
    target.hits.length = 0;
    decoy.hits.length = 0;
  });

  it('public first, private second: the connection uses the first (checked) answer and never the private one', async () => {
    const resolve = sequence([v4(PUBLIC_STAND_IN)], [v4('127.0.0.1')]);
    const dispatcher = createGuardedAgent({ resolve, allow: [PUBLIC_STAND_IN] });
    const r = await fetchFeed(url, none, { ...opts, dispatcher });
    expect(r.kind).toBe('ok');
    expect(Buffer.from((r as { body: Uint8Array }).body).toString()).toContain('public');
    expect(resolve.calls).toEqual(['rebind.test']);
    expect(decoy.hits).toEqual(['/feed']);
    expect(target.hits).toEqual([]);
  });

  it('when the answer the connection gets is private, the connection is refused before any socket reaches it', async () => {
    const resolve = sequence([v4('127.0.0.1')], [v4(PUBLIC_STAND_IN)]);
    const dispatcher = createGuardedAgent({ resolve, allow: [PUBLIC_STAND_IN] });
    const e = await refusal(fetchFeed(url, none, { ...opts, dispatcher }));
    expect({ code: e.code, message: e.message }).toEqual({
      code: 'fetch_blocked_address',
      message: 'rebind.test resolves to 127.0.0.1, a private or local address (set ALLOW_PRIVATE_SOURCES=true to allow)',
    });
    expect(resolve.calls).toEqual(['rebind.test']);
    expect(target.hits).toEqual([]);
    expect(decoy.hits).toEqual([]);
  });

  it('one private address among the answers refuses the name (the socket may try any of them)', async () => {
    const dispatcher = createGuardedAgent({ resolve: sequence([v4(PUBLIC_STAND_IN), v4('10.0.0.5')]), allow: [PUBLIC_STAND_IN] });
    const e = await refusal(fetchFeed(url, none, { ...opts, dispatcher }));
    expect(e.code).toBe('fetch_blocked_address');
    expect(e.message).toContain('10.0.0.5');
    expect(decoy.hits).toEqual([]);
  });

  it.each([
    ['IPv6 loopback', '::1'],
    ['IPv6 unique-local', 'fd00:ec2::254'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv4-mapped loopback, dotted', '::ffff:127.0.0.1'],
    ['IPv4-mapped loopback, hex', '::ffff:7f00:1'],
    ['IPv4-mapped metadata', '::ffff:a9fe:a9fe'],
    ['NAT64 of loopback', '64:ff9b::7f00:1'],
    ['6to4 of a private network', '2002:a00:1::'],
  ])('an AAAA answer on a private range is refused: %s (%s)', async (_what, address) => {
    const dispatcher = createGuardedAgent({ resolve: sequence([v6(address)]) });
    const e = await refusal(fetchFeed(url, none, { ...opts, dispatcher }));
    expect(e.code).toBe('fetch_blocked_address');
    expect(e.message).toBe(`rebind.test resolves to ${address}, a private or local address (set ALLOW_PRIVATE_SOURCES=true to allow)`);
    expect(target.hits).toEqual([]);
  });

  it.each([`[::ffff:7f00:1]`, '[::ffff:127.0.0.1]', '[::1]', '127.0.0.1', '2130706433'])(
    'an IP literal (%s), which the socket does not look up, is checked before connecting',
    async (host) => {
      const resolve = sequence([v4(PUBLIC_STAND_IN)]);
      const e = await refusal(fetchFeed(`http://${host}:${target.port}/feed`, none, { ...opts, dispatcher: createGuardedAgent({ resolve }) }));
      expect(e.code).toBe('fetch_blocked_address');
      expect(resolve.calls).toEqual([]);
      expect(target.hits).toEqual([]);
    },
  );

  it('a failed lookup reads as today: a retryable DNS error naming the host', async () => {
    const resolve: Resolver = async (host) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', syscall: 'getaddrinfo' });
    };
    const e = await refusal(fetchFeed(url, none, { ...opts, dispatcher: createGuardedAgent({ resolve }) }));
    expect({ code: e.code, message: e.message, retryable: e.retryable }).toEqual({
      code: 'fetch_network',
      message: 'DNS lookup failed for rebind.test: ENOTFOUND',
      retryable: true,
    });
  });
});

describe('guardedLookup (the lookup handed to net.connect)', () => {
  const call = (lookup: ReturnType<typeof guardedLookup>, options: { all?: boolean; family?: number }) =>
    new Promise<{ err: Error | null; address: unknown; family?: number }>((resolve) =>
      lookup('dual.test', options as never, (err, address, family) => resolve({ err, address, family })),
    );
  const answers = [v6('2001:db8::10'), v4('203.0.113.10')];

  it('gives every checked address when asked for all (autoSelectFamily), else the first of the wanted family', async () => {
    const lookup = guardedLookup({ resolve: sequence(answers) });
    expect(await call(lookup, { all: true })).toMatchObject({ err: null, address: answers });
    expect(await call(lookup, {})).toMatchObject({ err: null, address: '2001:db8::10', family: 6 });
    expect(await call(lookup, { family: 4 })).toMatchObject({ err: null, address: '203.0.113.10', family: 4 });
    expect(await call(lookup, { family: 6, all: true })).toMatchObject({ err: null, address: [answers[0]] });
  });

  it('resolves once per call and refuses on that same answer', async () => {
    const resolve = sequence(answers, [v4('169.254.169.254')]);
    const lookup = guardedLookup({ resolve });
    expect((await call(lookup, { all: true })).err).toBeNull();
    const second = await call(lookup, { all: true });
    expect(second.err).toMatchObject({ code: 'fetch_blocked_address' });
    expect(resolve.calls).toHaveLength(2);
  });
});
