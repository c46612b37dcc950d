// Two presses, one event: the stored per-side view of a story and what the API reads. Plain data.
import type { PressSide } from './country.js';

/** A term one press uses for the story and the other does not (or far less). */
export interface PressTerm {
  /** The side's own most frequent surface form ("strikes", "soberanía"). */
  term: string;
  /** What was counted: a bilingual concept id of the lexicon ("c:strike") or a light stem ("s:narco"). */
  key: string;
  /** Log-odds z-score against the other press (informative prior: the story's pooled frequency). */
  score: number;
  /** This side's articles using it, and the other press's. */
  articles: number;
  otherArticles: number;
}

/** A person or organisation this side names (articles.entities of kind person, organization, cartel). */
export interface PressName {
  id: string;
  name: string;
  kind: string;
  articles: number;
  otherArticles: number;
}

export interface PressSideView {
  country: PressSide;
  outlets: number;
  articles: number;
  firstArticleId: number | null;
  /** The side's first report: min over its articles of LEAST(published_at, first_seen_at), as eventAt. */
  firstAt: Date;
  terms: PressTerm[];
  names: PressName[];
}

export interface StoryPress {
  us: PressSideView | null;
  mx: PressSideView | null;
  /** Every other known country of publication, together. */
  other: PressSideView | null;
  /** Which of the two presses reported first (null: neither covered it; equal first times: the US, by convention never hit in practice). */
  firstSide: 'us' | 'mx' | null;
  /** How long the other press took (ms); null unless both covered the story. */
  lagMs: number | null;
}

/** The press view of a story from its stored sides (any order). */
export function assembleStoryPress(sides: readonly PressSideView[]): StoryPress {
  const us = sides.find((s) => s.country === 'US') ?? null;
  const mx = sides.find((s) => s.country === 'MX') ?? null;
  const other = sides.find((s) => s.country === 'other') ?? null;
  let firstSide: StoryPress['firstSide'] = null;
  let lagMs: number | null = null;
  if (us && mx) {
    firstSide = mx.firstAt.getTime() < us.firstAt.getTime() ? 'mx' : 'us';
    lagMs = Math.abs(mx.firstAt.getTime() - us.firstAt.getTime());
  } else if (us) firstSide = 'us';
  else if (mx) firstSide = 'mx';
  return { us, mx, other, firstSide, lagMs };
}
