import dns from 'node:dns/promises';
import net from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { AppError } from '../errors.js';

// SSRF guard: a source URL must not reach loopback, private, link-local or metadata addresses unless configured
// (ALLOW_PRIVATE_SOURCES=true). The check sits inside the connection: the agent's lookup resolves a name once,
// refuses it when any answer is private, and hands the checked answers to the socket, so no second resolution can
// swap in another address (DNS rebinding). Every redirect hop connects through the same agent.

const BLOCKED = new net.BlockList();
for (const [base, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(base, bits, 'ipv4');
}
// BlockList applies the IPv4 rules to IPv4-mapped addresses (::ffff:a.b.c.d) itself.
// fc00::/7 unique-local, fe80::/10 link-local, fec0::/10 site-local (deprecated), ff00::/8 multicast.
for (const [base, bits] of [
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(base, bits, 'ipv6');
}

/** IPv6 prefixes that carry an IPv4 address a stack or gateway will reach, and where that address sits. */
const EMBEDS_V4: Array<{ prefix: net.BlockList; hextet: number }> = [
  // ::a.b.c.d, IPv4-compatible (deprecated, still routed by some stacks); also :: and ::1 (0.0.0.0/8).
  { prefix: subnet('::', 96), hextet: 6 },
  // 64:ff9b::/96 NAT64.
  { prefix: subnet('64:ff9b::', 96), hextet: 6 },
  // 2002::/16 6to4.
  { prefix: subnet('2002::', 16), hextet: 1 },
];

function subnet(base: string, bits: number): net.BlockList {
  const b = new net.BlockList();
  b.addSubnet(base, bits, 'ipv6');
  return b;
}

export function isPrivateAddress(ip: string): boolean {
  const addr = ip.split('%')[0]!;
  const family = net.isIP(addr);
  if (family === 4) return BLOCKED.check(addr, 'ipv4');
  // Not an address we can read: refuse rather than guess.
  if (family !== 6) return true;
  if (BLOCKED.check(addr, 'ipv6')) return true;
  for (const { prefix, hextet } of EMBEDS_V4) {
    if (!prefix.check(addr, 'ipv6')) continue;
    const h = ipv6Hextets(addr);
    if (!h) return true;
    return BLOCKED.check(`${h[hextet]! >> 8}.${h[hextet]! & 255}.${h[hextet + 1]! >> 8}.${h[hextet + 1]! & 255}`, 'ipv4');
  }
  return false;
}

/** The eight 16-bit groups of a valid IPv6 address ("::" and a dotted IPv4 tail expanded). */
function ipv6Hextets(addr: string): number[] | null {
  let text = addr.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(':').map((x) => parseInt(x, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const out = [...left, ...Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
  return out.length === 8 ? out : null;
}

/**
 * A name that did not resolve, worded once: the guard resolves names itself, fetch resolves them when the guard is
 * off (ALLOW_PRIVATE_SOURCES=true), and an operator must read the same code and message whichever path ran.
 */
export function dnsLookupFailed(host: string, code: string, cause: unknown): AppError {
  return new AppError('fetch_network', `DNS lookup failed for ${host}: ${code}`, { retryable: true, cause });
}

function blockedAddress(host: string, address: string): AppError {
  return new AppError(
    'fetch_blocked_address',
    `${host} resolves to ${address}, a private or local address (set ALLOW_PRIVATE_SOURCES=true to allow)`,
  );
}

/**
 * The resolver's error code (ENOTFOUND, EAI_AGAIN offline, …) when `e` is a failed name lookup: a dns.lookup
 * error, or the cause undici gives a failed fetch (the same getaddrinfo error).
 */
export function resolverErrorCode(e: unknown): string | null {
  const err = e as { code?: unknown; syscall?: unknown } | null;
  if (!err || typeof err.code !== 'string') return null;
  if (err.syscall === 'getaddrinfo' || err.syscall === 'queryA' || err.syscall === 'queryAaaa') return err.code;
  return err.code.startsWith('EAI_') || err.code === 'ENOTFOUND' ? err.code : null;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}
/** Every address of a host name (what `dns.lookup(host, { all: true })` answers). */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

const systemResolver: Resolver = (host) => dns.lookup(host, { all: true });

export interface GuardOptions {
  /** Name resolution (default: the system resolver, as fetch would use). */
  resolve?: Resolver;
  /** Exact addresses let through although private (tests serving a "public" host from a loopback address). */
  allow?: readonly string[];
}

/**
 * The host's addresses, resolved once, when none is private; an IP literal is its own answer. A failed lookup is a
 * retryable `fetch_network` error, a private answer `fetch_blocked_address` (one private answer among several
 * refuses the host: the socket may try any of them).
 */
export async function resolvePublicAddresses(hostname: string, opts: GuardOptions = {}): Promise<ResolvedAddress[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const literal = net.isIP(host);
  const addresses = literal
    ? [{ address: host, family: literal }]
    : await (opts.resolve ?? systemResolver)(host).catch((e: unknown) => {
        throw dnsLookupFailed(host, resolverErrorCode(e) ?? (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e)), e);
      });
  const bad = addresses.find((a) => isPrivateAddress(a.address) && !opts.allow?.includes(a.address));
  if (bad) throw blockedAddress(host, bad.address);
  return addresses;
}

/**
 * A `lookup` for net.connect / tls.connect that resolves through the guard and gives the socket exactly the
 * addresses it checked. Node calls it with `all: true` when it races address families (autoSelectFamily).
 */
export function guardedLookup(opts: GuardOptions = {}): net.LookupFunction {
  return (hostname, options, callback) => {
    resolvePublicAddresses(hostname, opts).then(
      (all) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const addresses = family ? all.filter((a) => a.family === family) : all;
        const first = addresses[0];
        if (!first) {
          const e = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname });
          callback(dnsLookupFailed(hostname, 'ENOTFOUND', e), '', 0);
        } else if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (e: Error) => callback(e, '', 0),
    );
  };
}

/**
 * One connection per origin: undici's Agent keeps the dispatcher of every origin it has seen for the life of the
 * process, and its default one (a Pool) holds a 2,048-slot request queue (16 KB) per origin, so a worker fetching
 * N feed hosts kept N × 16 KB alive and in every garbage collection. A Client per origin is a few hundred bytes;
 * the pass and the source checks send one request per host at a time anyway (HostLimiter), and anything else
 * to the same origin queues on its connection.
 */
export const FEED_AGENT_OPTIONS = { connections: 1 } as const;

/**
 * An undici dispatcher whose every connection goes through the guard: names through `guardedLookup`, IP literals
 * (which net.connect does not look up) checked before a socket is opened.
 */
export function createGuardedAgent(opts: GuardOptions = {}): Dispatcher {
  const connect = buildConnector({ lookup: guardedLookup(opts) });
  return new Agent({
    ...FEED_AGENT_OPTIONS,
    connect: (options, callback) => {
      const host = options.hostname;
      if (net.isIP(host)) {
        resolvePublicAddresses(host, opts).then(
          () => connect(options, callback),
          (e: Error) => callback(e, null),
        );
        return;
      }
      connect(options, callback);
    },
  });
}

let shared: Dispatcher | null = null;
/** The process's guarded connection pool (keep-alive connections were checked when they were opened). */
export function guardedAgent(): Dispatcher {
  shared ??= createGuardedAgent();
  return shared;
}
