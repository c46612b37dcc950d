import { describe, expect, it } from 'vitest';
import { foldText, inflections, Matcher, PatternError, tokenize } from '../../src/beat/index.js';

const find = (patterns: (string | [string, { caseSensitive?: boolean; exact?: boolean }])[], text: string) => {
  const m = new Matcher<string>();
  for (const p of patterns) typeof p === 'string' ? m.add(p, p) : m.add(p[0], p[0], p[1]);
  return m.match(tokenize(text)).map((h) => `${h.payload}=${text.slice(h.start, h.end)}`);
};

describe('normalize-text', () => {
  it('folds case and accents and splits on punctuation with original offsets', () => {
    expect(foldText('Cártel de Sinaloa, MÉXICO')).toBe('cartel de sinaloa, mexico');
    const t = tokenize('EE.UU. y el “Cártel” — U.S.-Mexico');
    expect(t.map((x) => x.folded)).toEqual(['ee', 'uu', 'y', 'el', 'cartel', 'u', 's', 'mexico']);
    expect(t[4]).toMatchObject({ cased: 'Cartel', start: 13, end: 19 });
  });
  it('handles astral characters and empty input', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('😀 narco 😀').map((x) => x.folded)).toEqual(['narco']);
  });
});

describe('matcher', () => {
  it('matches whole words only', () => {
    expect(find(['ice'], 'Justice and police')).toEqual([]);
    expect(find(['cartel'], 'Cartelera de cine')).toEqual([]);
  });
  it('inflects EN/ES plurals: cártel → cartel, cárteles, carteles, cartels', () => {
    expect(find(['cártel'], 'cartel, cárteles, carteles, cartels')).toHaveLength(4);
    expect(inflections('cartel')).toEqual(expect.arrayContaining(['cartels', 'carteles']));
  });
  it('prefix wildcard: extradit* → extradited, extraditado, extradición, extradiciones', () => {
    expect(find(['extradit*'], 'extradited extraditado extradición extradiciones extra').map((s) => s.split('=')[1])).toEqual([
      'extradited', 'extraditado', 'extradición', 'extradiciones',
    ]);
  });
  it('matches phrases across punctuation and accents', () => {
    expect(find(['U.S.-Mexico border'], 'along the US–Mexico border.')).toEqual([]); // "US" ≠ "U.S." tokens
    expect(find(['U.S.-Mexico border'], 'along the U.S. Mexico border.')).toEqual(['U.S.-Mexico border=U.S. Mexico border']);
    expect(find(['Golfo de México'], 'en el golfo de mexico')).toEqual(['Golfo de México=golfo de mexico']);
  });
  it('case-sensitive and exact patterns', () => {
    expect(find([['ICE', { caseSensitive: true }]], 'ICE agents; thin ice; Ice Age')).toEqual(['ICE=ICE']);
    expect(find(['=troop'], 'troop troops')).toEqual(['=troop=troop']);
  });
  it('rejects bad patterns', () => {
    expect(() => new Matcher().add('ex*', 1)).toThrow(PatternError);
    expect(() => new Matcher().add('a*b', 1)).toThrow(PatternError);
    expect(() => new Matcher().add('  ', 1)).toThrow(PatternError);
  });
  it('is linear on hostile input (no regex backtracking)', () => {
    const m = new Matcher<number>();
    m.add('a a a a a a b', 1);
    m.add('aaa*', 2);
    const text = 'a '.repeat(50_000) + 'a'.repeat(100_000);
    const t0 = performance.now();
    m.match(tokenize(text));
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
