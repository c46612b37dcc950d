import { describe, expect, it } from 'vitest';
import { splitIntoWindows } from '../../src/reader/chunked-xml.js';
import { readFeed } from '../../src/reader/read-feed.js';

const now = new Date('2026-11-25T12:00:00Z');

function rssDoc(n: number, body = 'x'.repeat(200), cdataTrap = false): string {
  const items = Array.from(
    { length: n },
    (_, i) => `<item><guid>g${i}</guid><title>Item ${i} &amp; más</title><link>/a/${i}</link><description><![CDATA[<p>${body} ${cdataTrap ? '</item>' : '<b>bold</b>'} ${i}</p>]]></description></item>`,
  ).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xml:base="https://news.example/"><channel><title>Big</title><link>https://news.example/</link><description>d</description><ttl>60</ttl>\n${items}\n</channel></rss>`;
}

function atomDoc(n: number): string {
  const entries = Array.from({ length: n }, (_, i) => `<entry><id>urn:e:${i}</id><title>Entry ${i}</title><link href="https://atom.example/${i}"/><updated>2026-11-24T10:00:00Z</updated><summary>s ${i}</summary></entry>`).join('');
  return `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:f</id><updated>2026-11-24T10:00:00Z</updated>${entries}</feed>`;
}

describe('large feeds are parsed a window of items at a time', () => {
  it('leaves small documents alone', () => {
    expect(splitIntoWindows(rssDoc(10))).toBeNull();
  });

  it('refuses to cut when an item boundary is unsure (an item tag quoted outside CDATA)', () => {
    const doc = rssDoc(500).replace('<title>Item 3 &amp; más</title>', '<title>Item 3</title><item>');
    expect(splitIntoWindows(doc, 1000, 100)).toBeNull();
    // "</item>" quoted inside CDATA would cut an item in two: detected, the document is parsed whole.
    expect(splitIntoWindows(rssDoc(500, 'x', true), 1000, 100)).toBeNull();
  });

  it('gives the same items, links, metadata and order as a whole parse (RSS with xml:base and CDATA, Atom)', async () => {
    for (const doc of [rssDoc(1000), atomDoc(1000)]) {
      const windows = splitIntoWindows(doc, 1000, 150);
      expect(windows).not.toBeNull();
      expect(windows!.length).toBe(7);
      const whole = await readFeed(Buffer.from(doc), { feedUrl: 'https://news.example/feed', now });
      // Force the windowed path by making the document large enough.
      const padded = doc.replace('<title>', `<!--${' '.repeat(2_000_000)}--><title>`);
      const chunked = await readFeed(Buffer.from(padded), { feedUrl: 'https://news.example/feed', now });
      expect(chunked.items.length).toBe(1000);
      expect(chunked.items.map((i) => [i.guid, i.title, i.url, i.summaryText])).toEqual(whole.items.map((i) => [i.guid, i.title, i.url, i.summaryText]));
      expect(chunked.meta).toEqual(whole.meta);
    }
  });
});
