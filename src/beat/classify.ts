// Rule-based beat classifier: relevance, topics, entities and the evidence behind them.
// The decision procedure is documented in docs/rules-format.md ("How an article is scored").
import type { Classification, Evidence, Relevance } from '../model/types.js';
import { addGazetteer, resolveEntities, type EntityHit, type GazetteerEntry } from './entities.js';
import { Matcher, type MatchHit } from './matcher.js';
import { tokenize } from './normalize-text.js';
import type { PatternSpec, Requirement, Rules } from './rules.js';

export interface ClassifyInput {
  title: string;
  text: string;
  lang?: string | null;
}
export type Classifier = (input: ClassifyInput) => Classification;

type Field = 'title' | 'body';
type Ctx = 'mexico' | 'border';

type Ref =
  | { kind: 'topic'; rule: string; group: string; topic: string; weight: number; requires: Requirement; provides?: Ctx; lang?: string }
  | { kind: 'context'; rule: string; group: string; ctx: Ctx; lang?: string }
  | { kind: 'implicit'; rule: string; group: string; ctx: Ctx; unless: readonly string[]; lang?: string }
  | { kind: 'actor'; rule: string; group: string; side: 'us' | 'mx'; lang?: string }
  | { kind: 'security'; rule: string; group: string; lang?: string }
  | { kind: 'entity'; rule: string; group: string; entry: GazetteerEntry; lang?: string }
  | { kind: 'trap'; rule: string; group: string; trap: Rules['traps'][number]; lang?: string }
  | { kind: 'adjacency'; rule: string; group: string; adj: Rules['adjacency'][number]; lang?: string };

interface Hit {
  ref: Ref;
  field: Field;
  start: number;
  end: number;
  matched: string;
}

function patternText(p: PatternSpec): string {
  return typeof p === 'string' ? p : p.match;
}

function compile(rules: Rules): Matcher<Ref> {
  const m = new Matcher<Ref>();
  const addAll = (lists: { en: PatternSpec[]; es: PatternSpec[] }, make: (text: string, lang?: string) => Ref) => {
    for (const p of [...lists.en, ...lists.es]) {
      const text = patternText(p);
      const opts = typeof p === 'string' ? {} : p;
      const ref = make(text, typeof p === 'string' ? undefined : p.lang);
      if (typeof p !== 'string' && p.weight !== undefined && ref.kind === 'topic') ref.weight = p.weight;
      m.add(text, ref, opts);
    }
  };
  for (const t of rules.topics) {
    t.groups.forEach((g, i) => {
      const group = g.id ?? `${t.slug}#${i}`;
      addAll(g, (text, lang) => ({
        kind: 'topic', rule: `topic:${t.slug}/pattern:${text}`, group, topic: t.slug, weight: g.weight,
        requires: g.requires, provides: g.providesContext, lang,
      }));
    });
  }
  for (const ctx of ['mexico', 'border'] as const) {
    const g = rules.context[ctx];
    addAll(g, (text, lang) => ({ kind: 'context', rule: `context:${ctx}/pattern:${text}`, group: g.id ?? `context-${ctx}`, ctx, lang }));
  }
  for (const c of rules.context.implicit) {
    addAll(c, (text, lang) => ({ kind: 'implicit', rule: `context:${c.id}/pattern:${text}`, group: c.id, ctx: c.provides, unless: c.unlessAny, lang }));
  }
  for (const side of ['us', 'mx'] as const) {
    const g = rules.actors[side];
    addAll(g, (text, lang) => ({ kind: 'actor', rule: `actor:${side}/pattern:${text}`, group: g.id ?? `actor-${side}`, side, lang }));
  }
  addAll(rules.securityTerms, (text, lang) => ({ kind: 'security', rule: `security-term/pattern:${text}`, group: 'security-terms', lang }));
  addGazetteer(m, rules, (entry, _text, lang): Ref => ({ kind: 'entity', rule: `entity:${entry.id}`, group: 'gazetteer', entry, lang }));
  for (const trap of rules.traps) addAll(trap, (_text, lang) => ({ kind: 'trap', rule: `trap:${trap.id}`, group: trap.id, trap, lang }));
  for (const adj of rules.adjacency) {
    addAll(adj, (text, lang) => ({ kind: 'adjacency', rule: `adjacent:${adj.id}/pattern:${text}`, group: adj.id, adj, lang }));
  }
  return m;
}

function normLang(lang: string | null | undefined): string | null {
  if (!lang) return null;
  return lang.slice(0, 2).toLowerCase();
}

/** Keeps one hit per rule id, preferring the title (it carries the larger multiplier). */
function bestPerRule(hits: Hit[]): Hit[] {
  const best = new Map<string, Hit>();
  for (const h of hits) {
    const prev = best.get(h.ref.rule);
    if (!prev || (prev.field === 'body' && h.field === 'title')) best.set(h.ref.rule, h);
  }
  return [...best.values()];
}

/**
 * Drops a hit when another hit of the same topic/group covers it: "wall" inside "border wall", or the English
 * and Spanish spellings of one word ("cartel"/"cártel") matching the same span twice.
 */
function dropNested(hits: Hit[], sameGroup: (a: Hit, b: Hit) => boolean): Hit[] {
  return hits.filter((h, hi) =>
    !hits.some((o, oi) => {
      if (o === h || o.field !== h.field || !sameGroup(o, h) || o.start > h.start || o.end < h.end) return false;
      const lo = o.end - o.start;
      const lh = h.end - h.start;
      return lo > lh || (lo === lh && oi < hi);
    }),
  );
}

/** Feed summaries are ~1 KB; the lede carries the subject. Longer input is cut to bound the work per article. */
export const MAX_BODY_CHARS = 20_000;
const MAX_TITLE_CHARS = 2_000;
const MAX_HITS_PER_RULE = 3;

export function createClassifier(rules: Rules): Classifier {
  const matcher = compile(rules);
  const s = rules.scoring;
  const mult = (f: Field) => (f === 'title' ? s.titleMultiplier : s.bodyMultiplier);
  const topicOrder = new Map(rules.topics.map((t, i) => [t.slug, i]));

  return function classify(input: ClassifyInput): Classification {
    const lang = normLang(input.lang);
    const title = input.title ?? '';
    const body = input.text ?? '';
    let hits: Hit[] = [];
    const collect = (text: string, field: Field) => {
      // A rule counts once per article, so a few occurrences per rule and field are enough; the cap keeps the
      // nesting checks below cheap on pathological input (thousands of repeats of one word).
      const perRule = new Map<string, number>();
      for (const h of matcher.match(tokenize(text)) as MatchHit<Ref>[]) {
        if (h.payload.lang && lang && h.payload.lang !== lang) continue;
        const n = perRule.get(h.payload.rule) ?? 0;
        if (n >= MAX_HITS_PER_RULE) continue;
        perRule.set(h.payload.rule, n + 1);
        hits.push({ ref: h.payload, field, start: h.start, end: h.end, matched: text.slice(h.start, h.end) });
      }
    };
    collect(title.length > MAX_TITLE_CHARS ? title.slice(0, MAX_TITLE_CHARS) : title, 'title');
    collect(body.length > MAX_BODY_CHARS ? body.slice(0, MAX_BODY_CHARS) : body, 'body');

    const evidence: Evidence[] = [];
    const firedTraps = new Map<string, Hit>();

    // 1. Traps that suppress by overlap or by group (context-independent ones first).
    const trapHits = hits.filter((h) => h.ref.kind === 'trap');
    const staticTraps = trapHits.filter((h) => h.ref.kind === 'trap' && !h.ref.trap.onlyWithoutContext);
    const suppressedGroups = new Set<string>();
    for (const t of staticTraps) {
      if (t.ref.kind !== 'trap') continue;
      firedTraps.set(t.ref.trap.id, firedTraps.get(t.ref.trap.id) ?? t);
      for (const g of t.ref.trap.suppressGroups) suppressedGroups.add(g);
    }
    hits = hits.filter((h) => {
      if (h.ref.kind === 'trap') return true;
      if (suppressedGroups.has(h.ref.group)) return false;
      return !staticTraps.some(
        (t) => t.ref.kind === 'trap' && t.ref.trap.suppressOverlap && t.field === h.field && t.start <= h.start && t.end >= h.end,
      );
    });

    // 2. Context: is the story about Mexico or the US–Mexico border at all?
    const present = new Set(hits.map((h) => h.ref.group));
    for (const id of firedTraps.keys()) present.add(id);
    const ctx = { mexico: false, border: false };
    const ctxHits: Hit[] = [];
    for (const h of hits) {
      const r = h.ref;
      let c: Ctx | undefined;
      if (r.kind === 'context') c = r.ctx;
      else if (r.kind === 'topic' && r.provides) c = r.provides;
      else if (r.kind === 'entity' && r.entry.context && !r.entry.ambiguous) c = r.entry.context;
      else if (r.kind === 'implicit' && !r.unless.some((g) => present.has(g))) c = r.ctx;
      if (c) {
        ctx[c] = true;
        ctxHits.push(h);
      }
    }
    // Ambiguous names ("Guerrero", "CDN") only confirm a context found otherwise.
    const entityHits: EntityHit[] = [];
    for (const h of hits) {
      if (h.ref.kind === 'entity') entityHits.push({ entry: h.ref.entry, matched: h.matched, field: h.field, start: h.start, end: h.end });
    }
    const hasContext = ctx.mexico || ctx.border;
    const entities = resolveEntities(entityHits, hasContext);
    const entityIds = new Set(entities.map((e) => e.id));

    // 3. Context-dependent traps ("across the border" elsewhere).
    for (const t of trapHits) {
      if (t.ref.kind === 'trap' && t.ref.trap.onlyWithoutContext && !hasContext) firedTraps.set(t.ref.trap.id, firedTraps.get(t.ref.trap.id) ?? t);
    }

    // 4. Security score per topic.
    const satisfied = (req: Requirement) => req === 'none' || (req === 'mexico' ? ctx.mexico : hasContext);
    const topicHits = bestPerRule(dropNested(hits.filter((h) => h.ref.kind === 'topic'), (a, b) => a.ref.kind === 'topic' && b.ref.kind === 'topic' && a.ref.topic === b.ref.topic));
    const topicScore = new Map<string, number>();
    let security = 0;
    let securityRaw = 0;
    for (const h of topicHits) {
      if (h.ref.kind !== 'topic') continue;
      const w = h.ref.weight * mult(h.field);
      securityRaw += w;
      const counts = satisfied(h.ref.requires);
      evidence.push({ rule: h.ref.rule, matched: h.matched, field: h.field, weight: counts ? w : 0 });
      if (counts) {
        security += w;
        topicScore.set(h.ref.topic, (topicScore.get(h.ref.topic) ?? 0) + w);
      }
    }

    // 5. Co-occurrence: a US actor, a Mexican actor and a security term.
    const sideHit = (side: 'us' | 'mx') =>
      hits.find((h) => (h.ref.kind === 'actor' && h.ref.side === side) || (h.ref.kind === 'entity' && h.ref.entry.side === side && entityIds.has(h.ref.entry.id)));
    const us = sideHit('us');
    const mx = sideHit('mx');
    const secTerm = hits.find((h) => h.ref.kind === 'security') ?? topicHits.find((h) => h.ref.kind === 'topic' && satisfied(h.ref.requires));
    if (us && mx && secTerm) {
      const w = rules.cooccurrence.weight;
      security += w;
      topicScore.set(rules.cooccurrence.topic, (topicScore.get(rules.cooccurrence.topic) ?? 0) + w);
      evidence.push({
        rule: 'cooccurrence:us-mx-security',
        matched: `${us.matched} + ${mx.matched} + ${secTerm.matched}`,
        field: us.field === 'title' || mx.field === 'title' ? 'title' : 'body',
        weight: w,
      });
    }

    // 6. Adjacency signals.
    let adjacency = 0;
    let demoting = 0;
    for (const h of bestPerRule(dropNested(hits.filter((x) => x.ref.kind === 'adjacency'), (a, b) => a.ref.group === b.ref.group))) {
      if (h.ref.kind !== 'adjacency') continue;
      const req = h.ref.adj.requires;
      const ok = req === 'none' || (req === 'mexico' ? ctx.mexico : securityRaw > 0);
      const w = ok ? h.ref.adj.weight * mult(h.field) : 0;
      adjacency += w;
      if (h.ref.adj.demotesOnBeat) demoting += w;
      evidence.push({ rule: h.ref.rule, matched: h.matched, field: h.field, weight: w });
    }

    // 7. Trap penalties and vetoes (once per trap).
    let veto = false;
    for (const [id, h] of firedTraps) {
      if (h.ref.kind !== 'trap') continue;
      const t = h.ref.trap;
      security -= t.penalty;
      if (t.appliesToAdjacency) {
        adjacency -= t.penalty;
        demoting -= t.penalty;
      }
      veto ||= t.veto;
      evidence.push({ rule: `trap:${id}`, matched: h.matched, field: h.field, weight: -t.penalty });
    }

    // Context, actors and entities explain the decision but carry no weight of their own.
    const entityEvidence = hits.filter((x) => x.ref.kind === 'entity' && entityIds.has(x.ref.entry.id) && !ctxHits.includes(x));
    for (const h of bestPerRule([...ctxHits, ...entityEvidence])) {
      const rule = h.ref.kind === 'topic' ? `context:${h.ref.provides}/via:${h.ref.rule}` : h.ref.rule;
      evidence.push({ rule, matched: h.matched, field: h.field, weight: 0 });
    }
    for (const h of bestPerRule(hits.filter((x) => x.ref.kind === 'actor'))) {
      evidence.push({ rule: h.ref.rule, matched: h.matched, field: h.field, weight: 0 });
    }

    // 8. Decision.
    let relevance: Relevance;
    if (!veto && hasContext && security >= s.onBeatThreshold && demoting < security * s.adjacencyDominance) relevance = 'on_beat';
    else if (!veto && (adjacency >= s.adjacentThreshold || (hasContext && security >= s.adjacentThreshold))) relevance = 'adjacent';
    else relevance = 'off_beat';

    let topics: string[] = [];
    if (relevance === 'on_beat') {
      const ranked = [...topicScore.entries()].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1] || topicOrder.get(a[0])! - topicOrder.get(b[0])!);
      topics = ranked.filter(([, v]) => v >= s.topicThreshold).map(([k]) => k);
      if (topics.length === 0 && ranked.length > 0) topics = [ranked[0][0]];
    }

    const strength = security > 0 ? security / (security + s.onBeatThreshold) : 0;
    // on_beat in [0.5, 1), adjacent in [0.2, 0.5), off_beat in [0, 0.2): sorts the three bands apart.
    const score = relevance === 'on_beat' ? 0.5 + 0.5 * strength : relevance === 'adjacent' ? 0.2 + 0.3 * strength : 0.2 * strength;

    return {
      relevance,
      score: Math.round(score * 1000) / 1000,
      topics,
      entities,
      evidence,
      rulesVersion: rules.rulesVersion,
    };
  };
}

/** One-line human explanation of a classification ("matched because …") for the UI and logs. */
export function explainClassification(c: Classification): string {
  const counted = c.evidence.filter((e) => e.weight !== 0).sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  const parts = counted.slice(0, 6).map((e) => `${e.rule.split('/')[0]} "${e.matched}" (${e.field}, ${e.weight > 0 ? '+' : ''}${e.weight})`);
  const ctx = c.evidence.filter((e) => (e.rule.startsWith('context:') || e.rule.startsWith('entity:')) && e.weight === 0).map((e) => `"${e.matched}"`);
  return `${c.relevance}${c.topics.length ? ` [${c.topics.join(', ')}]` : ''} because ${parts.join('; ') || 'nothing matched'}` +
    (ctx.length ? `; context: ${[...new Set(ctx)].slice(0, 4).join(', ')}` : '; no Mexico/border context');
}
