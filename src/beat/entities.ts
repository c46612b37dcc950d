// Gazetteer matching: people, organisations, cartels and places named in an article.
import type { EntityMention } from '../model/types.js';
import { Matcher, type MatchHit } from './matcher.js';
import { tokenize } from './normalize-text.js';
import type { Rules } from './rules.js';

export type GazetteerEntry = Rules['gazetteer'][number];

export interface EntityHit {
  entry: GazetteerEntry;
  matched: string;
  field: 'title' | 'body';
  start: number;
  end: number;
}

/** Adds every gazetteer alias to a matcher, with the payload built by `wrap`. */
export function addGazetteer<T>(matcher: Matcher<T>, rules: Rules, wrap: (entry: GazetteerEntry, pattern: string, lang?: 'en' | 'es') => T): void {
  for (const entry of rules.gazetteer) {
    for (const alias of entry.aliases) {
      const text = typeof alias === 'string' ? alias : alias.match;
      matcher.add(text, wrap(entry, text, typeof alias === 'string' ? undefined : alias.lang), typeof alias === 'string' ? {} : alias);
    }
  }
}

/**
 * Drops entity hits nested inside a longer entity hit in the same field ("Sinaloa" inside "Sinaloa Cartel",
 * "Mexico" is not an entity so "Mexico City" stays one), drops ambiguous aliases ("Guerrero", "CDN") unless
 * `hasOtherContext`, then dedups by id keeping the first (title-first) surface form.
 */
export function resolveEntities(hits: EntityHit[], hasOtherContext: boolean): EntityMention[] {
  const kept = hits.filter(
    (h) =>
      (!h.entry.ambiguous || hasOtherContext) &&
      !hits.some(
        (o) => o !== h && o.field === h.field && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start,
      ),
  );
  const seen = new Map<string, EntityMention>();
  for (const h of kept) {
    if (!seen.has(h.entry.id)) {
      seen.set(h.entry.id, { id: h.entry.id, kind: h.entry.kind, name: h.entry.name, matched: h.matched });
    }
  }
  return [...seen.values()];
}

/** Stand-alone extractor (the classifier does the same inside its single matching pass). */
export function createEntityExtractor(rules: Rules): (input: { title: string; text: string }) => EntityMention[] {
  const matcher = new Matcher<GazetteerEntry>();
  addGazetteer(matcher, rules, (e) => e);
  return ({ title, text }) => {
    const hits: EntityHit[] = [];
    const collect = (s: string, field: 'title' | 'body') => {
      for (const h of matcher.match(tokenize(s)) as MatchHit<GazetteerEntry>[]) {
        hits.push({ entry: h.payload, matched: s.slice(h.start, h.end), field, start: h.start, end: h.end });
      }
    };
    collect(title, 'title');
    collect(text, 'body');
    const unambiguousContext = hits.some((h) => h.entry.context && !h.entry.ambiguous);
    return resolveEntities(hits, unambiguousContext);
  };
}
