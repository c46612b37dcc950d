import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes, repairMojibake } from '../../src/reader/decode.js';
import { readFeed } from '../../src/reader/read-feed.js';
import { corpusDir, CORPUS_MISSING_MESSAGE } from '../helpers/corpus.js';

const corpus = corpusDir();
if (!corpus) console.warn(CORPUS_MISSING_MESSAGE);
const NOW = new Date('2026-11-25T00:00:00Z');

describe('decodeFeedBytes (synthetic)', () => {
  const latin = (s: string) => Buffer.from(s, 'latin1');
  it('uses iconv windows-1252 for 0x80–0x9F and for ISO-8859-1 labels', () => {
    const bytes = Buffer.concat([latin('<?xml version="1.0" encoding="ISO-8859-1"?><t>'), Buffer.from([0x93, 0x80, 0x94]), latin('</t>')]);
    const { text, encoding } = decodeFeedBytes(bytes);
    expect(encoding).toBe('windows-1252');
    expect(text).toBe('<?xml version="1.0"?><t>“€”</t>');
  });
  it('lets the HTTP charset win over the prolog, and strips the prolog encoding', () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="utf-8"?><t>caf\xe9</t>', 'latin1');
    expect(decodeFeedBytes(bytes, 'text/xml; charset=iso-8859-1').text).toBe('<?xml version="1.0"?><t>café</t>');
  });
  it('falls back to windows-1252 when declared UTF-8 is invalid', () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><t>se\xf1or</t>', 'latin1');
    expect(decodeFeedBytes(bytes).text).toContain('señor');
  });
  it('strips BOMs and decodes UTF-16', () => {
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>ñ</a>')]);
    expect(decodeFeedBytes(utf8).text).toBe('<a>ñ</a>');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0" encoding="UTF-16"?><a>ñ</a>', 'utf16le')]);
    expect(decodeFeedBytes(le)).toEqual({ text: '<?xml version="1.0"?><a>ñ</a>', encoding: 'utf-16le' });
  });
  it('repairs unambiguous double-encoded UTF-8 only', () => {
    expect(repairMojibake('MartÃ­n dijo â€œholaâ€\u009d')).toBe('Martín dijo “hola”');
    expect(repairMojibake('SÃO PAULO')).toBe('SÃO PAULO');
    expect(decodeFeedBytes(Buffer.from('<t>MartÃ­n</t>'), null, { repairMojibake: false }).text).toBe('<t>MartÃ­n</t>');
  });
});

describe.skipIf(!corpus)('encoding variants of real feeds (corpus/derived/encoding-variants)', () => {
  const dir = path.join(corpus ?? '', 'derived/encoding-variants');
  const expected = corpus ? (JSON.parse(readFileSync(path.join(dir, 'EXPECTED.json'), 'utf8')) as Record<string, { source: string }>) : {};
  it.each(Object.entries(expected))('%s decodes to the titles and descriptions of its UTF-8 source', async (file, spec) => {
    // The no-prolog variant is only decodable with the charset the server sends.
    const contentType = file.includes('no-prolog') ? 'text/xml; charset=windows-1252' : null;
    const opts = { feedUrl: 'https://example.com/feed', now: NOW };
    const got = await readFeed(readFileSync(path.join(dir, file)), { ...opts, contentType });
    const want = await readFeed(readFileSync(path.join(corpus!, spec.source)), opts);
    expect(got.items.length).toBe(want.items.length);
    expect(got.items.map((i) => i.title)).toEqual(want.items.map((i) => i.title));
    expect(got.items.map((i) => i.summaryText)).toEqual(want.items.map((i) => i.summaryText));
  });
});

describe.skipIf(!corpus)('miniflux charset cases', () => {
  const base = path.join(corpus ?? '', 'miniflux-testdata/internal/reader');
  const decode = (rel: string, ct?: string) => decodeFeedBytes(readFileSync(path.join(base, rel)), ct).text;
  it.each([
    ['encoding/testdata/utf8.xml', undefined, 'Café'],
    ['encoding/testdata/iso-8859-1.xml', undefined, 'Café'],
    ['encoding/testdata/iso-8859-1.xml', 'text/html; charset=ISO-8859-1', 'Café'],
    ['encoding/testdata/windows-1252.xml', undefined, 'Euro €'],
    ['encoding/testdata/windows-1252-incorrect-prolog.xml', 'text/xml; charset=windows-1252', 'Euro €'],
    ['encoding/testdata/utf8-incorrect-prolog.xml', undefined, 'Café'],
    ['encoding/testdata/invalid-prolog.xml', undefined, 'Café'],
    ['encoding/testdata/utf8.html', undefined, 'Café'],
    ['encoding/testdata/iso-8859-1.html', undefined, 'Café'],
    ['encoding/testdata/utf8-meta-after-1024.html', undefined, 'Café'],
    ['encoding/testdata/iso-8859-1-meta-after-1024.html', undefined, 'Café'],
    ['xml/testdata/iso88591.xml', undefined, 'Anaïs'],
    ['xml/testdata/iso88591.xml', undefined, 'Jürgen'],
    // Upstream drops the invalid bytes ("Anas"); our windows-1252 fallback recovers the letters instead.
    ['xml/testdata/iso88591_utf8_mismatch.xml', undefined, 'Anaïs'],
    ['xml/testdata/koi8r.xml', undefined, 'Пример RSS ленты'],
    ['encoding/testdata/koi8r.xml', undefined, 'Пример'],
  ])('%s (%s) contains %s', (rel, ct, needle) => {
    expect(decode(rel, ct)).toContain(needle);
  });
  it('parses the KOI8-R feed', async () => {
    const r = await readFeed(readFileSync(path.join(base, 'xml/testdata/koi8r.xml')), { feedUrl: 'https://e.com/', now: NOW });
    expect(r.meta.title).toBe('Пример RSS ленты');
    expect(r.items.length).toBe(2);
    expect(r.items[0].title).toBe('Первая новость');
  });
  it.each([
    ['parser/testdata/encoding_ISO-8859-1.xml', 'ä|ö|ü|ß'],
    ['parser/testdata/no_encoding_ISO-8859-1.xml', 'é|è|à'],
    ['parser/testdata/encoding_WINDOWS-1251.xml', '[а-яА-Я]'],
    ['parser/testdata/rdf_UTF8.xml', '.'],
    ['parser/testdata/urdu_UTF8.xml', '.'],
    ['parser/testdata/large_rss.xml', '.'],
    ['parser/testdata/large_atom.xml', '.'],
    ['parser/testdata/small_atom.xml', '.'],
  ])('real feed %s parses with decoded text', async (rel, pattern) => {
    const r = await readFeed(readFileSync(path.join(base, rel)), { feedUrl: 'https://e.com/feed', now: NOW });
    expect(r.items.length).toBeGreaterThan(0);
    const text = r.items.map((i) => `${i.title} ${i.summaryText}`).join(' ');
    expect(text).toMatch(new RegExp(pattern));
    expect(text).not.toContain('\uFFFD');
  });
});
