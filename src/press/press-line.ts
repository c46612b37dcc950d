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

/** How the two presses are named in running text (the rules file's beat section: `press`). */
export interface PressNames {
  us: { name: string; country: string };
  mx: { name: string; country: string };
}

/** The shipped beat's names, for callers without a beat (older stored newsletters, tests). */
export const DEFAULT_PRESS_NAMES: PressNames = {
  us: { name: 'US press', country: 'the US' },
  mx: { name: 'Mexican press', country: 'Mexico' },
};

/** "Mexico first", "US first": the side's country without its article. */
const firstPhrase = (country: string) => `${country.replace(/^the\s+/i, '')} first`;

/** The press line of a story, or null when neither press covered it (unknown or other countries only). */
export function pressLine(p: StoryPress | null | undefined, names: PressNames = DEFAULT_PRESS_NAMES): string | null {
  if (!p || (!p.us && !p.mx)) return null;
  if (p.us && p.mx) {
    const first = p.firstSide === 'mx' ? 'mx' : 'us';
    const second = first === 'us' ? 'mx' : 'us';
    const lag = p.lagMs ?? 0;
    const timing = lag < 60_000 ? 'Both presses within a minute' : `${firstPhrase(names[first].country)} · ${names[second].name} ${formatLag(lag)} later`;
    const a = p[first]!;
    const b = p[second]!;
    return `${timing} · ${a.outlets} ${first.toUpperCase()} / ${b.outlets} ${second.toUpperCase()} ${b.outlets === 1 && a.outlets === 1 ? 'outlet' : 'outlets'}`;
  }
  const side = p.us ? 'us' : 'mx';
  return `Only the ${names[side].name} · ${plural(p[side]!.outlets, 'outlet')}`;
}

/** A blind spot: covered by one of the two presses only; `missing` names the press that did not cover it. */
export function blindSide(p: StoryPress | null | undefined, minOutlets: number): { covered: 'us' | 'mx'; missing: 'us' | 'mx' } | null {
  if (!p) return null;
  if (p.us && !p.mx && p.us.outlets >= minOutlets) return { covered: 'us', missing: 'mx' };
  if (p.mx && !p.us && p.mx.outlets >= minOutlets) return { covered: 'mx', missing: 'us' };
  return null;
}
