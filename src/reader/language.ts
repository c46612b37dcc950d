// Stopword voting between English and Spanish. Feeds often declare the wrong language (scrapers stamp
// "en" on Spanish outlets), so the text decides when it has enough signal, even for a single headline.
export type DetectedLang = 'en' | 'es';

const EN = new Set(
  ('the of and to in is for on that with as by at from it its this be are was were has have had will would ' +
    'an not but or after over says said into about than more new who what when how why which their they his her ' +
    'he she we you our out up amid against could should may can been being just first two year years near under ' +
    'across before during while now than there all')
    .split(' '),
);
const ES = new Set(
  ('el la los las de del y en que un una unos unas por para con no se su sus al es lo como más pero ya ' +
    'fue son está están ha han sobre entre tras ante sin desde hasta durante contra según este esta estos ' +
    'estas ese esa le les nos muy también cuando donde porque qué cómo quién ser sido hay dice dijo años año ' +
    'afirma asegura rechaza tiene van será ni o e u mil tras')
    .split(' '),
);

// Letters and word shapes that only occur in Spanish among the two languages.
const ES_CHARS = /[ñ¿¡áéíóú]/i;
const ES_SUFFIX = /(ción|ciones|mente|dad|dades|ería|ado|ada|idos|idas)$/;
const EN_SUFFIX = /(ing|tion|ness|ly|ed|'s)$/;

const MAX_CHARS = 2000;
const LETTER = /\p{L}/u;
// Per-code-point letter test for non-ASCII characters: a regex call per character is slow, and news text
// reuses few distinct ones.
const letterCache = new Map<number, boolean>();

const MAX_STOPWORD = Math.max(...[...EN, ...ES].map((w) => w.length));

/** The code point at `i`; String#codePointAt is slower, and only a high surrogate can start a pair. */
function codePointAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff ? s.codePointAt(i)! : c;
}

/** Whether the code point is part of a word: a Unicode letter or an apostrophe. */
function isWordChar(cp: number): boolean {
  if (cp < 128) return cp === 0x27 || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a);
  let letter = letterCache.get(cp);
  if (letter === undefined) {
    letter = LETTER.test(String.fromCodePoint(cp));
    // Bound the cache: untrusted input could otherwise grow it with every code point.
    if (letterCache.size < 4096) letterCache.set(cp, letter);
  }
  return letter;
}

interface Votes {
  en: number;
  es: number;
}

export function detectLanguage(text: string): DetectedLang | null {
  if (!text) return null;
  const lower = text.toLowerCase().slice(0, MAX_CHARS);
  const votes: Votes = { en: 0, es: 0 };
  // Words are scanned by code point: the same words as lower.match(/[\p{L}']+/gu), without building the
  // array or running a Unicode regex over the whole text.
  for (let i = 0; i < lower.length; ) {
    const start = i;
    let ascii = true;
    while (i < lower.length) {
      const cp = codePointAt(lower, i);
      if (!isWordChar(cp)) break;
      if (cp >= 128) ascii = false;
      i += cp > 0xffff ? 2 : 1;
    }
    if (i > start) vote(votes, lower.slice(start, i), ascii);
    else i += codePointAt(lower, i) > 0xffff ? 2 : 1;
  }
  const { en, es } = votes;
  const total = en + es;
  // Below ~1.5 points a headline is mostly proper nouns: better to fall back to the declared language.
  if (total < 1.5) return null;
  if (es >= en * 1.5) return 'es';
  if (en >= es * 1.5) return 'en';
  return null;
}

function vote(votes: Votes, w: string, ascii: boolean): void {
  // Hashing every word for the lookups is a good part of the cost: longer words cannot be stopwords.
  if (w.length <= MAX_STOPWORD) {
    if (EN.has(w)) votes.en += 1;
    if (ES.has(w)) votes.es += 1;
  }
  // Every ES_CHARS letter is non-ASCII: the regex can only match a word that has one.
  const esChars = !ascii && ES_CHARS.test(w);
  if (esChars) votes.es += 0.75;
  else if (w.length > 5 && ES_SUFFIX.test(w)) votes.es += 0.25;
  if (w.length > 4 && !esChars && EN_SUFFIX.test(w)) votes.en += 0.25;
}
