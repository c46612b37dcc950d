// The one-line summary of a story's two presses, as story cards, the story page and the newsletter
// show it: "Mexico first · US press 6 h later · 4 MX / 2 US outlets", "Only the Mexican press · 3 outlets".
// Pure; from the stored sides only (no query).

import type { StoryPress } from './types.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "40 min", "6 h", "3 days": a lag rounded to what a reader needs. */
export function formatLag(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.round(ms / 3_600_000);
  if (h < 48) return `${h} h`;
  return plural(Math.round(ms / 86_400_000), 'day');
}

export const SIDE_NAME = { us: 'US press', mx: 'Mexican press' } as const;
export const SIDE_FIRST = { us: 'US first', mx: 'Mexico first' } as const;

/** The press line of a story, or null when neither press covered it (unknown or other countries only). */
export function pressLine(p: StoryPress | null | undefined): string | null {
  if (!p || (!p.us && !p.mx)) return null;
  if (p.us && p.mx) {
    const first = p.firstSide === 'mx' ? 'mx' : 'us';
    const second = first === 'us' ? 'mx' : 'us';
    const lag = p.lagMs ?? 0;
    const timing = lag < 60_000 ? 'Both presses within a minute' : `${SIDE_FIRST[first]} · ${SIDE_NAME[second]} ${formatLag(lag)} later`;
    const a = p[first]!;
    const b = p[second]!;
    return `${timing} · ${a.outlets} ${first.toUpperCase()} / ${b.outlets} ${second.toUpperCase()} ${b.outlets === 1 && a.outlets === 1 ? 'outlet' : 'outlets'}`;
  }
  const side = p.us ? 'us' : 'mx';
  return `Only the ${SIDE_NAME[side]} · ${plural(p[side]!.outlets, 'outlet')}`;
}

/** A blind spot: covered by one of the two presses only; `missing` names the press that did not cover it. */
export function blindSide(p: StoryPress | null | undefined, minOutlets: number): { covered: 'us' | 'mx'; missing: 'us' | 'mx' } | null {
  if (!p) return null;
  if (p.us && !p.mx && p.us.outlets >= minOutlets) return { covered: 'us', missing: 'mx' };
  if (p.mx && !p.us && p.mx.outlets >= minOutlets) return { covered: 'mx', missing: 'us' };
  return null;
}
