import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefaultSources } from '../../src/services/sources.js';

const entry = {
  name: 'CBP — Media releases',
  url: 'https://www.cbp.gov/rss/newsroom/media-releases',
  lang: 'en',
  country: 'US',
  note: 'carries local and national releases',
};
const listFile = (sources: unknown[]) => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-defaults-')), 'sources.json');
  fs.writeFileSync(f, JSON.stringify({ note: 'test', sources }));
  return f;
};

describe('default source list: itemFilter and outlet', () => {
  it('an entry may carry an item filter and an outlet, passed on to the source', () => {
    const [s] = loadDefaultSources(listFile([{ ...entry, itemFilter: { linkIncludes: ['/national-media-release/'] }, outlet: 'CBP' }]));
    expect(s).toMatchObject({ itemFilter: { linkIncludes: ['/national-media-release/'] }, outlet: 'CBP' });
    expect(loadDefaultSources(listFile([entry]))[0]).toMatchObject({ itemFilter: null, outlet: null });
  });

  it('a malformed filter is an error naming the entry', () => {
    expect(() => loadDefaultSources(listFile([{ ...entry, itemFilter: { linkRegex: ['national.*'] } }]))).toThrow(/sources\.0\.itemFilter/);
  });
});
