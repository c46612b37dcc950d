// Bytes → string for the XML/JSON parsers. Charset precedence: BOM, HTTP Content-Type charset, XML prolog,
// then sniffing (valid UTF-8, else windows-1252). Node 20's TextDecoder maps windows-1252 0x80–0x9F wrongly,
// so everything except UTF-8 validation goes through iconv-lite.
import iconv from 'iconv-lite';
import { AppError } from '../errors.js';

export interface DecodeOptions {
  /** Repair double-encoded UTF-8 ("MartÃ­n" → "Martín") where a run decodes unambiguously. Default true. */
  repairMojibake?: boolean;
}

export interface DecodedFeed {
  text: string;
  /** The charset actually used (canonical lower-case name). */
  encoding: string;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// WHATWG: these labels all mean windows-1252, which recovers smart quotes from mislabelled "Latin-1" feeds.
const WINDOWS_1252_ALIASES = new Set([
  'iso-8859-1', 'iso8859-1', 'iso_8859-1', 'iso88591', 'latin1', 'latin-1', 'l1', 'cp819', 'ibm819',
  'us-ascii', 'ascii', 'ansi_x3.4-1968', 'iso-ir-100', 'csisolatin1', 'cp1252', 'windows-1252', 'x-cp1252',
]);

export function decodeFeedBytes(
  bytes: Uint8Array,
  contentType?: string | null,
  opts: DecodeOptions = {},
): DecodedFeed {
  const bom = sniffBom(bytes);
  let encoding: string;
  let text: string;
  if (bom) {
    encoding = bom.encoding;
    text = decodeWith(bytes.subarray(bom.length), encoding);
  } else {
    const declared = normalizeCharset(charsetFromContentType(contentType)) ?? normalizeCharset(prologEncoding(bytes));
    const chosen = chooseEncoding(bytes, declared);
    encoding = chosen.encoding;
    text = chosen.utf8Text ?? decodeWith(bytes, encoding);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = stripPrologEncoding(text);
  // C0 controls other than tab/LF/CR are not allowed anywhere in XML 1.0 and only ever appear as garbage.
  text = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
  if (opts.repairMojibake !== false) text = repairMojibake(text);
  return { text, encoding };
}

function sniffBom(b: Uint8Array): { encoding: string; length: number } | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return { encoding: 'utf-32le', length: 4 };
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  // XML 1.0 Appendix F: BOM-less UTF-16 still starts with "<?" in two-byte units.
  if (b[0] === 0x3c && b[1] === 0 && b[2] === 0x3f && b[3] === 0) return { encoding: 'utf-16le', length: 0 };
  if (b[0] === 0 && b[1] === 0x3c && b[2] === 0 && b[3] === 0x3f) return { encoding: 'utf-16be', length: 0 };
  return null;
}

export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType);
  return m ? m[1] : null;
}

function prologEncoding(bytes: Uint8Array): string | null {
  // The prolog is ASCII-compatible for every charset that reaches here (UTF-16/32 are caught by the BOM sniff).
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 512)).toString('latin1');
  const end = head.indexOf('?>');
  if (!head.trimStart().startsWith('<?xml') || end < 0) return null;
  const m = /encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']/.exec(head.slice(0, end));
  return m ? m[1] : null;
}

/** Canonical charset name that iconv-lite can decode, or null for unknown/absent labels. */
export function normalizeCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label.trim().toLowerCase();
  if (WINDOWS_1252_ALIASES.has(l)) return 'windows-1252';
  if (l === 'utf8' || l === 'utf-8' || l === 'unicode-1-1-utf-8') return 'utf-8';
  if (l === 'gb2312' || l === 'gbk' || l === 'x-gbk') return 'gb18030';
  if (l === 'utf-16' || l === 'utf16') return 'utf-16le';
  return iconv.encodingExists(l) ? l : null;
}

/** The charset to decode with, and the text itself when it is UTF-8 (validating it decoded it already). */
function chooseEncoding(body: Uint8Array, declared: string | null): { encoding: string; utf8Text: string | null } {
  if (declared && /^utf-(16|32)/.test(declared)) return { encoding: declared, utf8Text: null };
  const utf8Text = strictUtf8(body);
  // A declared single-byte charset over bytes that are valid, non-ASCII UTF-8 is a mislabel (a real
  // Latin-1/Cyrillic text is practically never valid UTF-8), so decoding as declared would double-encode.
  if (utf8Text !== null && (declared === null || declared === 'utf-8' || isSingleByte(declared))) return { encoding: 'utf-8', utf8Text };
  if (declared && declared !== 'utf-8') return { encoding: declared, utf8Text: null };
  return { encoding: 'windows-1252', utf8Text: null };
}

/** The bytes as UTF-8, or null when they are not valid UTF-8. */
function strictUtf8(b: Uint8Array): string | null {
  try {
    return utf8Strict.decode(b);
  } catch {
    return null;
  }
}

function isSingleByte(enc: string): boolean {
  return /^(windows-125\d|iso-8859-\d+|koi8-[ru]|macintosh|cp\d+|ibm\d+)$/.test(enc);
}

function decodeWith(body: Uint8Array, encoding: string): string {
  try {
    if (encoding === 'utf-8') return Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8');
    return iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.length), encoding);
  } catch (cause) {
    throw new AppError('decode_failed', `cannot decode feed as ${encoding}`, { cause });
  }
}

/** The text is now UTF-16 in memory: a stale encoding="…" would make some XML parsers re-decode it. */
function stripPrologEncoding(text: string): string {
  if (!text.startsWith('<?xml')) return text;
  const end = text.indexOf('?>');
  if (end < 0 || end > 512) return text;
  const prolog = text.slice(0, end).replace(/\s+encoding\s*=\s*["'][^"']*["']/, '');
  return prolog + text.slice(end);
}

// Characters that windows-1252 (WHATWG, undefined bytes → C1 controls) maps from bytes 0x80–0xBF,
// i.e. what UTF-8 continuation bytes look like after a wrong cp1252 decode.
const CONT = '[\\u0080-\\u00BF\\u20AC\\u201A\\u0192\\u201E\\u2026\\u2020\\u2021\\u02C6\\u2030\\u0160\\u2039\\u0152\\u017D\\u2018\\u2019\\u201C\\u201D\\u2022\\u2013\\u2014\\u02DC\\u2122\\u0161\\u203A\\u0153\\u017E\\u0178]';
const MOJIBAKE_RUN = new RegExp(`[\\u00C2-\\u00DF]${CONT}|[\\u00E0-\\u00EF]${CONT}{2}|[\\u00F0-\\u00F4]${CONT}{3}`, 'g');
const MOJIBAKE_HINT = /[\u00C2-\u00F4]/;

/**
 * Repairs UTF-8 that was decoded as windows-1252 and re-encoded ("MartÃ­n"). Each candidate run is re-encoded
 * to cp1252 bytes and kept only if those bytes form exactly one valid UTF-8 character, so genuine text such
 * as "SÃO PAULO" (Ã before a letter) is left alone.
 */
export function repairMojibake(text: string): string {
  if (!MOJIBAKE_HINT.test(text)) return text;
  return text.replace(MOJIBAKE_RUN, (run) => {
    const bytes = iconv.encode(run, 'windows-1252');
    // iconv-lite has no byte for the C1 controls WHATWG keeps; restore them as their own code points.
    for (let i = 0; i < run.length; i++) {
      const c = run.charCodeAt(i);
      if (c >= 0x80 && c <= 0x9f) bytes[i] = c;
    }
    try {
      const fixed = utf8Strict.decode(bytes);
      return fixed.length === 1 || (fixed.length === 2 && fixed.codePointAt(0)! > 0xffff) ? fixed : run;
    } catch {
      return run;
    }
  });
}
