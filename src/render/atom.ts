import { coverageHtml } from './coverage-html.js';
import type { TopicFeed } from './topic-feed-model.js';
import { escapeXml as x, safeUrl } from './xml.js';

// Atom 1.0 (RFC 4287). Titles are type="text" (escaped plain text: nothing to misinterpret), the
// coverage list is type="html", and every outlet's article, every roundup that mentions the story
// (titled "Roundup: …") and every story of the same storyline (its page here) is also a link rel="related".

export function renderAtom(feed: TopicFeed): string {
  const entries = feed.items.map((it) => {
    const link = safeUrl(it.url);
    const lines = [
      '  <entry>',
      `    <id>${x(it.id)}</id>`,
      `    <title type="text">${x(it.title)}</title>`,
      link ? `    <link rel="alternate" type="text/html" href="${x(link)}"/>` : '',
      ...it.related.flatMap((r) => {
        const href = safeUrl(r.url);
        if (!href || href === link) return [];
        const title = [r.title, r.outlet].filter(Boolean).join(' — ');
        return [`    <link rel="related" type="text/html" href="${x(href)}" title="${x(title)}"${r.lang ? ` hreflang="${x(r.lang)}"` : ''}/>`];
      }),
      ...it.roundups.flatMap((r) => {
        const href = safeUrl(r.url);
        if (!href || href === link) return [];
        const title = `Roundup: ${[r.title, r.outlet].filter(Boolean).join(' — ')}`;
        return [`    <link rel="related" type="text/html" href="${x(href)}" title="${x(title)}"${r.lang ? ` hreflang="${x(r.lang)}"` : ''}/>`];
      }),
      ...it.relatedStories.flatMap((r) => {
        const href = safeUrl(r.url);
        return href ? [`    <link rel="related" type="text/html" href="${x(href)}" title="${x(`Related story: ${r.headline}`)}"/>`] : [];
      }),
      `    <published>${it.published.toISOString()}</published>`,
      `    <updated>${it.updated.toISOString()}</updated>`,
      `    <author><name>${x(it.outlets[0] ?? 'Frontera')}</name></author>`,
      ...it.topics.map((t) => `    <category term="${x(t)}"/>`),
      `    <summary type="text">${x(it.summary)}</summary>`,
      `    <content type="html">${x(coverageHtml(it))}</content>`,
      '  </entry>',
    ];
    return lines.filter(Boolean).join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${x(feed.id)}</id>`,
    `  <title type="text">${x(feed.title)}</title>`,
    `  <subtitle type="text">${x(feed.description)}</subtitle>`,
    `  <link rel="self" type="application/atom+xml" href="${x(feed.links.atom)}"/>`,
    `  <link rel="alternate" type="application/json" href="${x(feed.homePageUrl)}"/>`,
    `  <updated>${feed.updated.toISOString()}</updated>`,
    `  <author><name>Frontera</name></author>`,
    `  <generator>${x(feed.generator)}</generator>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
