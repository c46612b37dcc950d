// Text → feed metadata + raw items. RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 go through rss-parser's parseString
// (strict XML); JSON Feed is parsed directly. rss-parser's own item mapping is used where it is right; what it
// drops (xml:base, Atom link rels, content types, several enclosures, categories in Atom) is read from the
// xml2js tree it builds, captured by overriding its build* methods so the XML is parsed only once.
import { createRequire } from 'node:module';
import Parser from 'rss-parser';
import { AppError } from '../errors.js';
import type { FeedMeta } from '../model/types.js';
import { resolveUrl } from './canonical-url.js';
import { normalizeTitle } from './normalize-item.js';
import { HTML_ENTITIES } from './html-entities.js';
import { parseJsonFeed } from './json-feed.js';
import type { ParsedFeed, RawEnclosure, RawItem, TextKind } from './raw-feed.js';
import { type XNode, attr, children, first, textOf, xhtmlInner } from './xml-node.js';

const RAW = Symbol('xml2js-root');
type Root = Record<string, XNode[] | XNode>;
type BuiltFeed = Parser.Output<Record<string, unknown>> & { [RAW]?: Root };

// rss-parser's build* methods receive the xml2js root; keeping it on the result lets us read what rss-parser
// drops without a second parse. Attached per result (not on the instance) so concurrent parses cannot mix.
class CapturingParser extends Parser {}

// rss-parser fills item.contentSnippet through /<(?:.|\n)*?>/, which rescans to the end of the text from every
// unclosed "<": 80 KB of "<a" took 7.5 s, an 8 MB body would block the event loop for days. Nothing here reads
// the snippet (htmlToText makes our own), so the shared utils module (the one parser.js calls) skips it.
(createRequire(import.meta.url)('rss-parser/lib/utils.js') as { getSnippet: (s: string) => string }).getSnippet = () => '';
for (const method of ['buildAtomFeed', 'buildRSS0_9', 'buildRSS1', 'buildRSS2'] as const) {
  const proto = CapturingParser.prototype as unknown as Record<string, (x: Root) => BuiltFeed>;
  const original = (Parser.prototype as unknown as Record<string, (x: Root) => BuiltFeed>)[method];
  proto[method] = function (this: unknown, xmlObj: Root) {
    const feed = original.call(this, ensureChannel(xmlObj));
    Object.defineProperty(feed, RAW, { value: xmlObj, enumerable: false });
    return feed;
  };
}

/** rss-parser dereferences channel[0] unguarded: give channel-less documents an empty one (or the stray items). */
function ensureChannel(root: Root): Root {
  for (const key of ['rss', 'rdf:RDF']) {
    const node = root[key];
    if (node === undefined) continue;
    const obj = (typeof node === 'object' && node !== null ? node : {}) as Record<string, unknown>;
    if (!Array.isArray(obj.channel)) obj.channel = [key === 'rss' && Array.isArray(obj.item) ? { item: obj.item } : {}];
    else if (typeof obj.channel[0] !== 'object') obj.channel[0] = {};
    root[key] = obj as XNode;
  }
  return root;
}

const PARSER_OPTIONS = {
  defaultRSS: 2, // `<rss>` without a version attribute is common (UOL) and means 2.0 in practice
  customFields: {
    feed: ['sy:updatePeriod', 'sy:updateFrequency', 'ttl', 'language', 'dc:language'],
    item: [
      'content:encoded',
      'dc:creator',
      'dc:date',
      ['media:content', 'media:content', { keepArray: true }],
      ['media:thumbnail', 'media:thumbnail', { keepArray: true }],
      'feedburner:origLink',
      ['atom:link', 'atom:link', { keepArray: true }],
    ],
  },
} as Parser.ParserOptions<Record<string, unknown>, Record<string, unknown>>;

/**
 * A fresh parser per document. rss-parser keeps one xml2js.Parser per instance, and xml2js's error path resets
 * it while the old sax parser is still running over the rest of the text: a document with several errors
 * leaves the shared parser flagged as errored/ended, and a later parse then never calls back — its promise
 * hangs forever, and with it the refresh pass (fuzzing found it within ten documents). Construction is cheap.
 */
function freshParser(): CapturingParser {
  return new CapturingParser(PARSER_OPTIONS);
}

export async function parseFeed(text: string, feedUrl: string): Promise<ParsedFeed> {
  const trimmed = text.trimStart();
  if (trimmed.length === 0) throw new AppError('parse_empty', 'feed body is empty');
  if (trimmed[0] === '{' || trimmed[0] === '[') return parseJsonFeed(trimmed);
  if (looksLikeHtml(trimmed)) throw new AppError('parse_not_a_feed', 'document is an HTML page, not a feed');
  if (trimmed[0] !== '<') throw new AppError('parse_not_a_feed', 'document is neither XML nor JSON');
  let built: BuiltFeed;
  try {
    built = await parseXml(prepareXml(trimmed));
  } catch (cause) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    if (/not recognized as RSS/i.test(msg)) throw new AppError('parse_not_a_feed', 'XML is not RSS, RDF or Atom', { cause });
    throw new AppError('parse_failed', `invalid feed XML: ${msg.split('\n')[0]}`, { cause });
  }
  const root = built[RAW];
  if (!root) throw new AppError('parse_failed', 'parser returned no document');
  return root.feed ? buildAtom(built, root, feedUrl) : buildRss(built, root, feedUrl);
}

async function parseXml(xml: string): Promise<BuiltFeed> {
  try {
    return (await freshParser().parseString(xml)) as BuiltFeed;
  } catch (e) {
    // Bare "&" (unescaped query strings, "AT&T") is the commonest well-formedness error in real feeds. The
    // repair runs only after a failure so valid documents (and CDATA, where "&" is literal) are untouched.
    if (!(e instanceof Error) || !/entity/i.test(e.message)) throw e;
    return (await freshParser().parseString(escapeBareAmpersands(xml))) as BuiltFeed;
  }
}

// Named references other than XML's five are undefined here (HTML ones were made numeric before the first try,
// and DTD-declared ones are never expanded): escaped, they stay as literal text instead of failing the feed.
const BARE_AMP = /&(?!(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos);)/g;

function escapeBareAmpersands(xml: string): string {
  // CDATA sections by indexOf, not by a lazy regex: /<!\[CDATA\[[\s\S]*?\]\]>/ rescans to the end from every
  // unterminated "<![CDATA[" (quadratic: 400 KB took 2.6 s).
  let out = '';
  let at = 0;
  while (at < xml.length) {
    const open = xml.indexOf('<![CDATA[', at);
    if (open < 0) break;
    const close = xml.indexOf(']]>', open + 9);
    if (close < 0) break;
    out += xml.slice(at, open).replace(BARE_AMP, '&amp;') + xml.slice(open, close + 3);
    at = close + 3;
  }
  return out + xml.slice(at).replace(BARE_AMP, '&amp;');
}

function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 2048).toLowerCase();
  if (!/<!doctype html|<html[\s>]/.test(head)) return false;
  return !/<(rss|feed|rdf:rdf)[\s>]/.test(head);
}

// Elements whose content may carry unescaped (X)HTML. xml2js splits mixed content into separate text and
// child keys and loses word order ("a <b>c</b> d" → "a  d" + b:["c"]), so such markup is escaped into text
// before parsing and handled as HTML afterwards.
const MARKUP_HOLDERS = /<!--|<!\[CDATA\[|<((?:[A-Za-z_][\w.-]*:)?(?:title|content|summary|subtitle|tagline|description|info|copyright|rights|body|encoded))(?=[\s>/])/g;

/** Escapes inline markup inside text elements and rewrites HTML named entities (invalid in XML without a DTD). */
export function prepareXml(xml: string): string {
  return escapeInlineMarkup(numericEntities(xml));
}

function escapeInlineMarkup(xml: string): string {
  let out = '';
  let last = 0;
  const closeAfter = closingTagIndex(xml);
  MARKUP_HOLDERS.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MARKUP_HOLDERS.exec(xml)) !== null) {
    if (m[1] === undefined) {
      // Comments and CDATA sections are opaque: jump over them.
      const end = xml.indexOf(m[0] === '<!--' ? '-->' : ']]>', m.index + m[0].length);
      if (end < 0) break;
      MARKUP_HOLDERS.lastIndex = end + 3;
      continue;
    }
    const openEnd = xml.indexOf('>', m.index);
    if (openEnd < 0) break;
    // Resume after this start tag whatever happens next: rescanning from each of many unclosed "<title x"
    // would make a hostile document quadratic (minutes of blocked event loop for a few hundred KB).
    MARKUP_HOLDERS.lastIndex = openEnd + 1;
    if (xml.charCodeAt(openEnd - 1) === 0x2f /* "/>" */) continue;
    const close = closeAfter(m[1], openEnd);
    if (close < 0) continue;
    const inner = xml.slice(openEnd + 1, close);
    MARKUP_HOLDERS.lastIndex = close;
    if (inner.indexOf('<') < 0 || inner.indexOf('<![CDATA[') >= 0) continue;
    // Escape "&" too: the inner text is XML source, and "&lt;blink&gt;" in it must stay an escaped "<blink>".
    out += xml.slice(last, openEnd + 1) + inner.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    last = close;
  }
  return last === 0 ? xml : out + xml.slice(last);
}

const MARKUP_CLOSERS = /<\/((?:[A-Za-z_][\w.-]*:)?(?:title|content|summary|subtitle|tagline|description|info|copyright|rights|body|encoded))>/g;

/**
 * `closeAfter(name, from)`: index of the first "</name>" at or after `from`, as xml.indexOf would find it, from
 * one linear pre-scan. Calls must come with non-decreasing `from` (the caller walks the document forward), so
 * each name's cursor only moves forward: linear overall, where an indexOf per unclosed tag was quadratic.
 */
function closingTagIndex(xml: string): (name: string, from: number) => number {
  const positions = new Map<string, number[]>();
  const cursor = new Map<string, number>();
  let scanned = false;
  return (name, from) => {
    if (!scanned) {
      scanned = true;
      for (const c of xml.matchAll(MARKUP_CLOSERS)) {
        const list = positions.get(c[1]!);
        if (list) list.push(c.index);
        else positions.set(c[1]!, [c.index]);
      }
    }
    const list = positions.get(name);
    if (!list) return -1;
    let i = cursor.get(name) ?? 0;
    while (i < list.length && list[i]! < from) i++;
    cursor.set(name, i);
    return i < list.length ? list[i]! : -1;
  };
}

// Named references other than XML's five. Most feeds use only those (escaped markup is "&lt;p&gt;" and
// "&amp;"): one test then spares a replace that would copy the whole document to change nothing.
const NON_XML_NAMED = /&(?!(?:amp|lt|gt|quot|apos);)([A-Za-z][A-Za-z0-9]{1,31});/g;

function numericEntities(xml: string): string {
  if (xml.search(NON_XML_NAMED) < 0) return xml;
  return xml.replace(NON_XML_NAMED, (m, name: string) => {
    const cp = HTML_ENTITIES[name];
    return cp === undefined ? m : `&#${cp};`;
  });
}

// ---------- RSS 0.9x / 1.0 / 2.0 ----------

function buildRss(built: BuiltFeed, root: Root, feedUrl: string): ParsedFeed {
  const rdf = root['rdf:RDF'] as XNode | undefined;
  const rss = root.rss as XNode | undefined;
  const container = (rdf ?? rss) as XNode;
  const channel = first(container, 'channel');
  const rawItems = rdf ? children(rdf, 'item') : children(channel, 'item');
  const feedBase = xmlBase(channel, xmlBase(container, null));
  const meta: FeedMeta = {
    title: plainTitle(first(channel, 'title') ?? first(channel, 'dc:title')),
    link: resolveUrl(textOf(first(channel, 'link')) ?? atomAlternate(channel), feedBase ?? feedUrl),
    language: langTag(textOf(first(channel, 'language')) ?? textOf(first(channel, 'dc:language')) ?? attr(container, 'xml:lang')),
    ttlMinutes: positiveInt(textOf(first(channel, 'ttl'))),
    updateIntervalMinutes: syndicationInterval(channel),
  };
  const items = rawItems.map((node, i) => rssItem(node, built.items[i] as Record<string, unknown>, feedBase));
  return { meta, items };
}

function rssItem(node: XNode, parsed: Record<string, unknown> | undefined, feedBase: string | null): RawItem {
  const base = xmlBase(node, feedBase);
  const p = parsed ?? {};
  const guidNode = first(node, 'guid');
  const description = first(node, 'description') ?? first(node, 'dc:description') ?? first(node, 'itunes:summary');
  const encoded =
    first(node, 'content:encoded') ?? first(node, 'xhtml:body') ?? first(node, 'body') ?? first(node, 'fullitem') ??
    first(node, 'atom:content');
  const link = textOf(first(node, 'link')) ?? atomAlternate(node) ?? permalinkGuid(guidNode) ?? attr(node, 'rdf:about');
  return {
    format: 'rss',
    guid: textOf(guidNode) ?? attr(node, 'rdf:about'),
    title: textOf(first(node, 'title') ?? first(node, 'dc:title') ?? first(node, 'itunes:title') ?? first(node, 'media:title')),
    titleKind: 'html',
    link,
    origLink: textOf(first(node, 'feedburner:origLink')),
    baseUrl: base,
    published:
      textOf(first(node, 'pubDate')) ?? textOf(first(node, 'dc:date')) ?? textOf(first(node, 'dcterms:issued')) ??
      textOf(first(node, 'atom:published')),
    updated: textOf(first(node, 'dcterms:modified')) ?? textOf(first(node, 'atom:updated')),
    author:
      textOf(first(node, 'dc:creator')) ?? textOf(first(node, 'author')) ?? textOf(first(node, 'dc:author')) ??
      textOf(first(node, 'itunes:author')) ?? textOf(first(first(node, 'atom:author'), 'atom:name')) ??
      (typeof p.creator === 'string' ? p.creator : null),
    categories: rssCategories(node),
    summary: textOf(description),
    summaryKind: 'html',
    summaryBase: xmlBase(description, base),
    content: encoded === undefined ? null : textOf(encoded),
    contentKind: 'html',
    contentBase: xmlBase(encoded, base),
    enclosures: rssEnclosures(node),
    language: textOf(first(node, 'dc:language')) ?? attr(node, 'xml:lang'),
  };
}

function rssCategories(node: XNode): string[] {
  const plain = [...children(node, 'category'), ...children(node, 'dc:subject')].map(textOf);
  // iTunes categories nest (<itunes:category text="Tech"><itunes:category text="Gadgets"/>): flatten in order.
  const itunes = children(node, 'itunes:category').flatMap((c) => [attr(c, 'text'), ...children(c, 'itunes:category').map((s) => attr(s, 'text'))]);
  return [...plain, ...itunes].filter(nonEmpty);
}

/** RSS 2.0: a guid is the permalink unless isPermaLink="false". */
function permalinkGuid(guid: XNode | undefined): string | null {
  if (guid === undefined || attr(guid, 'isPermaLink')?.toLowerCase() === 'false') return null;
  const v = textOf(guid);
  return v && /^https?:\/\//i.test(v.trim()) ? v : null;
}

function rssEnclosures(node: XNode): RawEnclosure[] {
  const out: RawEnclosure[] = [];
  for (const e of children(node, 'enclosure')) pushEnclosure(out, attr(e, 'url'), attr(e, 'type'), attr(e, 'length'));
  for (const m of children(node, 'media:content')) pushEnclosure(out, attr(m, 'url'), attr(m, 'type'), attr(m, 'fileSize'));
  for (const g of children(node, 'media:group')) {
    for (const m of children(g, 'media:content')) pushEnclosure(out, attr(m, 'url'), attr(m, 'type'), attr(m, 'fileSize'));
  }
  for (const l of [...children(node, 'atom:link'), ...children(node, 'link')]) {
    if (attr(l, 'rel') === 'enclosure') pushEnclosure(out, attr(l, 'href'), attr(l, 'type'), attr(l, 'length'));
  }
  return out;
}

function pushEnclosure(out: RawEnclosure[], url: string | null, type: string | null, length: string | null): void {
  if (!url || !url.trim() || out.some((e) => e.url === url.trim())) return;
  out.push({ url: url.trim(), type: type?.trim() || null, length: positiveInt(length) });
}

// ---------- Atom 0.3 / 1.0 ----------

function buildAtom(_built: BuiltFeed, root: Root, feedUrl: string): ParsedFeed {
  const feed = root.feed as XNode;
  const feedBase = xmlBase(feed, null);
  const meta: FeedMeta = {
    title: plainTitle(first(feed, 'title'), atomKind(first(feed, 'title'))),
    link: resolveUrl(atomAlternate(feed), feedBase ?? feedUrl),
    language: langTag(attr(feed, 'xml:lang')),
    ttlMinutes: null,
    updateIntervalMinutes: syndicationInterval(feed),
  };
  const lang = attr(feed, 'xml:lang');
  return { meta, items: children(feed, 'entry').map((e) => atomEntry(e, feedBase, lang)) };
}

function atomEntry(entry: XNode, feedBase: string | null, feedLang: string | null): RawItem {
  const base = xmlBase(entry, feedBase);
  const titleNode = first(entry, 'title');
  const summaryNode = first(entry, 'summary');
  const contentNode = first(entry, 'content');
  const link = atomLink(entry, 'alternate');
  const author = first(entry, 'author');
  return {
    format: 'atom',
    guid: textOf(first(entry, 'id')),
    title: atomText(titleNode),
    titleKind: atomKind(titleNode),
    link: link ? resolveUrl(link.href, xmlBase(link.node, base)) ?? link.href : null,
    origLink: textOf(first(entry, 'feedburner:origLink')),
    baseUrl: base,
    published: textOf(first(entry, 'published')) ?? textOf(first(entry, 'issued')) ?? textOf(first(entry, 'created')),
    updated: textOf(first(entry, 'updated')) ?? textOf(first(entry, 'modified')),
    author: textOf(first(author, 'name')) ?? textOf(first(author, 'email')) ?? textOf(first(entry, 'dc:creator')),
    categories: children(entry, 'category').map((c) => attr(c, 'term') ?? attr(c, 'label') ?? textOf(c)).filter(nonEmpty),
    summary: atomText(summaryNode),
    summaryKind: atomKind(summaryNode),
    summaryBase: xmlBase(summaryNode, base),
    content: atomText(contentNode),
    contentKind: atomKind(contentNode),
    contentBase: xmlBase(contentNode, base),
    enclosures: atomEnclosures(entry),
    language: attr(entry, 'xml:lang') ?? feedLang,
  };
}

/** Atom text construct value; base64 (Atom 0.3 mode="base64") decoded, XHTML wrapper div removed. */
function atomText(node: XNode | undefined): string | null {
  if (node === undefined) return null;
  const v = textOf(node);
  if (v === null) return null;
  if (isBase64(node)) return Buffer.from(v.trim(), 'base64').toString('utf8');
  return attr(node, 'type') === 'xhtml' ? xhtmlInner(v) : v;
}

/** Atom 0.3 mode="base64", or Atom 1.0 content whose type is a non-text, non-XML MIME type (RFC 4287 §4.1.3.3). */
function isBase64(node: XNode): boolean {
  if (attr(node, 'mode') === 'base64') return true;
  const type = attr(node, 'type')?.toLowerCase();
  return !!type && type.includes('/') && !type.startsWith('text/') && !/[/+]xml$/.test(type) && !type.includes('html');
}

function atomKind(node: XNode | undefined): TextKind {
  const type = (attr(node, 'type') ?? 'text').toLowerCase();
  const mode = attr(node, 'mode');
  if (node !== undefined && isBase64(node)) return 'html';
  if (type === 'html' || type === 'xhtml' || type.includes('html') || mode === 'escaped') return 'html';
  return 'text';
}

function atomLink(node: XNode, rel: string): { href: string; node: XNode } | null {
  const links = children(node, 'link');
  const match = links.find((l) => (attr(l, 'rel') ?? 'alternate') === rel && attr(l, 'href'));
  const chosen = match ?? (rel === 'alternate' ? links.find((l) => attr(l, 'href') && !attr(l, 'rel')) : undefined);
  return chosen ? { href: attr(chosen, 'href')!, node: chosen } : null;
}

function atomAlternate(node: XNode | undefined): string | null {
  if (node === undefined) return null;
  const own = atomLink(node, 'alternate')?.href;
  if (own) return own;
  const al = children(node, 'atom:link').find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate');
  return al ? attr(al, 'href') : null;
}

function atomEnclosures(entry: XNode): RawEnclosure[] {
  const out: RawEnclosure[] = [];
  for (const l of children(entry, 'link')) {
    if (attr(l, 'rel') === 'enclosure') pushEnclosure(out, attr(l, 'href'), attr(l, 'type'), attr(l, 'length'));
  }
  for (const m of children(entry, 'media:content')) pushEnclosure(out, attr(m, 'url'), attr(m, 'type'), attr(m, 'fileSize'));
  for (const g of children(entry, 'media:group')) {
    for (const m of children(g, 'media:content')) pushEnclosure(out, attr(m, 'url'), attr(m, 'type'), attr(m, 'fileSize'));
  }
  return out;
}

// ---------- shared ----------

function xmlBase(node: XNode | undefined, parentBase: string | null): string | null {
  const b = attr(node, 'xml:base');
  if (!b) return parentBase;
  return resolveUrl(b, parentBase ?? undefined) ?? parentBase;
}

function plainTitle(node: XNode | undefined, kind: TextKind = 'html'): string | null {
  const v = node === undefined ? null : atomText(node);
  return v === null ? null : normalizeTitle(v, kind) || null;
}

const PERIOD_MINUTES: Record<string, number> = { hourly: 60, daily: 1440, weekly: 10080, monthly: 43200, yearly: 525600 };

function syndicationInterval(channel: XNode | undefined): number | null {
  const period = textOf(first(channel, 'sy:updatePeriod'))?.trim().toLowerCase();
  if (!period || !(period in PERIOD_MINUTES)) return null;
  const freq = positiveInt(textOf(first(channel, 'sy:updateFrequency'))) ?? 1;
  return Math.max(1, Math.round(PERIOD_MINUTES[period] / freq));
}

/** BCP 47 uses "-"; feeds write "en_US" as often as "en-US". */
function langTag(lang: string | null): string | null {
  const t = lang?.trim().replace(/_/g, '-');
  return t || null;
}

function positiveInt(s: string | null | undefined): number | null {
  if (!s) return null;
  const n = Number.parseInt(s.trim(), 10);
  return Number.isFinite(n) && n > 0 ? n : null;
}

function nonEmpty(s: string | null): s is string {
  return s !== null && s.trim() !== '';
}
