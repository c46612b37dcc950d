import {
  NEWSLETTER_SCHEMA,
  type CoverageLang,
  type DigestStory,
  type NewsletterBeat,
  type NewsletterBlindSpot,
  type NewsletterCoverageGroup,
  type NewsletterEvent,
  type NewsletterModel,
  type NewsletterNote,
  type NewsletterSection,
} from './newsletter-model.js';
import { periodLabel, type Period } from './newsletter-period.js';
import { bestTopic, extractSummary, isOfficial, langGroup, outletKey, outletName, scoreEvent, summaryCandidates } from './newsletter-rank.js';
import { renderNewsletterHtml } from './newsletter-html.js';
import { safeUrl, stripInvalidXml } from './xml.js';
import { blindSide, pressLine, type PressNames } from '../press/press-line.js';

// Pure: the period's stories in, the newsletter model out. Same input, same model (no clock, no I/O).

export interface NewsletterTopicRef {
  slug: string;
  name: string;
  description: string;
}

export interface NewsletterLimits {
  /** Events shown in full (with summary and coverage). */
  events: number;
  /** Lower-ranked events listed as headline + link. */
  alsoNoted: number;
  /** Coverage links per language under one event. */
  linksPerLanguage: number;
}

export const DEFAULT_LIMITS: NewsletterLimits = { events: 12, alsoNoted: 10, linksPerLanguage: 6 };

export interface BuildNewsletterInput {
  topic: NewsletterTopicRef;
  /** The whole beat (`all`): events are spread over sections by their best topic. */
  wholeBeat: boolean;
  /** The beat's topics in the rules file's order (section names, tie-breaks). */
  knownTopics: readonly NewsletterTopicRef[];
  period: Period;
  /** Live on-beat stories with their articles published inside the period. */
  stories: readonly DigestStory[];
  generatedAt: Date;
  /** Absolute base URL of the service, no trailing slash. */
  baseUrl: string;
  limits?: Partial<NewsletterLimits>;
  /** A blind spot counts when the press that covered it did so with at least this many outlets (default 2, as /v1/blindspots). */
  blindSpotMinOutlets?: number;
  /** The beat's name, kicker and press names, carried into the model for its renderings. */
  beat?: NewsletterBeat;
  /** How the press line names the two presses (the beat's); the shipped beat's when absent. */
  pressNames?: PressNames;
}

/** Blind spots listed per missing press. */
const BLIND_SPOTS_PER_SIDE = 8;

const OTHER_SECTION = { slug: 'other', name: 'More from the beat' };
const KIND_TITLE = { daily: 'daily brief', weekly: 'weekly digest', custom: 'digest' } as const;
const LANG_LABEL: Record<CoverageLang, string> = { en: 'English', es: 'Español', other: 'Other languages' };

const MAX_TEXT = 300;
const MAX_URL = 2000;

/** Feed text made safe for every rendering: no control characters, single spaces, bounded length. */
function clean(s: string): string {
  const t = stripInvalidXml(s).replace(/\s+/g, ' ').trim();
  return t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT - 1).trimEnd()}…` : t;
}

/** Only http(s) links of sane length (a multi-kilobyte URL is a tracking blob, not a link to keep). */
function link(u: string | null): string | null {
  const v = safeUrl(u);
  return v && v.length <= MAX_URL ? v : null;
}

interface Ranked {
  story: DigestStory;
  section: string | null;
  score: ReturnType<typeof scoreEvent>;
  firstAt: number;
}

function coverage(story: DigestStory, perLang: number): NewsletterCoverageGroup[] {
  const groups: NewsletterCoverageGroup[] = [];
  for (const lang of ['en', 'es', 'other'] as const) {
    const seen = new Set<string>();
    const items = story.articles
      .filter((a) => langGroup(a.lang) === lang)
      .filter((a) => {
        const key = link(a.url) ?? `#${a.id}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .map((a) => ({
        title: clean(a.title),
        url: link(a.url),
        outlet: clean(outletName(a)),
        lang: a.lang,
        publishedAt: a.publishedAt.toISOString(),
        official: isOfficial(a),
      }));
    if (items.length) groups.push({ lang, label: LANG_LABEL[lang], items: items.slice(0, perLang), more: Math.max(0, items.length - perLang) });
  }
  return groups;
}

function toEvent(r: Ranked, rank: number, input: BuildNewsletterInput, limits: NewsletterLimits): NewsletterEvent {
  const { story } = r;
  const first = story.articles[0]!;
  const headline = clean(story.headline);
  let summary = '';
  let summaryOutlet: string | null = null;
  for (const a of summaryCandidates(story)) {
    summary = extractSummary(clean(a.summaryText), [headline, clean(a.title)]);
    if (summary) {
      summaryOutlet = clean(outletName(a));
      break;
    }
  }
  const langs = [...new Set(story.articles.map((a) => langGroup(a.lang)))].sort();
  const related = (story.related ?? []).map((s) => ({ storyId: s.id, headline: clean(s.headline), storyUrl: `${input.baseUrl}/stories/${s.id}` }));
  return {
    storyId: story.id,
    rank,
    position: rank, // final value set once sections are known
    score: r.score.score,
    headline,
    url: link(first.url),
    summary,
    summaryOutlet,
    firstReport: { outlet: clean(outletName(first)), at: first.publishedAt.toISOString(), url: link(first.url) },
    topics: [...story.topics],
    articleCount: story.articles.length,
    outletCount: r.score.outlets,
    languages: langs,
    officialSources: [...new Set(story.articles.filter(isOfficial).map((a) => clean(outletName(a))))],
    coverage: coverage(story, limits.linksPerLanguage),
    storyUrl: `${input.baseUrl}/stories/${story.id}`,
    ...(related.length ? { related } : {}),
    ...pressOf(story, input.pressNames),
  };
}

function pressOf(story: DigestStory, names?: PressNames): { press?: NonNullable<NewsletterEvent['press']> } {
  const p = story.press;
  const line = pressLine(p, names);
  if (!p || !line) return {};
  return { press: { line, firstSide: p.firstSide, lagMs: p.lagMs, usOutlets: p.us?.outlets ?? 0, mxOutlets: p.mx?.outlets ?? 0 } };
}

/** The period's events one press did not cover, most outlets first, BLIND_SPOTS_PER_SIDE per missing press. */
function blindSpots(ranked: readonly Ranked[], input: BuildNewsletterInput): NewsletterBlindSpot[] {
  const min = input.blindSpotMinOutlets ?? 2;
  const all = ranked.flatMap((r) => {
    const b = blindSide(r.story.press, min);
    if (!b) return [];
    const first = r.story.articles[0]!;
    return [
      {
        storyId: r.story.id,
        headline: clean(r.story.headline),
        url: link(first.url),
        storyUrl: `${input.baseUrl}/stories/${r.story.id}`,
        missing: b.missing,
        outlets: r.story.press![b.covered]!.outlets,
      },
    ];
  });
  const bySide = (side: 'us' | 'mx') =>
    all.filter((x) => x.missing === side).sort((a, b) => b.outlets - a.outlets || a.storyId - b.storyId).slice(0, BLIND_SPOTS_PER_SIDE);
  return [...bySide('us'), ...bySide('mx')];
}

export function buildNewsletterModel(input: BuildNewsletterInput): NewsletterModel {
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  const { period, topic } = input;
  const known = input.knownTopics.map((t) => t.slug);
  const stories = input.stories.filter((s) => s.articles.length > 0);

  const ranked: Ranked[] = stories.map((story) => {
    const section = input.wholeBeat ? bestTopic(story, known) : topic.slug;
    return {
      story,
      section,
      score: scoreEvent(story, period.start, period.end, section),
      firstAt: Math.min(...story.articles.map((a) => a.publishedAt.getTime())),
    };
  });
  ranked.sort((a, b) => b.score.score - a.score.score || a.firstAt - b.firstAt || a.story.id - b.story.id);

  const featured = ranked.slice(0, limits.events).map((r, i) => ({ r, event: toEvent(r, i + 1, input, limits) }));
  const sections: NewsletterSection[] = [];
  for (const { r, event } of featured) {
    const slug = r.section ?? OTHER_SECTION.slug;
    let s = sections.find((x) => x.slug === slug);
    if (!s) {
      const name = slug === topic.slug ? topic.name : (input.knownTopics.find((t) => t.slug === slug)?.name ?? OTHER_SECTION.name);
      s = { slug, name, events: [] };
      sections.push(s); // in order of first appearance = order of each section's best event
    }
    s.events.push(event);
  }
  let position = 0;
  for (const s of sections) for (const e of s.events) e.position = ++position;
  const alsoNoted: NewsletterNote[] = ranked.slice(limits.events, limits.events + limits.alsoNoted).map((r, i) => {
    const first = r.story.articles[0]!;
    return {
      storyId: r.story.id,
      rank: limits.events + i + 1,
      headline: clean(r.story.headline),
      url: link(first.url),
      outlet: clean(outletName(first)),
      outletCount: r.score.outlets,
    };
  });

  const blind = blindSpots(ranked, input);
  const articles = stories.flatMap((s) => s.articles);
  const events = stories.length;
  const outlets = new Set(articles.map(outletKey)).size;
  const label = periodLabel(period);
  const title = `Frontera ${KIND_TITLE[period.kind]}: ${topic.name}`;
  const top = featured[0]?.event.headline;
  const preheader = clean(
    `${events} event${events === 1 ? '' : 's'} from ${outlets} outlet${outlets === 1 ? '' : 's'}, ${label}.${top ? ` Top story: ${top}` : ''}`,
  ).slice(0, 200);
  return {
    schema: NEWSLETTER_SCHEMA,
    title,
    preheader,
    topic: { slug: topic.slug, name: topic.name, description: topic.description },
    ...(input.beat ? { beat: input.beat } : {}),
    period: { kind: period.kind, start: period.start.toISOString(), end: period.end.toISOString(), label },
    generatedAt: input.generatedAt.toISOString(),
    figures: {
      articles: articles.length,
      events,
      outlets,
      englishArticles: articles.filter((a) => langGroup(a.lang) === 'en').length,
      spanishArticles: articles.filter((a) => langGroup(a.lang) === 'es').length,
      featured: featured.length,
      alsoNoted: alsoNoted.length,
    },
    sections,
    alsoNoted,
    ...(blind.length ? { blindSpots: blind } : {}),
    links: {
      storiesFeed: `${input.baseUrl}/feeds/${topic.slug}.rss`,
      issuesFeed: `${input.baseUrl}/feeds/newsletters/${topic.slug}.rss`,
      api: `${input.baseUrl}/v1/newsletters?topic=${topic.slug}`,
    },
  };
}

/** Gmail clips HTML messages over 102 KB ("[Message clipped]"); stay well below. */
export const MAX_HTML_BYTES = 96 * 1024;

// Each step shows less: fewer links per language first, then fewer events.
const SHRINK: Array<Partial<NewsletterLimits>> = [
  { linksPerLanguage: 3 },
  { linksPerLanguage: 2, events: 10, alsoNoted: 8 },
  { linksPerLanguage: 1, events: 8, alsoNoted: 6 },
  { linksPerLanguage: 1, events: 5, alsoNoted: 5 },
  { linksPerLanguage: 1, events: 3, alsoNoted: 3 },
  { linksPerLanguage: 1, events: 1, alsoNoted: 0 },
];

/**
 * The model, trimmed until its HTML rendering fits in `maxBytes`: every rendering comes from the
 * same (trimmed) model, so text and Markdown carry the same events as the HTML.
 */
export function buildNewsletterModelFitting(input: BuildNewsletterInput, maxBytes = MAX_HTML_BYTES): NewsletterModel {
  let model = buildNewsletterModel(input);
  const base = { ...DEFAULT_LIMITS, ...input.limits };
  for (const step of SHRINK) {
    if (Buffer.byteLength(renderNewsletterHtml(model)) <= maxBytes) break;
    const limits = {
      events: Math.min(base.events, step.events ?? base.events),
      alsoNoted: Math.min(base.alsoNoted, step.alsoNoted ?? base.alsoNoted),
      linksPerLanguage: Math.min(base.linksPerLanguage, step.linksPerLanguage ?? base.linksPerLanguage),
    };
    model = buildNewsletterModel({ ...input, limits });
  }
  return model;
}
