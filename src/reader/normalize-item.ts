// RawItem → NormalizedItem: plain-text title, sanitized HTML + text summary, absolute links, UTC dates,
// detected language. Pure: the clock comes in through ctx.now.
import type { Enclosure, NormalizedItem } from '../model/types.js';
import { canonicalizeUrl, resolveUrl } from './canonical-url.js';
import { parseFeedDate } from './dates.js';
import { detectLanguage } from './language.js';
import type { RawItem, TextKind } from './raw-feed.js';
import { collapse, decodeHtmlEntities, htmlToText, sanitizeFeedHtml } from './sanitize.js';

export interface NormalizeContext {
  feedUrl: string;
  feedLink: string | null;
  feedLanguage: string | null;
  now: Date;
}

/** Publishers' clocks drift; beyond this a "future" date is an error (or an embargo trick), not skew. */
const FUTURE_TOLERANCE_MS = 10 * 60_000;

export function normalizeItem(raw: RawItem, ctx: NormalizeContext): NormalizedItem {
  // Without xml:base, relative RSS links are relative to the site (<channel><link>): feeds are often served
  // from another host (feeds.example.com, FeedBurner). Atom has no such convention: use the document URL.
  const siteBase = raw.format === 'rss' ? httpOrNull(ctx.feedLink) : null;
  const base = raw.baseUrl ?? siteBase ?? httpOrNull(ctx.feedUrl) ?? ctx.feedLink;
  const url = itemUrl(raw, base);
  const title = normalizeTitle(raw.title, raw.titleKind);
  const contentHtml = raw.content ? toSafeHtml(raw.content, raw.contentKind, raw.contentBase ?? base) : null;
  // Like most readers: with no summary, the content doubles as one.
  const summaryHtml = raw.summary ? toSafeHtml(raw.summary, raw.summaryKind, raw.summaryBase ?? base) : (contentHtml ?? '');
  const summaryText = htmlToText(summaryHtml);
  const { publishedAt, fromFeed } = publicationDate(raw, ctx.now);
  return {
    guid: raw.guid?.trim() || null,
    url,
    canonicalUrl: url ? canonicalizeUrl(url) : null,
    title,
    summaryHtml,
    summaryText,
    contentHtml: contentHtml || null,
    author: normalizeAuthor(raw.author),
    categories: uniqueTrimmed(raw.categories.map((c) => decodeHtmlEntities(c))),
    enclosures: normalizeEnclosures(raw, base),
    publishedAt,
    publishedAtFromFeed: fromFeed,
    lang: detectLanguage(`${title} ${summaryText.slice(0, 600)}`) ?? twoLetter(raw.language) ?? twoLetter(ctx.feedLanguage),
  };
}

function itemUrl(raw: RawItem, base: string | null): string | null {
  // feedburner:origLink is the publisher's URL; <link> is a feedproxy redirect that breaks dedup.
  const orig = httpOrNull(resolveUrl(raw.origLink, base));
  return orig ?? httpOrNull(resolveUrl(raw.link, base));
}

function httpOrNull(u: string | null | undefined): string | null {
  return u && /^https?:\/\//i.test(u) ? u : null;
}

/**
 * Titles are shown as plain text. HTML-kind titles lose their tags and entities; entities that survive that
 * are double-escaped ("&amp;amp;" in the XML) and decoded once more.
 */
export function normalizeTitle(title: string | null, kind: TextKind): string {
  if (!title) return '';
  const once = kind === 'html' ? htmlToText(title) : collapse(title);
  return /&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/i.test(once) ? collapse(decodeHtmlEntities(once)) : once;
}

function toSafeHtml(value: string, kind: TextKind, base: string | null): string {
  return kind === 'html' ? sanitizeFeedHtml(value, base) : escapeText(value.trim());
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function publicationDate(raw: RawItem, now: Date): { publishedAt: Date; fromFeed: boolean } {
  const d = parseFeedDate(raw.published) ?? parseFeedDate(raw.updated);
  if (!d || d.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) return { publishedAt: new Date(now.getTime()), fromFeed: false };
  return { publishedAt: d, fromFeed: true };
}

/** RSS <author> is "email (Name)" by spec; keep the name when there is one. */
function normalizeAuthor(author: string | null): string | null {
  if (!author) return null;
  const a = collapse(decodeHtmlEntities(author));
  const emailThenName = /^[^\s@()<>]+@[^\s@()<>]+\s*\((.+)\)$/.exec(a);
  if (emailThenName) return emailThenName[1].trim();
  const nameThenEmail = /^(.+?)\s*[(<][^\s@()<>]+@[^\s@()<>]+[)>]$/.exec(a);
  return (nameThenEmail ? nameThenEmail[1].trim() : a) || null;
}

function normalizeEnclosures(raw: RawItem, base: string | null): Enclosure[] {
  const out: Enclosure[] = [];
  for (const e of raw.enclosures) {
    // Scraped feeds double-escape query strings ("&amp;amp;"), which survive XML decoding as "&amp;".
    const url = httpOrNull(resolveUrl(e.url.replace(/&amp;/g, '&'), base));
    if (url && !out.some((o) => o.url === url)) out.push({ url, type: e.type, length: e.length });
  }
  return out;
}

function uniqueTrimmed(values: string[]): string[] {
  return [...new Set(values.map(collapse).filter((v) => v !== ''))];
}

function twoLetter(lang: string | null | undefined): string | null {
  const m = lang ? /^\s*([A-Za-z]{2})(?:[-_]|\s*$)/.exec(lang) : null;
  return m ? m[1].toLowerCase() : null;
}
