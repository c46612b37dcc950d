import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/reader/language.js';

describe('detectLanguage', () => {
  it.each([
    ['Sheinbaum rechaza cualquier intervención de Estados Unidos en México', 'es'],
    ['Detienen en Sinaloa a presunto operador del cártel', 'es'],
    ['¿Qué pasará con los aranceles?', 'es'],
    ['Trump says cartels are terrorists and will be treated as such', 'en'],
    ['Mexico extradites 26 cartel figures to the US', 'en'],
  ])('%s → %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });
  it('returns null when a headline is only names', () => {
    expect(detectLanguage('Claudia Sheinbaum')).toBeNull();
    expect(detectLanguage('')).toBeNull();
  });
});
