// Runs the relevance evaluation on the shared dev labels and holds the classifier to its floors, per language.
import { describe, expect, it } from 'vitest';
import { Corpus, defaultLabelsFile, evaluate, joinLabels, readLabels } from '../../bench/eval-relevance-lib.js';
import { isHeldOut } from '../../bench/eval-relevance-splits.js';
import { findSharedDir, SHARED_MISSING_MESSAGE } from '../../bench/shared-dir.js';
import { createClassifier, loadRules } from '../../src/beat/index.js';

const shared = findSharedDir();
if (!shared) console.warn(`beat-eval: ${SHARED_MISSING_MESSAGE}`);

describe.skipIf(!shared)('beat relevance on the dev labels (../shared)', () => {
  const labels = shared ? readLabels(defaultLabelsFile(shared)) : [];
  const { items, failures } = shared ? joinLabels(labels, new Corpus(shared)) : { items: [], failures: [] };
  const classify = createClassifier(loadRules());

  it('joins every label', () => {
    expect(failures).toEqual([]);
    expect(items.length).toBe(labels.length);
  });

  it('meets precision ≥ 0.95 and recall ≥ 0.90 in English and in Spanish separately (on_beat vs off_beat)', () => {
    const report = evaluate(items, (x) => classify(x));
    for (const lang of ['en', 'es']) {
      const m = report.byLang[lang]!;
      expect(m.precision, `${lang} precision (tp ${m.tp} fp ${m.fp})`).toBeGreaterThanOrEqual(0.95);
      expect(m.recall, `${lang} recall (tp ${m.tp} fn ${m.fn})`).toBeGreaterThanOrEqual(0.9);
    }
    // Adjacent items (migration, domestic politics, trade) rarely leak into the beat's feeds.
    expect(report.adjacent.leakedOnBeat / report.adjacent.n).toBeLessThanOrEqual(0.05);
  });

  it('holds up on the split the rules were not written from (a lower floor: fewer items, unseen)', () => {
    const report = evaluate(items.filter((i) => isHeldOut(i.label.key)), (x) => classify(x));
    expect(report.overall.precision).toBeGreaterThanOrEqual(0.8);
    expect(report.overall.recall).toBeGreaterThanOrEqual(0.75);
  });
});
