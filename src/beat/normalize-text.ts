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
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (isAsciiWord(code)) i = asciiToken(text, i, tokens);
    else if (code < 128) i++;
    else {
      const cp = codePointAt(text, i);
      if (foldChar(cp).word) i = foldedToken(text, i, '', '', i, tokens);
      else i += cp > 0xffff ? 2 : 1;
    }
  }
  return tokens;
}

function isAsciiWord(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
}

/** The code point at `i` (a high surrogate that is not the last unit reads as a pair when it is one). */
function codePointAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? text.codePointAt(i)! : code;
}

/**
 * A token starting with ASCII letters/digits. Most words are ASCII only: those are one slice of the input
 * (and one toLowerCase) instead of a string built a character at a time, which is slow to build and to hash.
 * Returns the index after the token.
 */
function asciiToken(text: string, start: number, tokens: Token[]): number {
  let i = start;
  let upper = false;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isAsciiWord(code)) break;
    upper ||= isUpper(code);
  }
  const cased = text.slice(start, i);
  const lower = upper ? cased.toLowerCase() : cased;
  // A word that goes on with non-ASCII letters ("Martínez") is finished character by character.
  if (i < text.length && text.charCodeAt(i) >= 128 && foldChar(codePointAt(text, i)).word) {
    return foldedToken(text, i, cased, lower, start, tokens);
  }
  tokens.push({ folded: lower, cased, start, end: i });
  return i;
}

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

/** Continues a token at `i` (a word character) character by character, folding non-ASCII ones. */
function foldedToken(text: string, i: number, cased: string, lower: string, start: number, tokens: Token[]): number {
  const n = text.length;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (code < 128) {
      if (!isAsciiWord(code)) break;
      cased += text[i];
      lower += isUpper(code) ? String.fromCharCode(code + 32) : text[i];
      i++;
      continue;
    }
    const cp = codePointAt(text, i);
    const f = foldChar(cp);
    if (!f.word) break;
    cased += f.cased;
    lower += f.lower;
    i += cp > 0xffff ? 2 : 1;
  }
  tokens.push({ folded: lower, cased, start, end: i });
  return i;
}

/** Collapses whitespace and trims (used for display and join keys). */
export function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
