import { isIP } from 'node:net';

// Outlet identity of a feed: two section feeds of one newspaper are one outlet when a story's coverage is
// counted. The registrable domain ("eluniversal.com.mx" for "www.eluniversal.com.mx") stands for the outlet.
// A short list of two-level public suffixes covers the feeds this beat follows; a host under a suffix not
// listed falls back to its last two labels, which at worst splits one outlet in two (the old count).

const TWO_LEVEL_SUFFIXES = new Set([
  'com.mx', 'gob.mx', 'org.mx', 'edu.mx', 'net.mx',
  'co.uk', 'org.uk', 'gov.uk', 'ac.uk',
  'com.au', 'net.au', 'org.au', 'gov.au',
  'com.br', 'gov.br', 'com.ar', 'gob.ar', 'com.co', 'gov.co', 'com.gt', 'gob.gt', 'com.sv', 'gob.sv',
  'com.hn', 'gob.hn', 'com.pe', 'gob.pe', 'com.ve', 'gob.ve', 'com.ec', 'gob.ec', 'co.cr', 'go.cr',
  'com.es', 'gob.es', 'co.nz', 'co.jp', 'co.in', 'co.za', 'com.cn', 'com.tr',
]);

/** The registrable domain of a host name; IP addresses, localhost and single labels are returned as they are. */
export function registrableDomain(host: string): string {
  let h = host.trim().toLowerCase().replace(/\.$/, '');
  if (h.startsWith('[') && h.endsWith(']')) return h;
  if (isIP(h) || !h.includes('.')) return h;
  const labels = h.split('.');
  const n = TWO_LEVEL_SUFFIXES.has(labels.slice(-2).join('.')) ? 3 : 2;
  h = labels.slice(-n).join('.');
  return h;
}

/**
 * The outlet domain of a feed URL (null: the source stands for itself). A Google News search feed restricted to one site
 * (news.google.com/rss/search?q=site:cbp.gov+…) stands in for that site: its outlet is the site's.
 */
export function outletDomainOfFeed(feedUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(feedUrl);
  } catch {
    return null;
  }
  const host = u.hostname.toLowerCase();
  if (host === 'news.google.com') {
    const m = (u.searchParams.get('q') ?? '').match(/(?:^|\s)site:([^\s/]+)/i);
    if (m) {
      const site = m[1]!.replace(/^https?:\/\//i, '');
      return registrableDomain(site);
    }
    // Any other Google News feed gathers many outlets: it is its own.
    return null;
  }
  // An address or a single-label name (localhost, an intranet host) says nothing about the outlet: several
  // unrelated feeds may be served from one. Such a source is its own outlet.
  if (host.startsWith('[') || isIP(host) || !host.includes('.')) return null;
  const domain = registrableDomain(host);
  // Feed proxies serve many unrelated outlets from one domain: such a source is its own outlet.
  if (FEED_PROXIES.has(domain) || FEED_PROXIES.has(host)) return null;
  // Blog platforms give each outlet a subdomain: the outlet is the whole host.
  if (HOSTED_PLATFORMS.has(domain)) return host.replace(/^www\./, '');
  return domain;
}

const FEED_PROXIES = new Set(['feedburner.com', 'feedproxy.google.com', 'rss.app', 'fetchrss.com', 'politepol.com', 'feed43.com', 'rssing.com']);
const HOSTED_PLATFORMS = new Set(['substack.com', 'blogspot.com', 'wordpress.com', 'tumblr.com', 'github.io', 'ghost.io', 'medium.com', 'beehiiv.com']);
