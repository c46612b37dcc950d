import { describe, expect, it } from 'vitest';
import { escapeXml, stripInvalidXml } from '../../src/render/xml.js';

// The five-pass form escapeXml replaced: the fast path must give the same text for any input.
function reference(s: string): string {
  return stripInvalidXml(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

describe('escapeXml', () => {
  it('escapes the five characters and drops what XML forbids', () => {
    expect(escapeXml(`a & b <c> "d" 'e'`)).toBe('a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;');
    expect(escapeXml('bell\u0007 tab\t nl\n \uFFFE lone \uD800 pair \uD83D\uDE00')).toBe('bell tab\t nl\n  lone  pair \uD83D\uDE00');
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
    expect(escapeXml('plain Culiacán text')).toBe('plain Culiacán text');
    expect(escapeXml('')).toBe('');
  });

  it('matches the reference on random strings of special and ordinary characters', () => {
    const alphabet = ['a', 'á', ' ', '&', '<', '>', '"', "'", '\u0000', '\u001F', '\t', '\n', '\r', '\uD83D', '\uDE00', '\uFFFF', 'ñ', ';'];
    let x = 12345;
    for (let n = 0; n < 2000; n++) {
      let s = '';
      const len = n % 17;
      for (let i = 0; i < len; i++) {
        x = (x * 1103515245 + 12345) >>> 0;
        s += alphabet[x % alphabet.length];
      }
      expect(escapeXml(s)).toBe(reference(s));
    }
  });
});
