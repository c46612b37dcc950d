// Floor on the Google News related-coverage clusters (headlines only). Needs the shared corpus.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evalGnews } from '../../bench/eval-clusters-lib.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = process.env.CORPUS_DIR ?? path.resolve(repoRoot, '../shared/corpus');
const file = path.join(corpus, 'derived/google-news-top-stories-2022-07-28.related-coverage.jsonl');
const present = existsSync(file);
if (!present) console.warn(`cluster-eval: skipped, ${file} not found (set CORPUS_DIR to the shared corpus)`);

describe.skipIf(!present)('cluster eval floor (Google News related coverage)', () => {
  it('B-cubed F1 ≥ 0.85 and well above the title-Jaccard baseline', () => {
    const r = evalGnews(file);
    expect(r.items).toBe(170);
    expect(r.model.f1).toBeGreaterThanOrEqual(0.85);
    expect(r.model.f1).toBeGreaterThan(r.baseline.f1 + 0.3);
  });
});
