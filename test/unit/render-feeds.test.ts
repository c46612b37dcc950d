import fc from 'fast-check';
import { parseStringPromise } from 'xml2js';
import { describe, expect, it } from 'vitest';
import { renderAtom } from '../../src/render/atom.js';
import { renderJsonFeed, stringifyClean } from '../../src/render/json-feed.js';
import { renderRss, renderRssChannel } from '../../src/render/rss.js';
import type { TopicFeed, TopicFeedItem } from '../../src/render/topic-feed-model.js';
import { stripInvalidXml } from '../../src/render/xml.js';

// The feed renderers on text a library writer got wrong (see the top of src/render/rss.ts): plain-text titles
// holding markup, several "]]>", a literal "&amp;", XML-invalid characters. A strict XML parser must read back
// exactly the text we meant, with the invalid characters dropped.

const HOSTILE = 'Guns & <b>ammo</b> "Río" ]]> one ]]> two AT&amp;T \u0001\uD800end';
const CLEAN = 'Guns & <b>ammo</b> "Río" ]]> one ]]> two AT&amp;T end';
const T = new Date('2026-11-25T07:00:00Z');

function item(over: Partial<TopicFeedItem> = {}): TopicFeedItem {
  return {
    id: 'urn:frontera:story:1', kind: 'story', storyId: 1, articleId: 10, title: HOSTILE, url: 'https://a.example/x?a=1&b=2',
    summary: HOSTILE, published: T, updated: new Date('2026-11-25T11:50:00Z'), lang: 'es', topics: ['cartel-violence', HOSTILE],
    outlets: ['El Universal', 'Reuters'], articleCount: 2,
    related: [
      { articleId: 10, title: 'First', url: 'https://a.example/x?a=1&b=2', outlet: 'El Universal', lang: 'es', publishedAt: T },
      { articleId: 11, title: HOSTILE, url: 'https://b.example/y', outlet: 'Reuters', lang: 'en', publishedAt: T },
    ],
    roundups: [{ articleId: 12, title: 'La semana & <más>', url: 'https://c.example/r', outlet: 'Milenio', lang: 'es', publishedAt: T }],
    relatedStories: [{ storyId: 2, headline: 'Culiacán', url: 'http://frontera.test/stories/2', shared: ['place:culiacan'] }],
    ...over,
  };
}

function feed(items: TopicFeedItem[]): TopicFeed {
  const base = 'http://frontera.test';
  return {
    id: 'urn:frontera:feed:all', topic: 'all', title: HOSTILE, description: 'd', homePageUrl: `${base}/v1/topics/all/stories`,
    links: { rss: `${base}/feeds/all.rss?a=1&b=2`, atom: `${base}/feeds/all.atom`, json: `${base}/feeds/all.json` },
    updated: T, generator: 'Frontera', items,
  };
}

const parse = (xml: string) => parseStringPromise(xml, { strict: true, explicitArray: false });

describe('feed renderers', () => {
  it('RSS: strict XML whose text reads back exactly, the self link and categories kept', async () => {
    const xml = renderRss(feed([item(), item({ id: 'urn:frontera:story:3', url: 'javascript:alert(1)', outlets: [] })]));
    expect(xml).not.toMatch(/<b>|CDATA|\u0001/);
    const { rss } = await parse(xml);
    expect(rss.channel.title).toBe(CLEAN);
    expect(rss.channel['atom:link'].$).toEqual({ href: 'http://frontera.test/feeds/all.rss?a=1&b=2', rel: 'self', type: 'application/rss+xml' });
    expect(rss.channel.ttl).toBe('15');
    const [a, b] = rss.channel.item;
    expect(a.title).toBe(CLEAN);
    expect(a.description).toBe(CLEAN);
    expect(a.link).toBe('https://a.example/x?a=1&b=2');
    expect(a.category).toEqual(['cartel-violence', CLEAN]);
    expect(a['dc:creator']).toBe('El Universal');
    expect(a['atom:updated']).toBe('2026-11-25T11:50:00.000Z');
    expect(a.pubDate).toBe('Wed, 25 Nov 2026 07:00:00 GMT');
    expect(a['content:encoded']).toContain('Guns &amp; &lt;b&gt;ammo&lt;/b&gt;');
    // No link for a non-http(s) URL; no creator without an outlet.
    expect(b.link).toBeUndefined();
    expect(b['dc:creator']).toBeUndefined();
  });

  it('one RSS builder: a channel without updates or creators writes neither', async () => {
    const xml = renderRssChannel({
      title: 'T', link: 'http://x.test/', description: 'D', selfUrl: 'http://x.test/feed.rss', lastBuildDate: T, generator: 'Frontera', ttl: 60,
      items: [{ title: HOSTILE, link: 'http://x.test/1', guid: 'urn:x:1', pubDate: T, categories: ['weekly'], description: 'p', contentHtml: '<table role="presentation"></table>' }],
    });
    const { rss } = await parse(xml);
    expect(rss.channel.ttl).toBe('60');
    expect(rss.channel.item.title).toBe(CLEAN);
    expect(rss.channel.item['content:encoded']).toBe('<table role="presentation"></table>');
    expect(xml).not.toMatch(/atom:updated|dc:creator/);
  });

  it('Atom: text titles, and every article, roundup and storyline as link rel="related"', async () => {
    const xml = renderAtom(feed([item()]));
    expect(xml).not.toMatch(/<b>|CDATA/);
    const { feed: f } = await parse(xml);
    expect(f.title).toEqual({ _: CLEAN, $: { type: 'text' } });
    expect(f.entry.title).toEqual({ _: CLEAN, $: { type: 'text' } });
    const links = f.entry.link.map((l: any) => l.$);
    expect(links).toEqual([
      { rel: 'alternate', type: 'text/html', href: 'https://a.example/x?a=1&b=2' },
      { rel: 'related', type: 'text/html', href: 'https://b.example/y', title: `${CLEAN} — Reuters`, hreflang: 'en' },
      { rel: 'related', type: 'text/html', href: 'https://c.example/r', title: 'Roundup: La semana & <más> — Milenio', hreflang: 'es' },
      { rel: 'related', type: 'text/html', href: 'http://frontera.test/stories/2', title: 'Related story: Culiacán' },
    ]);
    expect(f.entry.category.map((c: any) => c.$.term)).toEqual(['cartel-violence', CLEAN]);
  });

  it('JSON Feed 1.1: authors, per-item language, the _frontera object, invalid characters dropped', () => {
    const j = JSON.parse(renderJsonFeed(feed([item()])));
    expect(j.version).toBe('https://jsonfeed.org/version/1.1');
    expect(j.title).toBe(CLEAN);
    const [it0] = j.items;
    expect(it0.title).toBe(CLEAN);
    expect(it0.language).toBe('es');
    expect(it0.authors).toEqual([{ name: 'El Universal' }, { name: 'Reuters' }]);
    expect(it0.tags).toEqual(['cartel-violence', CLEAN]);
    expect(it0._frontera.articles.map((a: any) => [a.id, a.roundup])).toEqual([[10, false], [11, false], [12, true]]);
    expect(it0._frontera.articles[1].title).toBe(CLEAN);
    expect(it0._frontera.relatedStories).toEqual([{ id: 2, headline: 'Culiacán', url: 'http://frontera.test/stories/2', shared: ['place:culiacan'] }]);
  });

  it('JSON Feed: the fast path writes what the cleaning pass writes, for any text', () => {
    const reference = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' ? stripInvalidXml(x) : x));
    // Every kind of character the check must tell apart, among arbitrary code units (lone surrogates included).
    const tricky = fc.constantFrom('\u0000', '\u0001', '\b', '\t', '\n', '\u000b', '\f', '\r', '\u001f', '\u007f', '\ud800', '\udbff', '\udc00', '\udfff', '\ufffe', '\uffff', '\\', 'b', 'f', 'u', 'd', '8', '0', '"', 'é', '😀');
    const text = fc.string({ unit: fc.oneof(tricky, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 12 });
    const value = fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.integer(), fc.constant(null)), { maxKeys: 4 });
    fc.assert(fc.property(value, (v) => stringifyClean(v) === reference(v)), { numRuns: 5000 });
    // Both paths are taken.
    expect(stringifyClean({ a: 'plain' })).toBe('{"a":"plain"}');
    expect(stringifyClean({ a: 'x\u0001y\ud800', b: '\\b' })).toBe('{"a":"xy","b":"\\\\b"}');
  });
});
