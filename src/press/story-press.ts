// The per-side view of one story from its member articles. Pure: refreshStoryPress
// (db/repositories/story-press.repository.ts) reads the articles and stores what this returns.
import { pressSide, type PressSide } from './country.js';
import { articleTerms, distinctiveTerms, nameWords, sideNames, type NameMention, type TermHit } from './terms.js';
import type { PressSideView } from './types.js';

export interface PressArticle {
  id: number;
  /** The first source's country of publication (null: unknown, not counted on any side). */
  country: string | null;
  /** Outlet identity (explicit outlet, else the feed's registrable domain, else the source). */
  outlet: string;
  /** LEAST(published_at, first_seen_at): when this article reported the event, as the story's eventAt. */
  at: Date;
  title: string;
  summary: string;
  entities: Array<NameMention & { matched?: string }>;
}

const SIDES: readonly PressSide[] = ['US', 'MX', 'other'];

/** The sides of a story (only those with articles): US against MX, MX against US, other against both. */
export function buildStoryPress(articles: readonly PressArticle[]): PressSideView[] {
  const by = new Map<PressSide, PressArticle[]>();
  for (const a of articles) {
    const side = pressSide(a.country);
    if (!side) continue;
    const list = by.get(side) ?? [];
    list.push(a);
    by.set(side, list);
  }
  const terms = new Map<PressSide, TermHit[][]>();
  const names = new Map<PressSide, NameMention[][]>();
  for (const [side, list] of by) {
    terms.set(side, list.map((a) => articleTerms({ title: a.title, summary: a.summary, nameWords: nameWords(a.entities.map((e) => ({ ...e, matched: e.matched ?? e.name }))) })));
    names.set(side, list.map((a) => a.entities));
  }
  const against = (side: PressSide) => (side === 'US' ? ['MX'] : side === 'MX' ? ['US'] : ['US', 'MX']) as PressSide[];
  const out: PressSideView[] = [];
  for (const side of SIDES) {
    const list = by.get(side);
    if (!list?.length) continue;
    const first = list.reduce((m, a) => (a.at < m.at || (a.at.getTime() === m.at.getTime() && a.id < m.id) ? a : m));
    const otherTerms = against(side).flatMap((s) => terms.get(s) ?? []);
    const otherNames = against(side).flatMap((s) => names.get(s) ?? []);
    out.push({
      country: side,
      outlets: new Set(list.map((a) => a.outlet)).size,
      articles: list.length,
      firstArticleId: first.id,
      firstAt: first.at,
      terms: distinctiveTerms(terms.get(side)!, otherTerms),
      names: sideNames(names.get(side)!, otherNames),
    });
  }
  return out;
}
