// Regression floors for the parser conformance eval (npm run eval:parse). Floors sit a little below the
// measured rates so an unrelated fixture change does not break the build, but a real regression does.
import { describe, expect, it } from 'vitest';
import { evaluateParse } from '../../bench/eval-parse-lib.js';
import { corpusDir, CORPUS_MISSING_MESSAGE } from '../helpers/corpus.js';

const corpus = corpusDir();
if (!corpus) console.warn(CORPUS_MISSING_MESSAGE);

// Measured 2026-11: wellformed 0.966, sanitize 0.982, gofeed-translator 0.914, gofeed-parser 0.918,
// rss-parser 0.966, rowanmanning 0.953.
const FLOORS: Record<string, number> = {
  'feedparser-wellformed': 0.95,
  'feedparser-sanitize': 0.97,
  'gofeed-translator': 0.88,
  'gofeed-parser': 0.89,
  'rss-parser-goldens': 0.93,
  'rowanmanning-snapshots': 0.93,
};

describe.skipIf(!corpus)('parser conformance floors', () => {
  it('meets the floor on every suite', async () => {
    const { suites } = await evaluateParse(corpus!);
    for (const [name, floor] of Object.entries(FLOORS)) {
      expect(suites[name], name).toBeDefined();
      expect(suites[name].total, name).toBeGreaterThan(0);
      expect(suites[name].rate, name).toBeGreaterThanOrEqual(floor);
    }
  });
});
