import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { parseFeed } from '../../src/reader/parse-feed.js';
import { repoRoot } from '../helpers/corpus.js';

const URL_ = 'https://example.com/feed';
const code = async (text: string) => {
  try {
    await parseFeed(text, URL_);
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).code;
  }
};

describe('parseFeed errors', () => {
  it('rejects an HTML page as not a feed', async () => {
    const html = readFileSync(path.join(repoRoot, 'test/fixtures/feeds/html-page.html'), 'utf8');
    expect(await code(html)).toBe('parse_not_a_feed');
  });
  it('reports an empty body', async () => {
    expect(await code('')).toBe('parse_empty');
    expect(await code('  \n ')).toBe('parse_empty');
  });
  it('reports garbage and broken XML', async () => {
    expect(await code('hello world')).toBe('parse_not_a_feed');
    expect(await code('<rss version="2.0"><channel><title>x</channel>')).toBe('parse_failed');
    expect(await code('{"items": [')).toBe('parse_failed');
    expect(await code('<note><to>x</to></note>')).toBe('parse_not_a_feed');
    expect(await code('{"foo": 1}')).toBe('parse_not_a_feed');
  });
});

describe('parseFeed tolerance', () => {
  it('repairs bare ampersands but leaves CDATA alone', async () => {
    const { items } = await parseFeed(
      '<rss version="2.0"><channel><item><title>AT&T <![CDATA[& co]]></title><link>https://e.com/?a=1&b=2</link></item></channel></rss>',
      URL_,
    );
    expect(items[0].title).toBe('AT&T & co');
    expect(items[0].link).toBe('https://e.com/?a=1&b=2');
  });
  it('accepts HTML named entities without a DTD, and <rss> without version', async () => {
    const { meta } = await parseFeed('<rss><channel><title>Caf&eacute;&nbsp;Ol&eacute;</title></channel></rss>', URL_);
    expect(meta.title).toBe('Café Olé');
  });
  it('keeps every word of a title holding inline markup', async () => {
    const { items } = await parseFeed('<rss version="2.0"><channel><item><title>Hello <b>big</b> world</title></item></channel></rss>', URL_);
    // Raw items keep the markup as HTML text; normalizeItem strips it.
    expect(items[0]).toMatchObject({ title: 'Hello <b>big</b> world', titleKind: 'html' });
  });
  it('parses RSS 1.0 (RDF) and Atom 0.3', async () => {
    const rdf = await parseFeed(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>R</title><link>https://r.org/</link></channel><item rdf:about="https://r.org/1"><title>One</title><link>https://r.org/1</link></item></rdf:RDF>',
      URL_,
    );
    expect(rdf.items[0]).toMatchObject({ title: 'One', link: 'https://r.org/1', guid: 'https://r.org/1' });
    const atom03 = await parseFeed(
      '<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>A</title><entry><title>E</title><link rel="alternate" href="https://a.org/e"/><issued>2004-01-01T00:00:00Z</issued><content type="text/html" mode="base64">PGI+aGk8L2I+</content></entry></feed>',
      URL_,
    );
    expect(atom03.items[0]).toMatchObject({ title: 'E', link: 'https://a.org/e', published: '2004-01-01T00:00:00Z', content: '<b>hi</b>', contentKind: 'html' });
  });
  it('parses 500 feeds × 50 items quickly', async () => {
    const item = (i: number) => `<item><title>Story ${i} &amp; more</title><link>https://e.com/${i}</link><description>&lt;p&gt;Body ${i}&lt;/p&gt;</description><pubDate>Tue, 03 Mar 2026 08:00:00 GMT</pubDate></item>`;
    const xml = `<rss version="2.0"><channel><title>T</title>${Array.from({ length: 50 }, (_, i) => item(i)).join('')}</channel></rss>`;
    const started = performance.now();
    for (let i = 0; i < 100; i++) await parseFeed(xml, URL_);
    // 100 feeds here; the budget scales to ~5 x this for 500 feeds.
    expect(performance.now() - started).toBeLessThan(4000);
  });
});
