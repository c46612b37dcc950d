// Property-based fuzzing of the reader with fast-check: random bytes and strings, XML-shaped token soup,
// mutated real feeds (bit flips, truncation, tag deletion, hostile insertions) and random raw items. The
// property everywhere: nothing but an AppError escapes. canonicalizeUrl never throws and is idempotent.
// Defaults are fixed so CI is deterministic; FUZZ_SEED=<n> and FUZZ_RUNS=<multiplier> explore further.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { canonicalizeUrl, resolveUrl } from '../../src/reader/canonical-url.js';
import { decodeFeedBytes } from '../../src/reader/decode.js';
import { normalizeItem } from '../../src/reader/normalize-item.js';
import { parseFeed, prepareXml } from '../../src/reader/parse-feed.js';
import type { RawItem } from '../../src/reader/raw-feed.js';
import { readFeed } from '../../src/reader/read-feed.js';
import { htmlToText, sanitizeFeedHtml } from '../../src/reader/sanitize.js';
import { CORPUS_MISSING_MESSAGE, corpusDir } from '../helpers/corpus.js';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261125;
const RUNS = Number(process.env.FUZZ_RUNS ?? 1);
const params = (numRuns: number) => ({ seed: SEED, numRuns: Math.round(numRuns * RUNS) });
const NOW = new Date('2026-11-25T12:00:00Z');

/** Runs fn; an AppError is an accepted outcome, anything else fails the property. */
async function onlyAppError(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!isAppError(e)) throw e;
  }
}

const BOMS = [[], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0xff, 0xfe, 0, 0], [0, 0, 0xfe, 0xff], [0x3c, 0, 0x3f, 0]];
const CHARSETS = ['utf-8', 'iso-8859-1', 'windows-1251', 'koi8-r', 'shift_jis', 'euc-kr', 'gb2312', 'utf-16', 'utf-32', 'x-unknown', 'utf-7', ''];
const XML_TOKENS = [
  '<?xml version="1.0" encoding="iso-8859-1"?>', '<?xml version="1.0" encoding="utf-16"?>', '<rss version="2.0">', '</rss>',
  '<channel>', '</channel>', '<item>', '</item>', '<title>', '</title>', '<link>', '</link>', '<guid>', '</guid>',
  '<description>', '</description>', '<content:encoded>', '</content:encoded>', '<feed xmlns="http://www.w3.org/2005/Atom">',
  '</feed>', '<entry>', '</entry>', '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">', '</div></content>',
  '<content type="application/octet-stream">', '<summary type="html">', '</summary>', '<rdf:RDF>', '</rdf:RDF>',
  '<![CDATA[', ']]>', '<!--', '-->', '<!DOCTYPE rss [<!ENTITY x "y">]>', '&amp;', '&lt;', '&#0;', '&#x110000;', '&#xD800;',
  '&nbsp;', '&bogus;', '&', '<', '>', '"', "'", ' xml:base="../x/"', ' xml:base="javascript:alert(1)"', '<b>', '</b>',
  '<a href="javascript:alert(1)">', '<img src=x onerror=alert(1)>', '<script>alert(1)</script>', 'http://a.example/p?utm_source=x',
  '<pubDate>Tue, 31 Feb 1999 25:61:61 XYZ</pubDate>', '<pubDate>99999-01-01</pubDate>', '<enclosure url="//x" length="-1"/>',
  '<category>', '</category>', '{"items":[', ']}', '{"version":"https://jsonfeed.org/version/1.1","items":[{"id":1,"url":"x"}]}',
  '\u0000', '\uFFFE', '\uD800', '\u202E', 'é', '中文', '\r\n', '\t', ' ',
];

const xmlSoup = fc.array(fc.constantFrom(...XML_TOKENS), { maxLength: 60 }).map((t) => t.join(''));

describe('decodeFeedBytes on random bytes', () => {
  it('returns text or throws AppError, for any bytes and any declared charset', async () => {
    const bytes = fc
      .tuple(fc.constantFrom(...BOMS), fc.uint8Array({ maxLength: 600 }), fc.option(fc.constantFrom(...CHARSETS)))
      .map(([bom, body, cs]) => ({ bytes: Uint8Array.from([...bom, ...body]), contentType: cs === null ? null : `text/xml; charset=${cs}` }));
    await fc.assert(
      fc.asyncProperty(bytes, async ({ bytes, contentType }) => {
        await onlyAppError(() => {
          const r = decodeFeedBytes(bytes, contentType);
          expect(typeof r.text).toBe('string');
          // No XML-invalid C0 control survives into the parser.
          expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(r.text)).toBe(false);
        });
      }),
      params(1500),
    );
  });
});

describe('parseFeed / readFeed on random input', () => {
  it('random strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })), async (s) => {
        await onlyAppError(() => parseFeed(s, 'https://fuzz.example/feed'));
      }),
      params(800),
    );
  });

  it('XML- and JSON-shaped token soup, through the whole reader stage', async () => {
    await fc.assert(
      fc.asyncProperty(xmlSoup, fc.option(fc.constantFrom(...CHARSETS)), async (doc, cs) => {
        await onlyAppError(async () => {
          const r = await readFeed(Buffer.from(doc), { contentType: cs === null ? null : `application/xml; charset=${cs}`, feedUrl: 'https://fuzz.example/feed', now: NOW });
          for (const it of r.items) {
            expect(it.summaryHtml).not.toMatch(/<script|<[^>]*\son\w+\s*=|<[^>]*=\s*["']?\s*javascript:/i);
            if (it.url) expect(it.url).toMatch(/^https?:\/\//);
          }
        });
      }),
      params(800),
    );
  });
});

const SEED_FEEDS = [
  'rss-parser-fixtures/test/input/heise.atom',
  'rss-parser-fixtures/test/input/narro.rss',
  'rss-parser-fixtures/test/input/uolNoticias.rss',
  'rss-parser-fixtures/test/input/heraldsun.rss',
  'rss-parser-fixtures/test/input/instant-article.rss',
  'feedparser-tests/tests/json/example.json',
];
const corpus = corpusDir();
const seeds = corpus ? SEED_FEEDS.map((f) => path.join(corpus, f)).filter(existsSync).map((f) => readFileSync(f)) : [];
if (!corpus) console.warn(`parser-fuzz (mutated real feeds): ${CORPUS_MISSING_MESSAGE}`);

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'truncate'; at: number }
  | { op: 'delete-tag'; at: number }
  | { op: 'insert'; at: number; token: string }
  | { op: 'duplicate'; at: number; len: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('delete-tag' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), token: fc.constantFrom(...XML_TOKENS) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 400 }) }),
);

export function mutate(input: Buffer, ops: Mutation[]): Buffer {
  let b = Buffer.from(input);
  for (const m of ops) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    if (m.op === 'flip') b[at] = b[at]! ^ (1 << m.bit);
    else if (m.op === 'truncate') b = b.subarray(0, at);
    else if (m.op === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(m.token), b.subarray(at)]);
    else if (m.op === 'duplicate') b = Buffer.concat([b.subarray(0, at + m.len), b.subarray(at, at + m.len), b.subarray(at + m.len)]);
    else {
      // Deletes the tag (start, end or empty) that begins at the first "<" at or after `at`.
      const lt = b.indexOf(0x3c, at);
      const gt = lt < 0 ? -1 : b.indexOf(0x3e, lt);
      if (gt > lt) b = Buffer.concat([b.subarray(0, lt), b.subarray(gt + 1)]);
    }
  }
  return b;
}

describe.runIf(seeds.length > 0)('readFeed on mutated real feeds', () => {
  it(`byte flips, truncation, tag deletion and insertions of ${SEED_FEEDS.length} corpus feeds`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(seeds.length - 1), fc.array(mutation, { minLength: 1, maxLength: 6 }), async (i, ops) => {
        await onlyAppError(() => readFeed(mutate(seeds[i]!, ops), { contentType: null, feedUrl: 'https://fuzz.example/feed.xml', now: NOW }));
      }),
      params(400),
    );
  });
});

describe('normalizeItem on random raw items', () => {
  const str = fc.option(fc.oneof(fc.string({ maxLength: 80 }), fc.webUrl(), xmlSoup, fc.constantFrom('javascript:alert(1)', '//x', '%', 'http://[::1', 'data:text/html,<script>')));
  const kind = fc.constantFrom('text' as const, 'html' as const);
  const raw: fc.Arbitrary<RawItem> = fc.record({
    format: fc.constantFrom('rss' as const, 'atom' as const, 'json' as const),
    guid: str,
    title: str,
    titleKind: kind,
    link: str,
    origLink: str,
    baseUrl: str,
    published: fc.option(fc.oneof(fc.string({ maxLength: 40 }), fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'NaN' : d.toUTCString())))),
    updated: str,
    author: str,
    categories: fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }),
    summary: str,
    summaryKind: kind,
    summaryBase: str,
    content: str,
    contentKind: kind,
    contentBase: str,
    enclosures: fc.array(fc.record({ url: fc.string({ maxLength: 40 }), type: fc.option(fc.string({ maxLength: 10 })), length: fc.option(fc.integer()) }), { maxLength: 3 }),
    language: str,
  });
  const ctx = fc.record({ feedUrl: fc.oneof(fc.webUrl(), fc.string({ maxLength: 30 })), feedLink: str, feedLanguage: str, now: fc.constant(NOW) });

  it('never throws; output is well-typed and safe', () => {
    fc.assert(
      fc.property(raw, ctx, (r, c) => {
        const n = normalizeItem(r, c);
        expect(typeof n.title).toBe('string');
        expect(n.publishedAt.getTime()).not.toBeNaN();
        if (n.url) expect(n.url).toMatch(/^https?:\/\//i);
        for (const e of n.enclosures) expect(e.url).toMatch(/^https?:\/\//i);
        // Text-kind values are escaped text (may *mention* javascript:); markup must carry no active content.
        expect(n.summaryHtml).not.toMatch(/<script|<[^>]*\son\w+\s*=|<[^>]*=\s*["']?\s*javascript:/i);
      }),
      params(1500),
    );
  });
});

describe('canonicalizeUrl', () => {
  const tracking = fc.constantFrom('utm_source=rss', 'fbclid=1', 'amp=1', 'ref=x', 'output=amp', 'a=1', 'B=2', 'a=0', '%zz=1', 'x', '=', '&');
  const url = fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc
      .tuple(
        fc.constantFrom('http://', 'https://', 'HTTP://', 'ftp://', 'javascript:', '//', ''),
        fc.constantFrom('www.', 'm.', 'amp.', 'www.www.', 'm.www.', 'WWW.', 'user:pw@', ''),
        fc.domain(),
        fc.constantFrom('', ':80', ':443', ':8080', '.'),
        fc.array(fc.constantFrom('/amp', '/a', '/', '//', '/index.html', '/x.amp.html', '/%41', '/%7e', '/..', '/ü'), { maxLength: 5 }),
        fc.array(tracking, { maxLength: 4 }),
        fc.constantFrom('', '#frag'),
      )
      .map(([s, pre, host, port, segs, q, frag]) => `${s}${pre}${host}${port}${segs.join('')}${q.length ? '?' + q.join('&') : ''}${frag}`),
    fc.string({ maxLength: 60 }),
  );

  it('never throws, returns https or null, and is idempotent: canon(canon(x)) === canon(x)', () => {
    fc.assert(
      fc.property(url, (u) => {
        const c = canonicalizeUrl(u);
        if (c === null) return;
        expect(c.startsWith('https://')).toBe(true);
        expect(canonicalizeUrl(c)).toBe(c);
      }),
      params(3000),
    );
  });

  it('resolveUrl never throws', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 40 })), fc.option(fc.oneof(fc.webUrl(), fc.string({ maxLength: 30 }))), (h, b) => {
        const r = resolveUrl(h, b);
        expect(r === null || typeof r === 'string').toBe(true);
      }),
      params(1000),
    );
  });
});

// Regressions for algorithmic-complexity attacks found while fuzzing: each input is a few hundred KB (well under
// the 10 MB body cap) and was quadratic before the fix (seconds here, hours at the cap).
describe('reader work stays linear on pathological input', () => {
  const N = 40_000;
  const wrap = (inner: string) => `<rss version="2.0"><channel><title>t</title><item><guid>g</guid><title>x</title><description>${inner}</description></item></channel></rss>`;
  const cases: Record<string, string> = {
    'unclosed <title> start tags (prepareXml closing-tag search)': '<rss><channel>' + '<title>'.repeat(N) + '</channel></rss>',
    'start tags whose ">" is far away (prepareXml)': '<rss><channel>' + '<title x="'.repeat(N) + '">',
    'unterminated CDATA plus a bare "&" (escapeBareAmpersands)': '<rss><channel><title>a & b</title>' + '<![CDATA[x'.repeat(N) + '</channel></rss>',
    'unclosed "<" in item HTML (rss-parser contentSnippet regex)': wrap('<![CDATA[' + '<a'.repeat(N) + ']]>'),
    'deeply nested HTML (sanitize-html depth)': wrap('<![CDATA[' + '<div>'.repeat(4 * N) + ']]>'),
    'deeply nested escaped HTML': wrap('&lt;b&gt;'.repeat(2 * N)),
  };
  for (const [name, doc] of Object.entries(cases)) {
    it(name, async () => {
      const started = performance.now();
      await onlyAppError(() => readFeed(Buffer.from(doc), { feedUrl: 'https://fuzz.example/feed', now: NOW }));
      expect(performance.now() - started).toBeLessThan(1500);
    });
  }

  it('prepareXml, sanitizeFeedHtml and htmlToText on 1 MB of hostile markup', () => {
    const started = performance.now();
    prepareXml('<rss>' + '<description x'.repeat(70_000));
    sanitizeFeedHtml('<span><i>'.repeat(110_000));
    htmlToText('<a '.repeat(330_000));
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('the nesting guard keeps the text of over-deep HTML and drops its markup safely', () => {
    const out = sanitizeFeedHtml('<div>'.repeat(1000) + 'kept <script>alert(1)</script> text' + '</div>'.repeat(1000));
    expect(out).toBe('<p>kept text</p>');
  });
});
