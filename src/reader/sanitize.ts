// Feed HTML is untrusted: keep structure and links, drop scripts, event handlers, styles and non-http(s)
// URLs, and make relative URLs absolute so stored HTML renders the same anywhere.
import sanitizeHtml from 'sanitize-html';
import { HTML_ENTITIES } from './html-entities.js';
import { resolveUrl } from './canonical-url.js';

const EXTRA_TAGS = [
  'img', 'figure', 'figcaption', 'picture', 'source', 'del', 'ins', 'sub', 'sup', 'small', 'big', 'q', 's', 'u',
  'time', 'mark', 'cite', 'dfn', 'kbd', 'samp', 'var', 'bdo', 'center', 'font', 'tt', 'strike', 'address', 'dir',
  'menu', 'nobr', 'wbr', 'legend', 'fieldset', 'col', 'colgroup', 'acronym',
];

const URL_ATTRS = ['href', 'src', 'cite', 'poster'];

function options(baseUrl: string | null): sanitizeHtml.IOptions {
  return {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, ...EXTRA_TAGS],
    allowedAttributes: {
      a: ['href', 'title', 'hreflang'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      source: ['src', 'type', 'media'],
      blockquote: ['cite'],
      q: ['cite'],
      del: ['cite', 'datetime'],
      ins: ['cite', 'datetime'],
      time: ['datetime'],
      abbr: ['title'],
      acronym: ['title'],
      td: ['colspan', 'rowspan', 'headers'],
      th: ['colspan', 'rowspan', 'headers', 'scope'],
      ol: ['start', 'type', 'reversed'],
      '*': ['lang', 'dir'],
    },
    // data: is excluded on purpose: it smuggles SVG/HTML payloads past the tag filter.
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'poster'],
    allowProtocolRelative: true,
    disallowedTagsMode: 'discard',
    transformTags: baseUrl ? { '*': absolutize(baseUrl) } : {},
  };
}

function absolutize(baseUrl: string): sanitizeHtml.Transformer {
  return (tagName, attribs) => {
    for (const name of URL_ATTRS) {
      const v = attribs[name];
      if (v === undefined) continue;
      const abs = resolveUrl(v, baseUrl);
      // Leave unresolvable values alone: the scheme filter that runs afterwards drops the unsafe ones.
      if (abs && /^https?:/i.test(abs)) attribs[name] = abs;
    }
    return { tagName, attribs };
  };
}

export function sanitizeFeedHtml(html: string, baseUrl: string | null = null): string {
  if (!html) return '';
  // Without tags or character references there is nothing to drop or escape: sanitize-html would return the
  // text as is, after a per-call setup (option maps, a parser) that costs more than many a summary.
  if (!MARKUP_CHARS.test(html)) return html.trim();
  // sanitize-html is quadratic in nesting depth (80k unclosed <b> took 2.6 s; an 8 MB body, the best part of an
  // hour of blocked event loop). Real feed HTML nests a few dozen levels: past the bound keep the text only.
  if (nestingDepth(html) > MAX_NESTING) return `<p>${escapeHtml(htmlToText(html))}</p>`;
  return sanitizeHtml(html, options(baseUrl)).trim();
}

const MARKUP_CHARS = /[<>&]/;
const MAX_NESTING = 512;
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(\/?)>/g;
// Elements that never hold children, or that the parser closes implicitly when a sibling opens.
const NO_DEPTH = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
  'p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option',
]);

/** Upper bound of the element nesting depth, in one linear pass (no parse). */
function nestingDepth(html: string): number {
  if (html.length < MAX_NESTING * 3) return 0;
  let depth = 0;
  let max = 0;
  TAG.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TAG.exec(html)) !== null) {
    if (m[3] || NO_DEPTH.has(m[2]!.toLowerCase())) continue;
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (++depth > max) max = depth;
  }
  return max;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const BLOCK_TAG = /^\/?(p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|header|footer|figure|figcaption|pre|hr|dd|dt|dl)\b/i;
const RAW_TEXT_TAGS = ['script', 'style', 'noscript', 'template', 'textarea'];

/** Plain text from an HTML fragment: tags removed (blocks become spaces), entities decoded, spaces collapsed. */
export function htmlToText(html: string): string {
  if (!html) return '';
  if (html.indexOf('<') < 0) return collapse(decodeHtmlEntities(html));
  let out = '';
  let i = 0;
  const lower = html.toLowerCase();
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    // A "<" not starting a tag is literal text (e.g. "a < b").
    if (!/[A-Za-z/!?]/.test(html.charAt(lt + 1))) {
      out += '<';
      i = lt + 1;
      continue;
    }
    i = skipMarkup(html, lower, lt);
    if (BLOCK_TAG.test(html.slice(lt + 1, lt + 12))) out += ' ';
  }
  return collapse(decodeHtmlEntities(out));
}

/** Index just past the markup starting at `lt` (a tag, comment, or raw-text element with its contents). */
function skipMarkup(html: string, lower: string, lt: number): number {
  if (html.startsWith('<!--', lt)) {
    const end = html.indexOf('-->', lt + 4);
    return end < 0 ? html.length : end + 3;
  }
  const gt = tagEnd(html, lt);
  if (gt < 0) return html.length;
  for (const tag of RAW_TEXT_TAGS) {
    if (lower.startsWith(tag, lt + 1) && !/[a-z0-9]/.test(lower.charAt(lt + 1 + tag.length))) {
      const close = lower.indexOf(`</${tag}`, gt);
      if (close < 0) return html.length;
      const closeGt = html.indexOf('>', close);
      return closeGt < 0 ? html.length : closeGt + 1;
    }
  }
  return gt + 1;
}

/** Index of the ">" closing the tag at `lt`, ignoring ">" inside quoted attribute values. */
function tagEnd(html: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < html.length; i++) {
    const c = html.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      // Only an attribute value opens a quote (after "="); a stray apostrophe in a tag does not.
      if (html.charCodeAt(i - 1) === 0x3d || /=\s*$/.test(html.slice(Math.max(lt, i - 4), i))) quote = c;
    } else if (c === 0x3e) return i;
  }
  return -1;
}

// Whitespace that collapsing would change: any but a plain space, two in a row, or one at either end. Most text
// has none, and a test allocates nothing where the replace would always build a new string.
const UNCOLLAPSED = /[^\S ]| {2}|^ | $/;

/** Whitespace runs (NBSP included) become one space; leading and trailing ones go. */
export function collapse(s: string): string {
  return UNCOLLAPSED.test(s) ? s.replace(/[\s\u00a0]+/g, ' ').trim() : s;
}

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

/** Decodes numeric and HTML 4 named character references once; unknown names are kept verbatim. */
export function decodeHtmlEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(ENTITY, (m, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    const cp = dec ? parseInt(dec, 10) : hex ? parseInt(hex, 16) : HTML_ENTITIES[name!];
    if (cp === undefined || cp > 0x10ffff || cp === 0) return m;
    return String.fromCodePoint(cp);
  });
}
