import { describe, expect, it } from 'vitest';
import { articleFeatures } from '../../src/cluster/features.js';
import { DocumentFrequencyTable, defaultIdf, idfFromCounts, similarity, similarityDetail, timeProximity } from '../../src/cluster/similarity.js';

const t = new Date('2025-11-20T12:00:00Z');
const hours = (h: number) => new Date(t.getTime() + h * 3_600_000);

const en = articleFeatures({
  title: 'Mexico sends 55 cartel members to the US as pressure mounts',
  summary: 'Mexico transferred 55 cartel members to the United States on Tuesday, Sheinbaum said, amid US threats of strikes on cartels.',
  lang: 'en', publishedAt: t,
});
const es = articleFeatures({
  title: 'México envía a 55 integrantes de cárteles a EU',
  summary: 'El gobierno de Sheinbaum trasladó a Estados Unidos a 55 integrantes de cárteles, en medio de amenazas de ataques.',
  lang: 'es', publishedAt: hours(3),
});
const unrelated = articleFeatures({
  title: 'Liga MX: América golea a Pumas en la jornada 6',
  summary: 'El América venció 4-0 a los Pumas en el estadio y se colocó como líder del torneo.',
  lang: 'es', publishedAt: hours(2),
});
const unrelatedEn = articleFeatures({
  title: 'Strong storm set to pummel L.A. with heavy rains and flooding',
  summary: 'Forecasters warn of beach hazards and flooding across Los Angeles County this weekend.',
  lang: 'en', publishedAt: hours(1),
});

describe('similarity', () => {
  it('lets an English and a Spanish article about the same event meet', () => {
    const s = similarity(en, es, defaultIdf);
    expect(s).toBeGreaterThan(0.3);
    expect(s).toBeGreaterThan(3 * similarity(es, unrelated, defaultIdf));
    expect(s).toBeGreaterThan(3 * similarity(en, unrelatedEn, defaultIdf));
  });
  it('is symmetric, in [0,1] and 1-ish for identical articles', () => {
    expect(similarity(en, es, defaultIdf)).toBeCloseTo(similarity(es, en, defaultIdf), 10);
    expect(similarity(en, en, defaultIdf)).toBeCloseTo(1, 5);
    expect(similarity(en, unrelated, defaultIdf)).toBeGreaterThanOrEqual(0);
  });
  it('discounts distance in time, neutral when unknown', () => {
    expect(timeProximity(0, 12 * 3_600_000)).toBe(1);
    expect(timeProximity(0, 7 * 24 * 3_600_000)).toBeLessThan(0.05);
    expect(timeProximity(NaN, 0)).toBe(1);
    const later = { ...es, publishedAtMs: t.getTime() + 10 * 24 * 3_600_000 };
    expect(similarity(en, later, defaultIdf)).toBeLessThan(similarity(en, es, defaultIdf));
  });
  it('IDF from a df table and from DB-style counts agree', () => {
    const df = new DocumentFrequencyTable();
    for (const f of [en, es, unrelated, unrelatedEn]) df.add(f);
    const fromCounts = idfFromCounts(df.totalDocs, df.df);
    for (const k of ['p:mx', 'c:cartel', 'nonexistent']) expect(fromCounts(k)).toBeCloseTo(df.idf(k), 10);
    expect(df.idf('p:mx')).toBeGreaterThan(0);
  });
});

describe('shared evidence', () => {
  it('does not count a word twice: an anchor repeating a shared term is not a second item', async () => {
    const { sharedEvidence } = await import('../../src/cluster/similarity.js');
    const { articleFeatures } = await import('../../src/cluster/features.js');
    const d = new Date('2022-07-28T00:00:00Z');
    const a = articleFeatures({ title: 'China launches rocket', summary: '', lang: 'en', publishedAt: d });
    const b = articleFeatures({ title: 'Pelosi visit angers China', summary: '', lang: 'en', publishedAt: d });
    // "china" is a term, a place and a name of both: one piece of evidence.
    expect(sharedEvidence(a, b, false)).toBe(1);
    const c = articleFeatures({ title: 'China launches Long March rocket', summary: '', lang: 'en', publishedAt: d });
    expect(sharedEvidence(a, c, false)).toBeGreaterThanOrEqual(2);
  });

  it('counts places alone as one item: a city and its country say where, not what happened', async () => {
    const { sharedEvidence, similarity, defaultIdf } = await import('../../src/cluster/similarity.js');
    const { articleFeatures } = await import('../../src/cluster/features.js');
    const d = new Date('2026-02-25T00:00:00Z');
    const travel = articleFeatures({ title: 'Visiting Guadalajara this week? What daily life in Mexico looks like now', summary: '', lang: 'en', publishedAt: d });
    const coffee = articleFeatures({ title: 'From Guadalajara to Oaxaca, three Mexican coffee roasters win world awards', summary: '', lang: 'en', publishedAt: d });
    expect(sharedEvidence(travel, coffee, false)).toBe(1);
    // The same places and what happened there: two items or more, and a higher score than places alone.
    const attack = articleFeatures({ title: 'Gunmen attack police station in Guadalajara, Mexico', summary: '', lang: 'en', publishedAt: d });
    const attack2 = articleFeatures({ title: 'Police station attacked by gunmen in Guadalajara', summary: '', lang: 'en', publishedAt: d });
    expect(sharedEvidence(attack, attack2, false)).toBeGreaterThanOrEqual(2);
    const travelAgain = articleFeatures({ title: 'Visiting Guadalajara? Daily life in Mexico after the attack on police', summary: '', lang: 'en', publishedAt: d });
    expect(sharedEvidence(travelAgain, attack, false)).toBeGreaterThanOrEqual(2);
    expect(similarity(travel, coffee, defaultIdf)).toBeLessThan(similarity(travelAgain, attack, defaultIdf));
    // "US" is the lexicon's "u s" ("U.S." folded) written as one word: a place too.
    const water = articleFeatures({ title: 'Mexico commits to yearly water deliveries to the US', summary: '', lang: 'en', publishedAt: d });
    const chips = articleFeatures({ title: 'Mexico and US map out a plan for chip supply chains', summary: '', lang: 'en', publishedAt: d });
    expect(sharedEvidence(water, chips, false)).toBe(1);
  });
});

describe('an English reading (Features.en, from a machine translation)', () => {
  const base = { lang: 'es', publishedAt: hours(2) };
  const spanish = { title: 'Hombres armados atacan una boda en un pueblo de la sierra', summary: 'La novia y el sacerdote resultaron heridos, informó la fiscalía estatal.' };
  const english = { title: 'Gunmen attack a wedding in a village of the mountains', summary: 'The bride and the priest were wounded, the state prosecutor reported.' };
  const reportEn = articleFeatures({ title: 'Gunmen attack a wedding in a mountain village', summary: 'The bride and the priest were wounded, state prosecutors said.', lang: 'en', publishedAt: t });
  const plain = articleFeatures({ ...spanish, ...base });
  const read = articleFeatures({ ...spanish, ...base, english });

  it('is kept beside the Spanish terms, which Spanish articles still meet', () => {
    expect(read.terms).toEqual(plain.terms);
    expect(Object.keys(read.en!.terms)).toEqual(expect.arrayContaining(['weddi', 'bride']));
    expect(read.sketchKeys.length).toBeGreaterThan(plain.sketchKeys.length);
    expect(similarity(read, plain, defaultIdf)).toBeCloseTo(similarity(plain, plain, defaultIdf), 10);
  });

  it('meets an English article in English: the same event scores as between two English reports', () => {
    const without = similarityDetail(plain, reportEn, defaultIdf);
    const withEn = similarityDetail(read, reportEn, defaultIdf);
    expect(without.pair).toBe('cross');
    expect(withEn.pair).toBe('en-en');
    expect(withEn.score).toBeGreaterThan(0.4);
    expect(withEn.score).toBeGreaterThan(3 * without.score);
    // Symmetric, and an English reading does nothing for an unrelated English article.
    expect(similarityDetail(reportEn, read, defaultIdf).score).toBeCloseTo(withEn.score, 10);
    expect(similarity(read, unrelatedEn, defaultIdf)).toBeLessThan(0.1);
  });

  it('is not read for an English article (nothing to translate)', () => {
    const f = articleFeatures({ title: 'Gunmen attack a wedding', summary: '', lang: 'en', publishedAt: t, english });
    expect(f.en).toBeUndefined();
  });
});

describe('unshared keys (storyline links score without the beat\'s daily cast)', () => {
  it('count in each vector\'s length but never as shared: the score only falls', async () => {
    const { weightedCosine } = await import('../../src/cluster/similarity.js');
    const a = { sheinbaum: 2, reform: 1, vote: 1 };
    const b = { sheinbaum: 2, pension: 1, vote: 1 };
    const all = weightedCosine(a, b, defaultIdf);
    const without = weightedCosine(a, b, defaultIdf, (k) => k === 'sheinbaum');
    expect(without).toBeGreaterThan(0);
    expect(without).toBeLessThan(all);
    // Not the cosine of the vectors with the key removed, which would rise to the shared rest's share.
    expect(without).toBeLessThan(weightedCosine({ reform: 1, vote: 1 }, { pension: 1, vote: 1 }, defaultIdf));
    expect(weightedCosine({ sheinbaum: 1 }, { sheinbaum: 1 }, defaultIdf, () => true)).toBe(0);
  });
  it('do not count as shared evidence', () => {
    const x = articleFeatures({ title: 'Sheinbaum talks tariffs', summary: '', lang: 'en', publishedAt: t });
    const y = articleFeatures({ title: 'Sheinbaum talks water', summary: '', lang: 'en', publishedAt: t });
    expect(similarityDetail(x, y, defaultIdf, undefined, (k) => k === 'shein' || k === 'n:sheinbaum').score).toBeLessThan(similarity(x, y, defaultIdf));
  });
});
