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
  const v6 = ip.toLowerCase();
  if (v6 === '::' || v6 === '::1') return true;
  const mapped = v6.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped) return isPrivateAddress(mapped[1]!);
  // fc00::/7 unique-local, fe80::/10 link-local, ff00::/8 multicast
  return /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('ff');
}

export async function assertPublicUrl(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host)
    ? [host]
    : (await dns.lookup(host, { all: true }).catch((e) => {
        throw new AppError('fetch_network', `DNS lookup failed for ${host}: ${e.code ?? e.message}`, {
          retryable: true,
          cause: e,
        });
      })).map((a) => a.address);
  const bad = addresses.find(isPrivateAddress);
  if (bad) {
    throw new AppError(
      'fetch_blocked_address',
      `${host} resolves to ${bad}, a private or local address (set ALLOW_PRIVATE_SOURCES=true to allow)`,
    );
  }
}
