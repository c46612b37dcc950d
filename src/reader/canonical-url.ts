// Canonical article URLs for dedup. The canonical form is a key, never a link shown to users: it may point
// at a URL that does not exist (https where the site is http-only, "www." dropped).
//
// Host policy: lower-case; fold a leading "www.", "m.", "mobile." or "amp." label (publishers serve the same
// article on these mirrors); keep every other subdomain (news.example.com and example.com can differ).

const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'msclkid', 'yclid', 'twclid', 'ttclid', 'li_fat_id', 'wbraid', 'gbraid',
  'mc_cid', 'mc_eid', '_ga', '_gl', '_hsenc', '_hsmi', 'hsctatracking', 'igshid', 'igsh', 'ref', 'ref_src',
  'ref_url', 'referrer', 'cmpid', 'cmp', 'ocid', 'smid', 'smtyp', 'taid', 'sr_share', 'icid', 'ncid',
  '__twitter_impression', 'at_medium', 'at_campaign', 'at_custom1', 'at_custom2', 'at_custom3', 'at_custom4',
  'mkt_tok', 'oly_anon_id', 'oly_enc_id', 'vero_id', 'wt.mc_id', 'wt_mc_id', 'ito', 'spm', 'share', 'xtor',
  'rss', 'feed', 'feedtype', 'amp', 'outputtype', 'output', 'partner', 'via', 'source', 'src', 'ns_mchannel',
  'ns_source', 'ns_campaign', 'ns_linkname', 'ns_fee', 'guccounter', 'guce_referrer', 'guce_referrer_sig',
]);

// Only dropped when their value says AMP/RSS (output=1 or source=home may select content elsewhere).
const VALUE_GATED: Record<string, RegExp> = {
  amp: /^(|1|true|amp)$/i,
  outputtype: /^amp$/i,
  output: /^(amp|rss)$/i,
  rss: /^(|1|true)$/i,
  feed: /^(|1|true|rss)$/i,
  feedtype: /.*/,
  source: /^(rss|feed|feedburner|twitter|facebook)$/i,
  src: /^(rss|feed|feedburner|twitter|facebook)$/i,
  share: /^(twitter|facebook|email|whatsapp|linkedin|tw|fb)$/i,
  partner: /^(rss|feed|yahoo|msn|newsbreak|apple)$/i,
  via: /^(rss|feed|twitter)$/i,
};

const FOLDED_HOST_PREFIX = /^(www\d?|m|mobile|amp)\./;

/** Resolves `href` against `base`; null when it cannot be parsed. Whitespace around the href is ignored. */
export function resolveUrl(href: string | null | undefined, base?: string | null): string | null {
  if (href == null) return null;
  const h = href.trim();
  if (!h) return base ? safeUrl(base) : null;
  try {
    return base ? new URL(h, base).href : new URL(h).href;
  } catch {
    return null;
  }
}

function safeUrl(u: string): string | null {
  try {
    return new URL(u).href;
  } catch {
    return null;
  }
}

export function canonicalizeUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  // WHATWG URL already lower-cases scheme/host, drops default ports and normalizes percent-encoding case.
  // Setting https drops an explicit :443 too (it becomes the default port). Every setter re-parses the whole
  // URL, and most parts are already canonical: only those that change are set.
  if (u.protocol !== 'https:') u.protocol = 'https:';
  if (u.username) u.username = '';
  if (u.password) u.password = '';
  // hash and search read '' for an empty fragment or query too ("…?#"): a delimiter in href tells them apart.
  if (u.href.includes('#')) u.hash = '';
  const host = foldHost(u.hostname.replace(/\.$/, ''));
  if (host !== u.hostname) u.hostname = host;
  const path = canonicalPath(u.pathname);
  if (path !== u.pathname) u.pathname = path;
  const query = u.search === '' ? '' : canonicalQuery(u.searchParams);
  if (query !== u.search || (query === '' && u.href.includes('?'))) u.search = query;
  return u.href;
}

/**
 * Folds mirror prefixes until none is left ("m.www.example.com" → "example.com"): folding one label per call
 * made canonicalizeUrl non-idempotent, so a stored canonical URL re-canonicalized to another dedup key. A
 * prefix is kept when removing it would leave a bare TLD.
 */
function foldHost(host: string): string {
  let h = host;
  for (;;) {
    const m = FOLDED_HOST_PREFIX.exec(h);
    if (!m || !h.slice(m[0].length).includes('.')) return h;
    h = h.slice(m[0].length);
  }
}

function canonicalPath(path: string): string {
  // The rules feed each other ("/x.amp.html/index.html" → "/x.amp.html" → "/x.html"): apply them until nothing
  // changes, so canonicalizing a canonical URL is a no-op. Each round only shortens the path; the bound is a
  // guard against a hostile path built to need many rounds.
  let p = path;
  for (let round = 0; round < 16; round++) {
    const next = canonicalPathOnce(p);
    if (next === p) break;
    p = next;
  }
  return p;
}

function canonicalPathOnce(path: string): string {
  let p = path
    .replace(/\/amp(?=\/|$)/gi, '') // /amp/ segment and trailing /amp
    .replace(/\.amp(\.html?)$/i, '$1') // article.amp.html
    .replace(/\/{2,}/g, '/')
    .replace(/\/(index|default)\.(html?|php|aspx?)$/i, '/');
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p || '/';
}

function canonicalQuery(params: URLSearchParams): string {
  const kept: Array<[string, string]> = [];
  for (const [k, v] of params) {
    const key = k.toLowerCase();
    if (key.startsWith('utm_') || key.startsWith('pk_') || key.startsWith('mtm_') || key.startsWith('hmb_')) continue;
    if (TRACKING_PARAMS.has(key)) {
      const gate = VALUE_GATED[key];
      if (!gate || gate.test(v)) continue;
    }
    kept.push([k, v]);
  }
  if (kept.length === 0) return '';
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return '?' + new URLSearchParams(kept).toString();
}
