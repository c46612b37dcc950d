// Feed autodiscovery (the RSS Autodiscovery convention, also used for Atom and JSON Feed): an HTML page names
// its feeds in <link rel="alternate" type="application/rss+xml" href="…">. Pure: text in, absolute URLs out.

// Not plain application/json: WordPress advertises its REST API that way, which is no feed.
const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json']);

/** True when a fetched body is an HTML page rather than a feed (by content type, else by its first tag). */
export function looksLikeHtml(text: string, contentType: string | null): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') return true;
  const head = text.slice(0, 2048).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<html[\s>]/.test(head);
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([^\s=/<>"']+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  // Skip the tag name itself.
  const body = tag.replace(/^<\s*link\b/i, '');
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const name = m[1]!.toLowerCase();
    if (!out.has(name)) out.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * The feed URLs an HTML page advertises, in document order, deduplicated, resolved against the page URL
 * (or the page's <base href>). Only http(s) results; `rel` may hold several tokens ("alternate home").
 */
export function discoverFeedLinks(html: string, pageUrl: string): string[] {
  // Comments and scripts may contain markup-looking text that is not part of the page.
  const text = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<script\b[\s\S]*?<\/script\s*>/gi, '');
  let base = pageUrl;
  const baseTag = /<base\b[^>]*>/i.exec(text);
  if (baseTag) {
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(baseTag[0]);
    const value = href ? decodeEntities(href[1] ?? href[2] ?? href[3] ?? '') : '';
    try {
      if (value) base = new URL(value, pageUrl).toString();
    } catch {
      // An invalid <base> is ignored, as browsers do.
    }
  }
  const found: string[] = [];
  for (const m of text.matchAll(/<link\b[^>]*>/gi)) {
    const a = attributes(m[0]);
    const rel = (a.get('rel') ?? '').toLowerCase().split(/\s+/);
    const type = (a.get('type') ?? '').split(';')[0]!.trim().toLowerCase();
    const href = (a.get('href') ?? '').trim();
    if (!rel.includes('alternate') || !FEED_TYPES.has(type) || !href) continue;
    let url: URL;
    try {
      url = new URL(href, base);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    url.hash = '';
    const s = url.toString();
    if (!found.includes(s)) found.push(s);
  }
  return found;
}
