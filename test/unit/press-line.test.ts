// The one-line summary of a story's two presses, in the shipped beat's words and in another beat's.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESS_NAMES, formatLag, pressLine, type PressNames } from '../../src/press/press-line.js';
import { assembleStoryPress, type PressSideView } from '../../src/press/types.js';

const side = (country: 'US' | 'MX', outlets: number, firstAt: string): PressSideView => ({
  country, outlets, articles: outlets, firstArticleId: null, firstAt: new Date(firstAt), terms: [], names: [],
});

describe('pressLine', () => {
  const both = assembleStoryPress([side('US', 2, '2026-11-25T07:00:00Z'), side('MX', 4, '2026-11-25T01:00:00Z')]);
  const mxOnly = assembleStoryPress([side('MX', 3, '2026-11-25T01:00:00Z')]);

  it('says who was first, how long the other press took, and how many outlets each had', () => {
    expect(pressLine(both)).toBe('Mexico first · US press 6 h later · 4 MX / 2 US outlets');
    expect(pressLine(mxOnly)).toBe('Only the Mexican press · 3 outlets');
    expect(pressLine(assembleStoryPress([]))).toBeNull();
    expect(pressLine(null)).toBeNull();
    expect(formatLag(40 * 60_000)).toBe('40 min');
    expect(formatLag(3 * 86_400_000)).toBe('3 days');
  });

  it("names the presses as the beat's rules file does", () => {
    const names: PressNames = { us: { name: 'American press', country: 'the United States' }, mx: { name: 'Canadian press', country: 'Canada' } };
    expect(pressLine(both, names)).toBe('Canada first · American press 6 h later · 4 MX / 2 US outlets');
    expect(pressLine(mxOnly, names)).toBe('Only the Canadian press · 3 outlets');
    const usFirst = assembleStoryPress([side('US', 1, '2026-11-25T07:00:00Z'), side('MX', 1, '2026-11-25T08:00:00Z')]);
    expect(pressLine(usFirst, names)).toBe('United States first · Canadian press 1 h later · 1 US / 1 MX outlet');
    expect(pressLine(usFirst, DEFAULT_PRESS_NAMES)).toBe('US first · Mexican press 1 h later · 1 US / 1 MX outlet');
  });
});
