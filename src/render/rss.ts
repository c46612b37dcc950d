// Why not the `feed` package (removed): it cannot say what our feeds say, and its XML writer (xml-js) is not
// safe for feed text. It has no per-entry links beyond the alternate (no Atom rel="related" for the
// coverage, roundups and storylines), no type on the self link, and writes JSON Feed 1.0 (`version/1`, one
// `author`, no per-item `language`); titles go out as CDATA / type="html", so a plain-text title holding
// "<b>" turns into markup; xml-js splits only the first "]]>" of a CDATA section, un-escapes "&amp;" in text
// and keeps XML-invalid control characters — a hostile title made feedparser reject the whole feed. It is also
// slower on the 50-item topic feed of bench/render.bench.ts: RSS ×1.2–1.6, Atom ×1.3–1.7 (JSON Feed about even).
//
// RSS 2.0 (https://www.rssboard.org/rss-specification) with atom:link rel="self" as the RSS Advisory
// Board recommends. Dates are RFC 822 (Date#toUTCString is the RFC 1123 form RFC 822 readers accept).
// One builder for every RSS document we serve: topic feeds and the newsletter's feed of issues.
import { coverageHtml } from './coverage-html.js';
import type { TopicFeed } from './topic-feed-model.js';
import { escapeXml as x, safeUrl } from './xml.js';

export interface RssItem {
  /** Plain text. */
  title: string;
  link: string | null;
  /** Not a permalink: a stable URN. */
  guid: string;
  pubDate: Date;
  /** When the item last changed (atom:updated), if it can change. */
  updated?: Date;
  categories: readonly string[];
  creator?: string | null;
  /** Plain text. */
  description: string;
  /** HTML, escaped here into content:encoded. */
  contentHtml: string;
}

export interface RssChannel {
  title: string;
  link: string;
  description: string;
  selfUrl: string;
  lastBuildDate: Date;
  generator: string;
  /** Minutes a reader may cache the feed. */
  ttl: number;
  items: readonly RssItem[];
}

function itemXml(it: RssItem): string {
  const link = safeUrl(it.link);
  let s = `    <item>\n      <title>${x(it.title)}</title>\n`;
  if (link) s += `      <link>${x(link)}</link>\n`;
  s += `      <guid isPermaLink="false">${x(it.guid)}</guid>\n      <pubDate>${it.pubDate.toUTCString()}</pubDate>\n`;
  if (it.updated) s += `      <atom:updated>${it.updated.toISOString()}</atom:updated>\n`;
  for (const c of it.categories) s += `      <category>${x(c)}</category>\n`;
  if (it.creator) s += `      <dc:creator>${x(it.creator)}</dc:creator>\n`;
  return `${s}      <description>${x(it.description)}</description>\n      <content:encoded>${x(it.contentHtml)}</content:encoded>\n    </item>`;
}

export function renderRssChannel(ch: RssChannel): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '  <channel>',
    `    <title>${x(ch.title)}</title>`,
    `    <link>${x(ch.link)}</link>`,
    `    <description>${x(ch.description)}</description>`,
    `    <atom:link href="${x(ch.selfUrl)}" rel="self" type="application/rss+xml"/>`,
    `    <lastBuildDate>${ch.lastBuildDate.toUTCString()}</lastBuildDate>`,
    `    <generator>${x(ch.generator)}</generator>`,
    `    <ttl>${ch.ttl}</ttl>`,
    ...ch.items.map(itemXml),
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

export function renderRss(feed: TopicFeed): string {
  return renderRssChannel({
    title: feed.title,
    link: feed.homePageUrl,
    description: feed.description,
    selfUrl: feed.links.rss,
    lastBuildDate: feed.updated,
    generator: feed.generator,
    ttl: 15,
    items: feed.items.map((it) => ({
      title: it.title,
      link: it.url,
      guid: it.id,
      pubDate: it.published,
      updated: it.updated,
      categories: it.topics,
      creator: it.outlets[0] ?? null,
      description: it.summary,
      contentHtml: coverageHtml(it),
    })),
  });
}
