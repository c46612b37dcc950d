// Text folding and tokenization shared by rule compilation and classification.
// Patterns and articles go through the same tokenizer, so "U.S.-Mexico", "EE.UU." or "cártel" in a rule
// match exactly what the same spelling produces in an article.

/** One word of the input, with offsets into the ORIGINAL string (for evidence). */
export interface Token {
  /** Lower-cased, accent-stripped form ("cártel" → "cartel"). */
  folded: string;
  /** Accent-stripped but case-preserved form, for case-sensitive patterns ("ICE" vs "ice"). */
  cased: string;
  start: number;
  end: number;
}

// Per-character fold cache: NFD + strip combining marks is slow, and news text reuses few distinct characters.
const foldCache = new Map<number, { cased: string; lower: string; word: boolean }>();
const WORD_CHAR = /[\p{L}\p{N}]/u;
const COMBINING = /\p{M}/gu;

function foldChar(code: number): { cased: string; lower: string; word: boolean } {
  let entry = foldCache.get(code);
  if (entry === undefined) {
    const ch = String.fromCodePoint(code);
    const word = WORD_CHAR.test(ch);
    const cased = word ? ch.normalize('NFD').replace(COMBINING, '') : '';
    entry = { cased, lower: cased.toLowerCase(), word };
    // Bound the cache: untrusted input could otherwise grow it with every code point.
    if (foldCache.size < 4096) foldCache.set(code, entry);
  }
  return entry;
}

/** Case- and accent-insensitive form of a string (letters and digits kept, other characters as-is). */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(COMBINING, '').toLowerCase();
}

/**
 * Splits text into maximal runs of Unicode letters/digits. Everything else (spaces, punctuation, hyphens,
 * apostrophes, periods) is a boundary, so "U.S." → ["u","s"], "narco-terrorism" → ["narco","terrorism"],
 * "Mexico's" → ["mexico","s"]. Linear time, no regular expressions on the input.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let cased = '';
  let lower = '';
  let start = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    let isWord: boolean;
    let c: string;
    let l: string;
    let width = 1;
    if (code < 128) {
      // ASCII fast path.
      if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
        isWord = true;
        c = l = text[i];
      } else if (code >= 65 && code <= 90) {
        isWord = true;
        c = text[i];
        l = String.fromCharCode(code + 32);
      } else {
        isWord = false;
        c = l = '';
      }
    } else {
      let cp = code;
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < n) {
        cp = text.codePointAt(i)!;
        if (cp > 0xffff) width = 2;
      }
      const f = foldChar(cp);
      isWord = f.word;
      c = f.cased;
      l = f.lower;
    }
    if (isWord) {
      if (start < 0) start = i;
      cased += c;
      lower += l;
    } else if (start >= 0) {
      tokens.push({ folded: lower, cased, start, end: i });
      cased = lower = '';
      start = -1;
    }
    if (width === 2) i++;
  }
  if (start >= 0) tokens.push({ folded: lower, cased, start, end: n });
  return tokens;
}

/** Collapses whitespace and trims (used for display and join keys). */
export function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
