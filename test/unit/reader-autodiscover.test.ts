import { describe, expect, it } from 'vitest';
import { discoverFeedLinks, looksLikeHtml } from '../../src/reader/autodiscover.js';

describe('discoverFeedLinks', () => {
  const page = 'https://news.example/section/mexico/';

  it('finds RSS, Atom and JSON Feed links, resolved against the page URL, in document order', () => {
    const html = `<!doctype html><html><head>
      <link rel="stylesheet" href="/s.css">
      <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed/">
      <LINK REL='alternate' TYPE='application/atom+xml' HREF='atom.xml'>
      <link href="https://cdn.example/feed.json" type="application/feed+json" rel="alternate"/>
    </head><body></body></html>`;
    expect(discoverFeedLinks(html, page)).toEqual([
      'https://news.example/feed/',
      'https://news.example/section/mexico/atom.xml',
      'https://cdn.example/feed.json',
    ]);
  });

  it('ignores other rels and types, comments, scripts, non-http schemes and duplicates', () => {
    const html = `<head>
      <link rel="alternate" type="text/html" hreflang="es" href="/es/">
      <link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/1">
      <link rel="feed" type="application/rss+xml" href="/not-alternate">
      <!-- <link rel="alternate" type="application/rss+xml" href="/commented"> -->
      <script>document.write('<link rel="alternate" type="application/rss+xml" href="/scripted">')</script>
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      <link rel="alternate home" type="application/rss+xml; charset=utf-8" href="/rss?a=1&amp;b=2#top">
      <link rel="alternate" type="application/rss+xml" href="/rss?a=1&b=2">
    </head>`;
    expect(discoverFeedLinks(html, page)).toEqual(['https://news.example/rss?a=1&b=2']);
  });

  it('honours <base href>', () => {
    const html = `<base href="https://static.example/x/"><link rel="alternate" type="application/rss+xml" href="rss.xml">`;
    expect(discoverFeedLinks(html, page)).toEqual(['https://static.example/x/rss.xml']);
  });

  it('returns nothing for a page without feed links', () => {
    expect(discoverFeedLinks('<html><head><title>x</title></head></html>', page)).toEqual([]);
  });
});

describe('looksLikeHtml', () => {
  it('goes by the content type, else by the first tag', () => {
    expect(looksLikeHtml('<rss/>', 'text/html; charset=utf-8')).toBe(true);
    expect(looksLikeHtml('\uFEFF  <!DOCTYPE html><html>', null)).toBe(true);
    expect(looksLikeHtml('<html lang="es">', 'application/octet-stream')).toBe(true);
    expect(looksLikeHtml('<?xml version="1.0"?><rss version="2.0">', 'application/xml')).toBe(false);
    expect(looksLikeHtml('{"version":"https://jsonfeed.org/version/1.1"}', 'application/json')).toBe(false);
  });
});
