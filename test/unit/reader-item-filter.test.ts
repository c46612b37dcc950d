import { describe, expect, it } from 'vitest';
import { applyItemFilter, parseItemFilter } from '../../src/reader/item-filter.js';
import type { NormalizedItem } from '../../src/model/types.js';

const item = (url: string, categories: string[] = []): NormalizedItem => ({
  guid: url,
  url,
  canonicalUrl: url,
  title: url,
  summaryHtml: '',
  summaryText: '',
  contentHtml: null,
  author: null,
  categories,
  enclosures: [],
  publishedAt: new Date('2026-12-01T00:00:00Z'),
  publishedAtFromFeed: true,
  lang: 'en',
});

describe('item filter', () => {
  const items = [
    item('https://www.cbp.gov/newsroom/national-media-release/cbp-seizes-fentanyl', ['Drugs']),
    item('https://www.cbp.gov/newsroom/local-media-release/laredo-port-update', ['Local']),
    item('https://www.cbp.gov/newsroom/National-Media-Release/mixed-case'),
  ];

  it('keeps only links containing an included substring (case-insensitive)', () => {
    const r = applyItemFilter(items, parseItemFilter({ linkIncludes: ['/national-media-release/'] }));
    expect(r.items.map((i) => i.url)).toEqual([items[0]!.url, items[2]!.url]);
    expect(r.filtered).toBe(1);
  });

  it('drops excluded links and keeps only the listed categories', () => {
    expect(applyItemFilter(items, parseItemFilter({ linkExcludes: ['local-media'] })).filtered).toBe(1);
    expect(applyItemFilter(items, parseItemFilter({ categoriesAny: ['drugs'] })).items).toEqual([items[0]]);
  });

  it('treats patterns as text, never as regular expressions', () => {
    expect(applyItemFilter(items, parseItemFilter({ linkIncludes: ['.*'] })).items).toEqual([]);
  });

  it('no filter keeps everything; an empty or unknown filter is refused', () => {
    expect(applyItemFilter(items, null)).toEqual({ items, filtered: 0 });
    expect(() => parseItemFilter({})).toThrow(/needs linkIncludes/);
    expect(() => parseItemFilter({ linkIncludes: [] })).toThrow(/linkIncludes/);
    expect(() => parseItemFilter({ linkRegex: ['x'] })).toThrow();
    expect(() => parseItemFilter({ linkIncludes: [''] })).toThrow();
  });
});
