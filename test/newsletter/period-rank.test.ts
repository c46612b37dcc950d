import { describe, expect, it } from 'vitest';
import { customPeriod, formatUtc, isoWeek, lastCompletePeriod, parseDay, periodContaining, periodLabel } from '../../src/render/newsletter-period.js';
import { bestTopic, extractSummary, isOfficial, scoreEvent } from '../../src/render/newsletter-rank.js';
import type { DigestArticle, DigestStory } from '../../src/render/newsletter-model.js';

const iso = (d: Date) => d.toISOString();

describe('newsletter periods (UTC, half-open)', () => {
  it('weekly is the ISO week containing the date, whatever its weekday', () => {
    for (const day of ['2026-11-23', '2026-11-26', '2026-11-29']) {
      const p = periodContaining('weekly', parseDay(day));
      expect([iso(p.start), iso(p.end)]).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z']);
    }
    expect(periodLabel(periodContaining('weekly', parseDay('2026-11-23')))).toBe('Week 48 · 23–29 November 2026');
    expect(periodLabel(periodContaining('weekly', parseDay('2026-12-01')))).toBe('Week 49 · 30 November – 6 December 2026');
  });

  it('ISO week numbers across year boundaries', () => {
    expect(isoWeek(parseDay('2026-12-31'))).toEqual({ year: 2026, week: 53 });
    expect(isoWeek(parseDay('2027-01-03'))).toEqual({ year: 2026, week: 53 });
    expect(isoWeek(parseDay('2027-01-04'))).toEqual({ year: 2027, week: 1 });
    expect(isoWeek(parseDay('2024-12-30'))).toEqual({ year: 2025, week: 1 });
    expect(periodLabel(periodContaining('weekly', parseDay('2027-01-01')))).toBe('Week 53 · 28 December 2026 – 3 January 2027');
  });

  it('daily, custom, and the last complete period the job publishes', () => {
    const d = periodContaining('daily', new Date('2026-11-24T23:59:59.999Z'));
    expect([iso(d.start), iso(d.end)]).toEqual(['2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z']);
    expect(periodLabel(d)).toBe('Tuesday 24 November 2026');
    const c = customPeriod(parseDay('2026-11-20'), parseDay('2026-11-22'));
    expect([iso(c.start), iso(c.end), periodLabel(c)]).toEqual(['2026-11-20T00:00:00.000Z', '2026-11-23T00:00:00.000Z', '20–22 November 2026']);
    const now = new Date('2026-11-30T11:00:00Z');
    expect(iso(lastCompletePeriod('daily', now).start)).toBe('2026-11-29T00:00:00.000Z');
    expect(iso(lastCompletePeriod('weekly', now).start)).toBe('2026-11-23T00:00:00.000Z');
    // At the very start of a week, the week just ended.
    expect(iso(lastCompletePeriod('weekly', new Date('2026-11-30T00:00:00Z')).start)).toBe('2026-11-23T00:00:00.000Z');
  });

  it('rejects malformed or impossible dates and inverted ranges', () => {
    expect(() => parseDay('2026-02-30')).toThrow(/YYYY-MM-DD/);
    expect(() => parseDay('26-11-23')).toThrow(/YYYY-MM-DD/);
    expect(() => customPeriod(parseDay('2026-11-22'), parseDay('2026-11-20'))).toThrow(/before/);
    expect(() => customPeriod(parseDay('2024-01-01'), parseDay('2026-01-01'))).toThrow(/at most/);
  });

  it('formats every time in UTC', () => {
    expect(formatUtc('2026-11-23T14:05:00.000Z')).toBe('Mon 23 Nov 2026, 14:05 UTC');
  });
});

describe('extractive summaries', () => {
  it('takes the first one or two sentences verbatim, skipping one that repeats the title', () => {
    const s = 'Officials said the plan was approved. It includes drones. A third sentence is left out.';
    expect(extractSummary(s, [])).toBe('Officials said the plan was approved. It includes drones.');
    expect(extractSummary('Plan approved. Officials said the plan was approved.', ['Plan approved'])).toBe('Officials said the plan was approved.');
    expect(extractSummary('¿Qué sigue? El gobierno respondió. Otra más.', [])).toBe('¿Qué sigue? El gobierno respondió.');
  });

  it('drops feed boilerplate and clips a very long sentence at a word boundary', () => {
    expect(extractSummary('Guzmán pleaded guilty. The post Guzmán pleads guilty appeared first on DOJ.', [])).toBe('Guzmán pleaded guilty.');
    expect(extractSummary('Sheinbaum rechazó la intervención. La entrada X se publicó primero en La Jornada.', [])).toBe('Sheinbaum rechazó la intervención.');
    expect(extractSummary('Seized 400 pounds. Read more', [])).toBe('Seized 400 pounds.');
    const long = `${'word '.repeat(100)}end.`;
    const out = extractSummary(long, []);
    expect(out.length).toBeLessThanOrEqual(320);
    expect(out.endsWith('word…')).toBe(true);
    expect(extractSummary('', [])).toBe('');
  });
});

const art = (over: Partial<DigestArticle> & { id: number }): DigestArticle => ({
  storyId: 1,
  title: 't',
  url: `https://news.example/${over.id}`,
  lang: 'en',
  publishedAt: new Date('2026-11-24T12:00:00Z'),
  summaryText: '',
  topics: [],
  source: { id: over.id, name: `Outlet ${over.id}`, url: null, siteUrl: null },
  ...over,
});

describe('ranking', () => {
  const start = new Date('2026-11-23T00:00:00Z');
  const end = new Date('2026-11-30T00:00:00Z');
  const story = (articles: DigestArticle[], topics: string[] = ['a']): DigestStory => ({ id: 1, headline: 'h', topics, articles });

  it('ranks by outlets, then rewards both languages and official sources', () => {
    const one = scoreEvent(story([art({ id: 1 })]), start, end, null).score;
    const twoSame = scoreEvent(story([art({ id: 1 }), art({ id: 2 })]), start, end, null).score;
    const twoBoth = scoreEvent(story([art({ id: 1 }), art({ id: 2, lang: 'es' })]), start, end, null).score;
    const twoOfficial = scoreEvent(story([art({ id: 1 }), art({ id: 2, url: 'https://www.justice.gov/opa/pr/x' })]), start, end, null).score;
    const sameOutletTwice = scoreEvent(story([art({ id: 1 }), art({ id: 2, source: { id: 1, name: 'Outlet 1', url: null, siteUrl: null } })]), start, end, null).score;
    expect(twoSame).toBeGreaterThan(one);
    expect(twoBoth).toBeGreaterThan(twoSame);
    expect(twoOfficial).toBeGreaterThan(twoSame);
    expect(sameOutletTwice).toBeLessThan(twoSame);
    // Recency breaks ties between equally covered events.
    const later = scoreEvent(story([art({ id: 1, publishedAt: new Date('2026-11-29T12:00:00Z') })]), start, end, null).score;
    expect(later).toBeGreaterThan(one);
  });

  it('recognises official publishers by host or agency name', () => {
    expect(isOfficial(art({ id: 1, url: 'https://www.dea.gov/press-releases/x' }))).toBe(true);
    expect(isOfficial(art({ id: 1, url: 'https://www.gob.mx/sspc/prensa/x' }))).toBe(true);
    expect(isOfficial(art({ id: 1, source: { id: 9, name: 'U.S. Department of State', url: null, siteUrl: null } }))).toBe(true);
    expect(isOfficial(art({ id: 1, source: { id: 9, name: 'Reuters', url: 'https://feeds.example.com/x', siteUrl: null } }))).toBe(false);
    expect(isOfficial(art({ id: 1, url: 'https://notgov.example/x' }))).toBe(false);
  });

  it('puts an event in the topic most of its articles carry, ties to its primary topic', () => {
    const s = story([art({ id: 1, topics: ['b'] }), art({ id: 2, topics: ['a', 'b'] })], ['a', 'b']);
    expect(bestTopic(s, ['a', 'b'])).toBe('b');
    const tie = story([art({ id: 1, topics: ['a', 'b'] })], ['b', 'a']);
    expect(bestTopic(tie, ['a', 'b'])).toBe('b');
    expect(bestTopic(story([art({ id: 1 })], ['zzz']), ['a'])).toBeNull();
  });
});
