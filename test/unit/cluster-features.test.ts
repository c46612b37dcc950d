import { describe, expect, it } from 'vitest';
import { articleFeatures, extractNumbers, stemLite, stripOutletSuffix } from '../../src/cluster/features.js';
import { defaultLexicon, matchLexicon } from '../../src/cluster/lexicon.js';
import { foldText } from '../../src/dedup/fingerprint.js';

const t = new Date('2025-11-20T12:00:00Z');

describe('lexicon', () => {
  it('has ~80+ entries with unique ids and maps EN and ES forms to the same concept', () => {
    const LEXICON = defaultLexicon().entries;
    expect(LEXICON.length).toBeGreaterThanOrEqual(80);
    expect(new Set(LEXICON.map((e) => e.id)).size).toBe(LEXICON.length);
    const pairs: [string, string][] = [
      ['cartel', 'cártel'], ['extradition', 'extradición'], ['fentanyl', 'fentanilo'], ['border', 'frontera'],
      ['troops', 'tropas'], ['drone', 'dron'], ['strike', 'ataque'], ['sovereignty', 'soberanía'],
      ['tariff', 'arancel'], ['seizure', 'decomiso'], ['special forces', 'fuerzas especiales'], ['kidnapping', 'secuestro'],
    ];
    for (const [en, es] of pairs) {
      const a = [...matchLexicon(foldText(en).split(' ')).keys()];
      const b = [...matchLexicon(foldText(es).split(' ')).keys()];
      expect(a, `${en}/${es}`).toHaveLength(1);
      expect(a).toEqual(b);
    }
  });
  it('prefers the longest phrase', () => {
    expect([...matchLexicon(foldText('el Cártel de Sinaloa').split(' ')).keys()]).toEqual(['o:sinaloa-cartel']);
  });
});

describe('articleFeatures', () => {
  it('normalises numbers across languages', () => {
    expect(extractNumbers('10,000 troops')).toEqual(['#10000']);
    expect(extractNumbers('10.000 elementos')).toEqual(['#10000']);
    expect(extractNumbers('10 mil soldados')).toEqual(['#10000']);
    expect(extractNumbers('in 2025, 55 members')).toEqual(['#55']);
  });
  it('strips an outlet suffix and stems lightly', () => {
    expect(stripOutletSuffix('Tony Dow, Leave It to Beaver star, dies at 77 - CBS News')).toBe('Tony Dow, Leave It to Beaver star, dies at 77');
    expect(stemLite('cartels')).toBe(stemLite('carteles'));
  });
  it('extracts language-independent anchors and ≤ 18 integer sketch keys', () => {
    const f = articleFeatures({
      title: 'Mexico sends 55 cartel members to the US',
      summary: 'Claudia Sheinbaum said the transfer of the prisoners was a sovereign decision.',
      lang: 'en', entities: [{ id: 'person:claudia-sheinbaum' }], publishedAt: t,
    });
    expect(Object.keys(f.anchors)).toEqual(expect.arrayContaining(['#55', 'c:cartel', 'p:mx', 'p:us', 'e:person:claudia-sheinbaum', 'n:sheinbaum']));
    expect(f.sketchKeys.length).toBeGreaterThan(0);
    expect(f.sketchKeys.length).toBeLessThanOrEqual(18);
    for (const k of f.sketchKeys) expect(k).toBe(k | 0);
    expect(JSON.parse(JSON.stringify(f))).toEqual(f); // storable as jsonb
  });
  it('is deterministic', () => {
    const input = { title: 'Extradición de 26 capos', summary: 'La FGR envió a EU a 26 presos.', lang: 'es', publishedAt: t };
    expect(articleFeatures(input)).toEqual(articleFeatures(input));
  });
});

describe('feed footers', () => {
  it('drops the WordPress footer and read-more links, keeps the text', async () => {
    const { stripFeedFooter } = await import('../../src/cluster/features.js');
    expect(stripFeedFooter('Passengers flood flights. The post The top flight into Mexico appeared first on Mexico News Daily')).toBe('Passengers flood flights.');
    expect(stripFeedFooter('El alcalde fue detenido. La entrada Detienen al alcalde se publicó primero en Noticias del Sur.')).toBe('El alcalde fue detenido.');
    expect(stripFeedFooter('Troops deployed to the border. Continue reading…')).toBe('Troops deployed to the border.');
    expect(stripFeedFooter('Take this quiz to find out. View Entire Post › ')).toBe('Take this quiz to find out.');
    expect(stripFeedFooter('Detienen al alcalde de Uruapan. Ver nota completa »')).toBe('Detienen al alcalde de Uruapan.');
    expect(stripFeedFooter('Prices rose 4% → 5% in March.')).toBe('Prices rose 4% → 5% in March.');
    expect(stripFeedFooter('Dijo el fiscal: «no habrá impunidad»')).toBe('Dijo el fiscal: «no habrá impunidad»');
    expect(stripFeedFooter('Nothing to strip here.')).toBe('Nothing to strip here.');
  });
  it('drops the outlet naming itself, as written, after the footer that names it', async () => {
    const { leadOf, outletName, stripOutletName } = await import('../../src/cluster/features.js');
    expect(outletName('Mexico News Daily - Article Feed')).toBe('Mexico News Daily');
    expect(outletName('Reforma — Justicia')).toBe('Reforma');
    expect(outletName('Reuters via Google News (Mexico security)')).toBe('Reuters');
    expect(outletName('AP')).toBeNull();
    expect(stripOutletName("Mexico News Daily's podcast takes a break to talk to residents.", 'Mexico News Daily')).toBe('podcast takes a break to talk to residents.');
    expect(stripOutletName('Marcha en Paseo de la Reforma; la reforma judicial sigue.', 'Reforma — Justicia')).toBe('Marcha en Paseo de la ; la reforma judicial sigue.');
    expect(stripOutletName('Reformation Day in Reforma', 'Reforma')).toBe('Reformation Day in');
    // The footer goes first: it names the outlet, and without its name it would no longer be recognised.
    expect(leadOf('Three arrests. The post 3 more arrests appeared first on Mexico News Daily', 'Mexico News Daily')).toBe('Three arrests.');
  });
});
