import type { DigestArticle, DigestStory } from './newsletter-model.js';

// How an event ranks in a digest, and the small text rules the digest applies to feed data.
//
// score = 10·outlets            distinct outlets covering the event inside the period (the main signal)
//       +  6·bilingual          covered in both English and Spanish
//       +  5·official           an official source among them (.gov/.mil/gob.mx hosts, DOJ/DEA/State… names)
//       +  2·ln(1 + articles)   more articles, with diminishing returns (wire copies add little)
//       +  4·recency            0 at the period start → 1 at its end, by the event's latest article
//       +  3·topicFit           share of its articles tagged with the section's topic
// Ties: earlier first report first, then lower story id — a total order, so the digest is deterministic.

export const WEIGHTS = { outlets: 10, bilingual: 6, official: 5, articles: 2, recency: 4, topicFit: 3 } as const;

const OFFICIAL_HOST = /(^|\.)(gov|mil|gob\.mx)$/i;
const OFFICIAL_NAME =
  /\b(DOJ|DEA|FBI|ATF|CBP|OFAC|ICE|DHS|Department of (Justice|State|War|Defense|Homeland Security|the Treasury)|State Department|Justice Department|U\.?S\.? Attorney|Treasury|White House|Pentagon|Fiscal[ií]a General|FGR|SEDENA|SEMAR|SSPC|Gobierno de M[eé]xico|Presidencia)\b/;

function host(u: string | null | undefined): string | null {
  if (!u) return null;
  try {
    return new URL(u).hostname.replace(/^www\./, '').toLowerCase();
  } catch {
    return null;
  }
}

/** The outlet's display name: the source's name, else the article's host. */
export function outletName(a: DigestArticle): string {
  return a.source?.name?.trim() || host(a.url) || 'Unknown outlet';
}

/** Outlet identity for counting: the source id, else the host (articles without a source row). */
export function outletKey(a: DigestArticle): string {
  return a.source ? `s${a.source.id}` : `h${host(a.url) ?? a.id}`;
}

/** Government publishers: by host (article, feed or site) or by a known agency name. */
export function isOfficial(a: DigestArticle): boolean {
  for (const u of [a.url, a.source?.url, a.source?.siteUrl]) {
    const h = host(u);
    if (h && OFFICIAL_HOST.test(h)) return true;
  }
  return OFFICIAL_NAME.test(a.source?.name ?? '');
}

export function langGroup(lang: string | null): 'en' | 'es' | 'other' {
  const l = (lang ?? '').toLowerCase().slice(0, 2);
  return l === 'en' ? 'en' : l === 'es' ? 'es' : 'other';
}

export interface EventScore {
  score: number;
  outlets: number;
  bilingual: boolean;
  official: boolean;
  recency: number;
  topicFit: number;
}

/** The score of an event whose articles all fall inside [start, end), for a section topic (null: none). */
export function scoreEvent(story: DigestStory, start: Date, end: Date, topic: string | null): EventScore {
  const arts = story.articles;
  const outlets = new Set(arts.map(outletKey)).size;
  const langs = new Set(arts.map((a) => langGroup(a.lang)));
  const bilingual = langs.has('en') && langs.has('es');
  const official = arts.some(isOfficial);
  const latest = Math.max(...arts.map((a) => a.publishedAt.getTime()));
  const span = end.getTime() - start.getTime();
  const recency = span > 0 ? Math.min(1, Math.max(0, (latest - start.getTime()) / span)) : 0;
  const topicFit = topic && arts.length ? arts.filter((a) => a.topics.includes(topic)).length / arts.length : 0;
  const raw =
    WEIGHTS.outlets * outlets +
    WEIGHTS.bilingual * (bilingual ? 1 : 0) +
    WEIGHTS.official * (official ? 1 : 0) +
    WEIGHTS.articles * Math.log1p(arts.length) +
    WEIGHTS.recency * recency +
    WEIGHTS.topicFit * topicFit;
  // Rounded so the stored JSON and every rendering are stable across platforms.
  return { score: Math.round(raw * 1000) / 1000, outlets, bilingual, official, recency, topicFit };
}

/**
 * The section an event belongs to: among its beat topics, the one most of its period articles are
 * tagged with; ties go to the story's own topic order (its primary topic first), then the rules
 * file's order. null when it has none of the known topics.
 */
export function bestTopic(story: DigestStory, known: readonly string[]): string | null {
  const candidates = story.topics.filter((t, i) => known.includes(t) && story.topics.indexOf(t) === i);
  let best: string | null = null;
  let bestCount = -1;
  for (const slug of candidates) {
    const n = story.articles.filter((a) => a.topics.includes(slug)).length;
    if (n > bestCount) {
      best = slug;
      bestCount = n;
    }
  }
  return best;
}

// Feed boilerplate that is not the article's text (WordPress footers, "read more" links).
const BOILERPLATE = [
  /\bThe post .{1,300}? appeared first on .{1,200}?\.?\s*$/i,
  /\bLa entrada .{1,300}? se public[oó] primero en .{1,200}?\.?\s*$/i,
  /\s*(\[(…|\.\.\.)\]|\b(Read|Continue reading|Read more|Leer m[aá]s|Seguir leyendo|Ver m[aá]s)\b.{0,40})\s*$/i,
];

const MAX_SUMMARY = 320;

function norm(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Sentences: split after . ! ? … when the next one starts like a sentence (capital, ¿, ¡, quote). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+(?=[\p{Lu}¿¡"“«(\d])/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Cuts at a word boundary and marks the cut — the only change ever made to a quoted sentence. */
function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:–—-]+$/, '')}…`;
}

/**
 * The first one or two sentences of a summary, verbatim, without boilerplate and without a
 * sentence that merely repeats the title. '' when nothing is left.
 */
export function extractSummary(text: string, titles: string[]): string {
  let t = text.replace(/\s+/g, ' ').trim();
  for (const re of BOILERPLATE) t = t.replace(re, '').trim();
  const skip = new Set(titles.map(norm));
  const picked: string[] = [];
  for (const s of sentences(t)) {
    if (skip.has(norm(s))) continue;
    if (picked.length === 0) {
      picked.push(clip(s, MAX_SUMMARY));
      continue;
    }
    if (picked[0]!.length + 1 + s.length <= MAX_SUMMARY) picked.push(s);
    break;
  }
  return picked.join(' ');
}

/**
 * The article whose summary stands for the event: the one whose title is the headline (same
 * language as the headline), then the first report, then the others oldest first.
 */
export function summaryCandidates(story: DigestStory): DigestArticle[] {
  const head = norm(story.headline);
  const same = story.articles.filter((a) => norm(a.title) === head);
  return [...same, ...story.articles.filter((a) => !same.includes(a))];
}
