import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DefaultSourcesFile, loadDefaultSources } from '../../src/services/sources.js';

// The shipped list is data a newsroom edits: it must validate, and say for every entry where it is and how
// it was checked (it cannot be fetched where it is built).
describe('the default source list', () => {
  const file = new URL('../../src/sources/default-sources.json', import.meta.url);
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));

  it('validates, with country, lang and note on every entry', () => {
    expect(DefaultSourcesFile.safeParse(raw).success).toBe(true);
    const list = loadDefaultSources();
    expect(list.length).toBeGreaterThanOrEqual(30);
    for (const s of list) {
      expect(s.country, s.name!).toMatch(/^[A-Z]{2}$/);
      expect(s.lang, s.name!).toMatch(/^[a-z]{2}$/);
      expect(s.note, s.name!).toMatch(/2026-1[12]/);
      expect(s.note, s.name!).toMatch(/not fetched/);
    }
    expect(new Set(list.map((s) => s.url)).size).toBe(list.length);
    expect(list.some((s) => s.country === 'MX') && list.some((s) => s.country === 'US')).toBe(true);
  });

  it('carries the 2026-12 corrections; stand-ins show their query in the URL and the note', () => {
    const list = loadDefaultSources();
    const byUrl = new Map(list.map((s) => [s.url, s]));
    for (const url of [
      'https://www.eluniversal.com.mx/arc/outboundfeeds/rss/category/nacion/?outputType=xml',
      'https://www.proceso.com.mx/rss/feed.html?r=1',
      'https://editorial.aristeguinoticias.com/category/mexico/feed/',
      'https://www.dea.gov/press-releases/rss',
      'https://www.cbp.gov/rss/newsroom/media-releases',
      'https://www.jornada.com.mx/rss/edicion.xml',
      'https://www.reforma.com/rss/justicia.xml',
    ]) {
      expect(byUrl.get(url)?.note, url).toMatch(/2026-12: corrected/);
    }
    // CBP's feed mixes local and national releases: its entry keeps the national ones only.
    expect(byUrl.get('https://www.cbp.gov/rss/newsroom/media-releases')?.itemFilter).toEqual({ linkIncludes: ['/national-media-release/'] });
    expect(byUrl.get('https://www.dea.gov/press-releases/rss')!.note).toContain('403');
    expect(byUrl.get('https://www.cbp.gov/rss/newsroom/media-releases')!.note).toContain('/national-media-release/');
    for (const site of ['milenio.com', 'animalpolitico.com', 'excelsior.com.mx']) {
      const s = list.find((x) => x.standIn && x.url.includes(`site:${site}`));
      expect(s, site).toBeDefined();
      const q = new URL(s!.url).searchParams.get('q')!;
      expect(q).toContain(`site:${site}`);
      expect(s!.note).toContain(q);
      expect(s!.note).toMatch(/stand-in/i);
      expect(new URL(s!.url).host).toBe('news.google.com');
    }
    expect(list.some((s) => /milenio\.com\/rss|animalpolitico\.com\/feed|excelsior\.com\.mx\/rss/.test(s.url))).toBe(false);
  });

  it('refuses an entry without its country, or a stand-in whose query is not its URL', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-defaults-'));
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ note: 'x', sources: [{ name: 'A', url: 'https://a.example/feed', lang: 'es', note: 'checked 2026-12, not fetched' }] }));
    expect(() => loadDefaultSources(bad)).toThrow(/sources\.0\.country/);
    fs.writeFileSync(
      bad,
      JSON.stringify({
        note: 'x',
        sources: [{ name: 'B', url: 'https://news.google.com/rss/search?q=site:b.example', lang: 'es', country: 'MX', note: 'checked 2026-12, not fetched', standIn: true, query: 'site:c.example' }],
      }),
    );
    expect(() => loadDefaultSources(bad)).toThrow(/query/);
    fs.rmSync(dir, { recursive: true });
  });
});
