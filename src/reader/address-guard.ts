import dns from 'node:dns/promises';
import net from 'node:net';
import { AppError } from '../errors.js';

// SSRF guard: a source URL must not reach loopback, private, link-local or metadata
// addresses unless configured. Checked after DNS resolution and again on every redirect hop.

const BLOCKED_V4: Array<[string, number]> = [
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
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
}

export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) {
    const n = v4ToInt(ip);
    return BLOCKED_V4.some(([base, bits]) => {
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      return (n & mask) === (v4ToInt(base) & mask);
    });
  }
  const h = ipv6Hextets(ip);
  // Not an address we can read: refuse rather than guess.
  if (!h) return true;
  const embeddedV4 = (hi: number, lo: number) => `${h[hi]! >> 8}.${h[hi]! & 255}.${h[lo]! >> 8}.${h[lo]! & 255}`;
  const zeros = (from: number, to: number) => h.slice(from, to).every((x) => x === 0);
  // ::/128 unspecified, ::1 loopback, and ::a.b.c.d (IPv4-compatible, deprecated but still routed by some stacks).
  if (zeros(0, 6)) return h[6] === 0 && h[7]! <= 1 ? true : isPrivateAddress(embeddedV4(6, 7));
  // ::ffff:a.b.c.d, IPv4-mapped. WHATWG URL serializes "[::ffff:127.0.0.1]" as "[::ffff:7f00:1]", so the
  // dotted form cannot be relied on: read the hextets.
  if (zeros(0, 5) && h[5] === 0xffff) return isPrivateAddress(embeddedV4(6, 7));
  // 64:ff9b::/96 NAT64 and 2002::/16 6to4 carry an IPv4 address that the gateway will reach.
  if (h[0] === 0x64 && h[1] === 0xff9b && zeros(2, 6)) return isPrivateAddress(embeddedV4(6, 7));
  if (h[0] === 0x2002) return isPrivateAddress(embeddedV4(1, 2));
  const first = h[0]!;
  // fc00::/7 unique-local, fe80::/10 link-local, fec0::/10 site-local (deprecated), ff00::/8 multicast.
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xffc0) === 0xfec0 || (first & 0xff00) === 0xff00;
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, "::" and a dotted IPv4 tail expanded). */
function ipv6Hextets(ip: string): number[] | null {
  const addr = ip.split('%')[0]!;
  if (!net.isIPv6(addr)) return null;
  let text = addr.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = v4ToInt(v4[1]!);
    text = text.slice(0, v4.index) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(':').map((x) => parseInt(x, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const out = [...left, ...Array<number>(Math.max(0, fill)).fill(0), ...right];
  return out.length === 8 && out.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff) ? out : null;
}

/**
 * A name that did not resolve, worded once: the guard resolves names itself, fetch resolves them when the guard is
 * off (ALLOW_PRIVATE_SOURCES=true), and an operator must read the same code and message whichever path ran.
 */
export function dnsLookupFailed(host: string, code: string, cause: unknown): AppError {
  return new AppError('fetch_network', `DNS lookup failed for ${host}: ${code}`, { retryable: true, cause });
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

export async function assertPublicUrl(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host)
    ? [host]
    : (await dns.lookup(host, { all: true }).catch((e: unknown) => {
        throw dnsLookupFailed(host, resolverErrorCode(e) ?? (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e)), e);
      })).map((a) => a.address);
  const bad = addresses.find(isPrivateAddress);
  if (bad) {
    throw new AppError(
      'fetch_blocked_address',
      `${host} resolves to ${bad}, a private or local address (set ALLOW_PRIVATE_SOURCES=true to allow)`,
    );
  }
}
