// Issue 18: the pure half of the two-press view: country inference, terms per side, names, first report and lag.
import { describe, expect, it } from 'vitest';
import { inferCountry, normalizeCountry, pressSide } from '../../src/press/country.js';
import { buildStoryPress, type PressArticle } from '../../src/press/story-press.js';
import { articleTerms, distinctiveTerms } from '../../src/press/terms.js';
import { assembleStoryPress } from '../../src/press/types.js';

const known = { 'nytimes.com': 'US', 'latinus.us': 'MX', 'reforma.com': 'MX' };
const art = (id: number, country: string | null, title: string, summary = '', at = id * 60_000, outlet = `o${id}`): PressArticle => ({
  id, country, outlet, at: new Date(Date.UTC(2026, 10, 23) + at), title, summary, entities: [],
});

describe('country of publication', () => {
  it('infers from the table first, then the ccTLD, then US-only TLDs; a vanity ccTLD or .com says nothing', () => {
    expect(inferCountry('eluniversal.com.mx', known)).toBe('MX');
    expect(inferCountry('gob.mx', known)).toBe('MX');
    expect(inferCountry('sinembargo.mx', known)).toBe('MX');
    expect(inferCountry('latinus.us', known)).toBe('MX');
    expect(inferCountry('example.us', known)).toBe('US');
    expect(inferCountry('www.nytimes.com', known)).toBe('US');
    expect(inferCountry('cbp.gov', known)).toBe('US');
    expect(inferCountry('bbc.co.uk', known)).toBe('GB');
    expect(inferCountry('elpais.es', known)).toBe('ES');
    expect(inferCountry('example.com', known)).toBeNull();
    expect(inferCountry('news.tv', known)).toBeNull();
    expect(inferCountry(null, known)).toBeNull();
  });
  it('normalizes codes and sides', () => {
    expect(normalizeCountry(' mx ')).toBe('MX');
    expect(normalizeCountry('')).toBeNull();
    expect(() => normalizeCountry('MEX')).toThrow(/alpha-2/);
    expect([pressSide('US'), pressSide('mx'), pressSide('GB'), pressSide(null)]).toEqual(['US', 'MX', 'other', null]);
  });
});

describe('distinctive terms', () => {
  it('maps English and Spanish forms of one concept to one term, stems other words, drops function words and numbers', () => {
    const en = articleTerms({ title: 'Drone strikes on 3 labs', summary: 'The strikes hit the labs.' });
    const es = articleTerms({ title: 'Ataques con drones contra 3 laboratorios', summary: '' });
    expect(en.map((h) => h.key)).toEqual(['c:drone', 'c:strike', 'c:lab', 'c:strike', 's:hit', 'c:lab']);
    expect(es.map((h) => h.key)).toEqual(['c:strike', 'c:drone', 'c:lab']);
    expect(articleTerms({ title: 'Extradición de capos', summary: '' }).map((h) => h.key)).toEqual(['c:extradition', 'c:cartel']);
    expect(articleTerms({ title: 'Sheinbaum habla', summary: '', nameWords: new Set(['sheinbaum']) }).map((h) => h.key)).toEqual(['s:habla']);
  });

  it('scores terms frequent on one side and rare on the other; shared concepts are on neither side', () => {
    const us = [
      articleTerms({ title: 'US weighs strikes on narco-terrorists', summary: 'Pentagon options for drone strikes.' }),
      articleTerms({ title: 'Drone strikes against narco-terrorists considered', summary: 'Pentagon briefing.' }),
      articleTerms({ title: 'Lawmakers debate strikes', summary: 'Terrorists label for cartels.' }),
    ];
    const mx = [
      articleTerms({ title: 'Sheinbaum rechaza ataques: la soberanía no se negocia', summary: 'No habrá intervención.' }),
      articleTerms({ title: 'Ataques con drones violarían la soberanía', summary: 'Injerencia rechazada.' }),
    ];
    const usT = distinctiveTerms(us, mx);
    const mxT = distinctiveTerms(mx, us);
    expect(usT.map((t) => t.key)).toContain('c:terrorist');
    expect(mxT.find((t) => t.key === 'c:sovereignty')).toMatchObject({ key: 'c:sovereignty', term: 'soberania', articles: 2, otherArticles: 0 });
    expect(mxT.map((t) => t.key)).toContain('c:intervention');
    for (const t of [...usT, ...mxT]) expect(t.key).not.toBe('c:strike');
    // Ordered best first, bounded.
    expect(usT.map((t) => t.score)).toEqual([...usT.map((t) => t.score)].sort((a, b) => b - a));
    expect(distinctiveTerms(us, mx, 2)).toHaveLength(2);
    // No other press: the side's own most used terms.
    expect(distinctiveTerms(mx, []).map((t) => t.key)).toContain('c:strike');
  });
});

describe('sides of a story', () => {
  it('first report per side, lag, outlets (not sources) and articles; unknown countries count nowhere', () => {
    const sides = buildStoryPress([
      art(1, 'MX', 'Ataque en Culiacán', '', 60 * 60_000, 'milenio'),
      art(2, 'US', 'Attack in Culiacan', '', 3 * 60 * 60_000, 'nyt'),
      art(3, 'MX', 'Ataque en Culiacán: 12 muertos', '', 2 * 60 * 60_000, 'milenio'),
      art(4, 'GB', 'Culiacan attack', '', 30 * 60_000, 'bbc'),
      art(5, null, 'Culiacán', '', 0, 'blog'),
    ]);
    expect(sides.map((s) => [s.country, s.outlets, s.articles, s.firstArticleId])).toEqual([
      ['US', 1, 1, 2],
      ['MX', 1, 2, 1],
      ['other', 1, 1, 4],
    ]);
    const p = assembleStoryPress(sides);
    expect(p).toMatchObject({ firstSide: 'mx', lagMs: 2 * 3600_000 });
    expect(assembleStoryPress([])).toEqual({ us: null, mx: null, other: null, firstSide: null, lagMs: null });
  });
});
