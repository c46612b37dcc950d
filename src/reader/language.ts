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

export function detectLanguage(text: string): DetectedLang | null {
  if (!text) return null;
  const words = text.toLowerCase().slice(0, 2000).match(/[\p{L}']+/gu);
  if (!words || words.length === 0) return null;
  let en = 0;
  let es = 0;
  for (const w of words) {
    if (EN.has(w)) en += 1;
    if (ES.has(w)) es += 1;
    if (ES_CHARS.test(w)) es += 0.75;
    else if (ES_SUFFIX.test(w) && w.length > 5) es += 0.25;
    if (EN_SUFFIX.test(w) && w.length > 4 && !ES_CHARS.test(w)) en += 0.25;
  }
  const total = en + es;
  // Below ~1.5 points a headline is mostly proper nouns: better to fall back to the declared language.
  if (total < 1.5) return null;
  if (es >= en * 1.5) return 'es';
  if (en >= es * 1.5) return 'en';
  return null;
}
