// The one neutral newsletter model every rendering (HTML, text, Markdown) is made from
// (architecture rule 7). Plain JSON: dates are ISO strings, so a model stored in the database and
// read back renders to the same bytes as the freshly built one.

import type { StoryPress } from '../press/types.js';
import type { PeriodKind } from './newsletter-period.js';

export const NEWSLETTER_SCHEMA = 'frontera.newsletter/1';

/** Input: one article of an event, published inside the period (from the repository). */
export interface DigestArticle {
  id: number;
  storyId: number;
  title: string;
  url: string | null;
  lang: string | null;
  publishedAt: Date;
  summaryText: string;
  topics: string[];
  source: { id: number; name: string | null; url: string | null; siteUrl: string | null } | null;
}

/** Input: a live on-beat story with its articles published inside the period, oldest first. */
export interface DigestStory {
  id: number;
  headline: string;
  topics: string[];
  articles: DigestArticle[];
  /** Stories of the same storyline (story_links) that are also events of this period, strongest first. */
  related?: Array<{ id: number; headline: string }>;
  /** The story's two presses (story_press); absent when neither press covered it. */
  press?: StoryPress;
}

export type CoverageLang = 'en' | 'es' | 'other';

export interface NewsletterLink {
  title: string;
  url: string | null;
  outlet: string;
  lang: string | null;
  publishedAt: string;
  official: boolean;
}

export interface NewsletterCoverageGroup {
  lang: CoverageLang;
  label: string;
  items: NewsletterLink[];
  /** Links left out of this group to keep the issue short. */
  more: number;
}

export interface NewsletterEvent {
  storyId: number;
  /** 1 = the period's most important event. */
  rank: number;
  /** 1-based place in reading order (sections in turn): the number the renderings show. */
  position: number;
  score: number;
  headline: string;
  /** The first report's link. */
  url: string | null;
  /** The first 1–2 sentences of the best article summary, verbatim (never written by us); may be ''. */
  summary: string;
  summaryOutlet: string | null;
  firstReport: { outlet: string; at: string; url: string | null };
  topics: string[];
  articleCount: number;
  outletCount: number;
  languages: string[];
  officialSources: string[];
  coverage: NewsletterCoverageGroup[];
  /** The story in the JSON API (absolute). */
  storyUrl: string;
  /** Events of the same storyline in this period ("Related: …"); absent when none (and in older issues). */
  related?: Array<{ storyId: number; headline: string; storyUrl: string }>;
  /** The two presses in one line ("Mexico first · US press 6 h later · 4 MX / 2 US outlets"); absent without either press (and in older issues). */
  press?: NewsletterPress;
}

export interface NewsletterPress {
  line: string;
  firstSide: 'us' | 'mx' | null;
  lagMs: number | null;
  usOutlets: number;
  mxOutlets: number;
}

/** An event of the period covered by one press only: `missing` names the press that did not cover it. */
export interface NewsletterBlindSpot {
  storyId: number;
  headline: string;
  /** The first report's link. */
  url: string | null;
  storyUrl: string;
  missing: 'us' | 'mx';
  /** Outlets of the press that covered it. */
  outlets: number;
}

export interface NewsletterBeat {
  name: string;
  /** The line above the title ("Frontera · US–Mexico security"). */
  kicker: string;
  /** The two presses' names ("US press", "Mexican press"). */
  press: { us: string; mx: string };
}

export interface NewsletterSection {
  slug: string;
  name: string;
  events: NewsletterEvent[];
}

export interface NewsletterNote {
  storyId: number;
  rank: number;
  headline: string;
  url: string | null;
  outlet: string;
  outletCount: number;
}

export interface NewsletterModel {
  schema: typeof NEWSLETTER_SCHEMA;
  title: string;
  /** Inbox preview text. */
  preheader: string;
  topic: { slug: string; name: string; description: string };
  /** The beat's own words for the issue (the rules' `beat` section); absent in older issues. */
  beat?: NewsletterBeat;
  period: { kind: PeriodKind; start: string; end: string; label: string };
  generatedAt: string;
  figures: {
    articles: number;
    events: number;
    outlets: number;
    englishArticles: number;
    spanishArticles: number;
    /** Events shown in full, and listed under "also noted"; the rest of `events` is only counted. */
    featured: number;
    alsoNoted: number;
  };
  sections: NewsletterSection[];
  alsoNoted: NewsletterNote[];
  /** Events covered by one press only, per missing press (absent when none, and in older issues). */
  blindSpots?: NewsletterBlindSpot[];
  links: { storiesFeed: string; issuesFeed: string; api: string };
}

/** A stored issue (newsletters table) without its model. */
export interface NewsletterIssueSummary {
  id: number;
  topic: string;
  periodKind: 'daily' | 'weekly';
  periodStart: Date;
  periodEnd: Date;
  title: string;
  eventCount: number;
  articleCount: number;
  generatedAt: Date;
  delivery: 'none' | 'pending' | 'sent' | 'failed';
  deliveredAt: Date | null;
}

export interface NewsletterIssue extends NewsletterIssueSummary {
  model: NewsletterModel;
}
