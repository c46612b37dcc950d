import { coverageHtml } from './coverage-html.js';
import type { TopicFeed } from './topic-feed-model.js';
import { escapeXml as x, safeUrl } from './xml.js';

// RSS 2.0 (https://www.rssboard.org/rss-specification) with atom:link rel="self" as the RSS Advisory
// Board recommends. Dates are RFC 822 (Date#toUTCString is the RFC 1123 form RFC 822 readers accept).

export function renderRss(feed: TopicFeed): string {
  const items = feed.items.map((it) => {
    const link = safeUrl(it.url);
    const lines = [
      `    <item>`,
      `      <title>${x(it.title)}</title>`,
      link ? `      <link>${x(link)}</link>` : '',
      `      <guid isPermaLink="false">${x(it.id)}</guid>`,
      `      <pubDate>${it.published.toUTCString()}</pubDate>`,
      `      <atom:updated>${it.updated.toISOString()}</atom:updated>`,
      ...it.topics.map((t) => `      <category>${x(t)}</category>`),
      it.outlets[0] ? `      <dc:creator>${x(it.outlets[0])}</dc:creator>` : '',
      `      <description>${x(it.summary)}</description>`,
      `      <content:encoded>${x(coverageHtml(it))}</content:encoded>`,
      `    </item>`,
    ];
    return lines.filter(Boolean).join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '  <channel>',
    `    <title>${x(feed.title)}</title>`,
    `    <link>${x(feed.homePageUrl)}</link>`,
    `    <description>${x(feed.description)}</description>`,
    `    <atom:link href="${x(feed.links.rss)}" rel="self" type="application/rss+xml"/>`,
    `    <lastBuildDate>${feed.updated.toUTCString()}</lastBuildDate>`,
    `    <generator>${x(feed.generator)}</generator>`,
    `    <ttl>15</ttl>`,
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}
