import { describe, expect, it } from 'vitest';
import { composeRepoints } from '../../src/cluster/placer.js';

// A batch's wire-copy repoints, applied one after another in the store, equal one statement over their
// composition: every root ends where the last repoint that moved it (or its target) sent it.
describe('composeRepoints', () => {
  it('maps each root to its final original', () => {
    expect(composeRepoints([])).toEqual([]);
    expect(composeRepoints([{ to: 5, family: [9, 7] }])).toEqual([
      { root: 9, to: 5 },
      { root: 7, to: 5 },
    ]);
  });

  it('a root moved under a target that moves later follows it', () => {
    // 9 → 5, then 5's family is taken over by 2 (published earlier): 9 and 5 both end at 2.
    const m = new Map(composeRepoints([{ to: 5, family: [9] }, { to: 2, family: [5, 4] }]).map((x) => [x.root, x.to]));
    expect(m).toEqual(new Map([[9, 2], [5, 2], [4, 2]]));
  });

  it('the new original of a family is never moved onto itself', () => {
    const out = composeRepoints([{ to: 3, family: [3, 8] }]);
    expect(out).toEqual([{ root: 8, to: 3 }]);
  });
});
