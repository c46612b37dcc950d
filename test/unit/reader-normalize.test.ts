import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeed } from '../../src/reader/read-feed.js';
import { repoRoot } from '../helpers/corpus.js';

const NOW = new Date('2026-03-05T12:00:00Z');
const fixture = (name: string) => readFileSync(path.join(repoRoot, 'test/fixtures/feeds', name));

describe('normalizeItem via readFeed: RSS quirks', async () => {
  const { meta, items } = await readFeed(fixture('quirks.rss'), { feedUrl: 'https://feeds.example.org/rss', now: NOW });
  const [fb, relative, future, spanish] = items;

  it('reads feed metadata', () => {
    expect(meta).toEqual({ title: 'Quirky Feed', link: 'https://www.example.org/', language: 'en', ttlMinutes: 30, updateIntervalMinutes: 30 });
  });
  it('decodes double-escaped titles once more', () => {
    expect(fb.title).toBe('AT&T and Verizon’s deal');
  });
  it('prefers feedburner:origLink and canonicalizes it', () => {
    expect(fb.url).toBe('https://www.example.org/2026/story?utm_source=rss&id=7');
    expect(fb.canonicalUrl).toBe('https://example.org/2026/story?id=7');
    expect(fb.guid).toBe('story-1');
  });
  it('parses zone abbreviations to UTC', () => {
    expect(fb.publishedAt.toISOString()).toBe('2026-03-03T13:00:00.000Z');
    expect(fb.publishedAtFromFeed).toBe(true);
  });
  it('sanitizes the summary and absolutizes its links against the site', () => {
    expect(fb.summaryHtml).toBe('<p>Hello <a>bad</a> <a href="https://www.example.org/rel">rel</a></p>');
    expect(fb.summaryText).toBe('Hello bad rel');
    expect(fb.author).toBe('John Doe');
  });
  it('fixes double-escaped enclosure URLs and treats length 0 as unknown', () => {
    expect(fb.enclosures).toEqual([{ url: 'https://cdn.example.org/a.mp3?x=1&y=2', type: 'audio/mpeg', length: null }]);
  });
  it('resolves relative item links and falls back to now for missing dates', () => {
    expect(relative.url).toBe('https://www.example.org/2026/relative');
    expect(relative.publishedAt).toEqual(NOW);
    expect(relative.publishedAtFromFeed).toBe(false);
  });
  it('treats dates more than 10 minutes ahead as missing', () => {
    expect(future.publishedAt).toEqual(NOW);
    expect(future.publishedAtFromFeed).toBe(false);
  });
  it('detects Spanish despite the declared "en", and survives unparseable dates', () => {
    expect(spanish.lang).toBe('es');
    expect(spanish.publishedAtFromFeed).toBe(false);
    expect(fb.lang).toBe('en');
  });
});

describe('Atom with xml:base and xhtml constructs', async () => {
  const { meta, items } = await readFeed(fixture('xml-base.atom'), { feedUrl: 'https://example.com/news/feed.atom', now: NOW });
  const [e] = items;
  it('resolves links through nested xml:base', () => {
    expect(meta.link).toBe('https://example.com/');
    expect(meta.title).toBe('Example & News');
    expect(e.url).toBe('https://example.com/news/2026/03/seizure.html');
    expect(e.enclosures).toEqual([{ url: 'https://example.com/img/seizure.jpg', type: 'image/jpeg', length: 1234 }]);
  });
  it('keeps words of inline-markup titles and xhtml content in order', () => {
    expect(e.title).toBe('Border agents seize fentanyl');
    expect(e.contentHtml).toBe(
      '<p>Agents found <a href="https://example.com/news/2026/report.pdf">a report</a> and <img src="https://example.com/news/2026/03/pic.png" alt="x" />.</p>',
    );
    expect(e.summaryHtml).toBe(e.contentHtml);
  });
  it('reads author, category, date and language', () => {
    expect(e.author).toBe('Jane Roe');
    expect(e.categories).toEqual(['border']);
    expect(e.publishedAt.toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(meta.language).toBe('en-US');
    expect(e.lang).toBe('en');
  });
});

describe('JSON Feed', () => {
  it('reads JSON Feed 1.0 (author object, numeric id, attachments)', async () => {
    const { meta, items } = await readFeed(fixture('feed-1.0.json'), { feedUrl: 'https://example.net/feed.json', now: NOW });
    expect(meta.title).toBe('JSON One');
    expect(items[0]).toMatchObject({
      guid: '42',
      url: 'https://example.net/posts/42?fbclid=abc',
      canonicalUrl: 'https://example.net/posts/42',
      title: 'A post',
      contentHtml: '<p>Body </p>',
      author: 'Item Author',
      categories: ['one', 'two'],
      enclosures: [{ url: 'https://example.net/a.mp3', type: 'audio/mpeg', length: 100 }],
      publishedAtFromFeed: true,
    });
  });
  it('reads JSON Feed 1.1 (authors array, language, content_text, external_url)', async () => {
    const { meta, items } = await readFeed(fixture('feed-1.1.json'), { feedUrl: 'https://example.mx/feed.json', now: NOW });
    expect(meta.language).toBe('es-MX');
    expect(items[0]).toMatchObject({
      url: 'https://example.mx/nota',
      author: 'Redacción',
      summaryHtml: 'Resumen de la nota',
      contentHtml: 'Texto plano &lt;sin&gt; etiquetas',
      lang: 'es',
    });
    expect(items[0].publishedAt.toISOString()).toBe('2026-02-02T14:30:00.000Z');
  });
});
