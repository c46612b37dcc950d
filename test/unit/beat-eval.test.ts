// Runs the relevance evaluation on the shared dev labels and holds the classifier to its floors.
import { describe, expect, it } from 'vitest';
import { Corpus, defaultLabelsFile, evaluate, joinLabels, readLabels } from '../../bench/eval-relevance-lib.js';
import { findSharedDir, SHARED_MISSING_MESSAGE } from '../../bench/shared-dir.js';
import { createClassifier, loadRules } from '../../src/beat/index.js';

const shared = findSharedDir();
if (!shared) console.warn(`beat-eval: ${SHARED_MISSING_MESSAGE}`);

describe.skipIf(!shared)('beat relevance on the dev labels (/work/shared)', () => {
  it('joins every label and meets precision ≥ 0.90, recall ≥ 0.85 (on_beat vs off_beat)', () => {
    const labels = readLabels(defaultLabelsFile(shared!));
    const { items, failures } = joinLabels(labels, new Corpus(shared!));
    expect(failures).toEqual([]);
    const report = evaluate(items, createClassifier(loadRules()));
    expect(report.overall.precision).toBeGreaterThanOrEqual(0.9);
    expect(report.overall.recall).toBeGreaterThanOrEqual(0.85);
    // Adjacent items should rarely leak into the beat's feeds.
    expect(report.adjacent.leakedOnBeat / report.adjacent.n).toBeLessThanOrEqual(0.05);
  });
});
