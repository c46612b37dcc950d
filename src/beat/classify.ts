// Rule-based beat classifier: relevance, topics, entities and the evidence behind them.
// The decision procedure is documented in docs/rules-format.md ("How an article is scored").
import type { Classification, EntityMention, Evidence, Relevance } from '../model/types.js';
import { addGazetteer, resolveEntities, type EntityHit, type GazetteerEntry } from './entities.js';
import { MODEL_DEMOTE, MODEL_PROMOTE, modelFeatures, modelProbability, type BeatModel } from './learned.js';
import { Matcher, type MatchHit } from './matcher.js';
import { tokenize, type Token } from './normalize-text.js';
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
  | { kind: 'topic'; rule: string; group: string; topic: string; weight: number; requires: Requirement; provides?: Ctx; withActor?: 'us' | 'mx'; lang?: string }
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
        requires: g.requires, provides: g.providesContext, withActor: g.withActor, lang,
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
  // One payload per entry and language, shared by its aliases (the gazetteer has thousands).
  const entityRefs = new Map<GazetteerEntry, Map<string | undefined, Ref>>();
  addGazetteer(m, rules, (entry, _text, lang): Ref => {
    let byLang = entityRefs.get(entry);
    if (!byLang) entityRefs.set(entry, (byLang = new Map()));
    let ref = byLang.get(lang);
    if (!ref) byLang.set(lang, (ref = { kind: 'entity', rule: `entity:${entry.id}`, group: 'gazetteer', entry, lang }));
    return ref;
  });
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

/** Keeps one hit per rule id, preferring the title (it carries the larger multiplier). May return `hits` itself. */
function bestPerRule(hits: Hit[]): Hit[] {
  if (hits.length < 2) return hits;
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
function dropNested(hits: Hit[], same: (a: Hit, b: Hit) => boolean): Hit[] {
  if (hits.length < 2) return hits;
  const kept: Hit[] = [];
  for (let hi = 0; hi < hits.length; hi++) {
    if (!isNested(hits, hi, same)) kept.push(hits[hi]);
  }
  return kept;
}

/** Whether another hit of the same group covers hits[hi] (a longer one, or an equal one listed earlier). */
function isNested(hits: Hit[], hi: number, same: (a: Hit, b: Hit) => boolean): boolean {
  const h = hits[hi];
  for (let oi = 0; oi < hits.length; oi++) {
    const o = hits[oi];
    if (o === h || o.field !== h.field || !same(o, h) || o.start > h.start || o.end < h.end) continue;
    const lo = o.end - o.start;
    const lh = h.end - h.start;
    if (lo > lh || (lo === lh && oi < hi)) return true;
  }
  return false;
}

function sameTopic(a: Hit, b: Hit): boolean {
  return a.ref.kind === 'topic' && b.ref.kind === 'topic' && a.ref.topic === b.ref.topic;
}

function sameGroup(a: Hit, b: Hit): boolean {
  return a.ref.group === b.ref.group;
}

/** Feed summaries are ~1 KB; the lede carries the subject. Longer input is cut to bound the work per article. */
export const MAX_BODY_CHARS = 20_000;
const MAX_TITLE_CHARS = 2_000;
const MAX_HITS_PER_RULE = 3;

type Scoring = Rules['scoring'];

// Context flags (a bit set: an article can have both).
const CTX_MEXICO = 1;
const CTX_BORDER = 2;

/** Hits that survived the static traps (in hit order), and the same hits split by kind in that one pass. */
interface KeptHits {
  all: Hit[];
  topic: Hit[];
  adjacency: Hit[];
  actor: Hit[];
  entity: Hit[];
}

/** The article's running scores: added to phase by phase, in the order the decision procedure lists them. */
interface Tally {
  /** Σ counted topic weights + co-occurrence − trap penalties. */
  security: number;
  /** Σ topic weights whether or not their context requirement is met ("a security term somewhere"). */
  securityRaw: number;
  adjacency: number;
  /** The part of `adjacency` from groups that demote an on-beat story. */
  demoting: number;
  veto: boolean;
  /** The first topic hit that counted: the co-occurrence rule's security term when no security-term pattern matched. */
  firstCounted: Hit | undefined;
  /** Entities whose weight counted (their explanatory evidence is not repeated). */
  scoredEntities: Set<string>;
  /** Strongest base weight (before the field multiplier) of a counted signal, and how many signals counted. */
  strongest: number;
  signals: number;
}

function countSignal(tally: Tally, baseWeight: number): void {
  if (baseWeight > 0) tally.signals++;
  if (baseWeight > tally.strongest) tally.strongest = baseWeight;
}

function fieldMultiplier(field: Field, s: Scoring): number {
  return field === 'title' ? s.titleMultiplier : s.bodyMultiplier;
}

function satisfied(req: Requirement, ctx: number): boolean {
  return req === 'none' || (req === 'mexico' ? (ctx & CTX_MEXICO) !== 0 : ctx !== 0);
}

// ---------------------------------------------------------------------------------------------- phases

/** All pattern hits of title then body (each cut to its maximum length), in match order. */
function collectHits(matcher: Matcher<Ref>, title: string, body: string, lang: string | null, tokens: Token[] | null): Hit[] {
  const hits: Hit[] = [];
  collectField(matcher, title.length > MAX_TITLE_CHARS ? title.slice(0, MAX_TITLE_CHARS) : title, 'title', lang, hits, tokens);
  collectField(matcher, body.length > MAX_BODY_CHARS ? body.slice(0, MAX_BODY_CHARS) : body, 'body', lang, hits, tokens);
  return hits;
}

/** `tokens`, when given, receives the field's tokens (the learned model reads them). */
function collectField(matcher: Matcher<Ref>, text: string, field: Field, lang: string | null, hits: Hit[], tokens: Token[] | null): void {
  // A rule counts once per article, so a few occurrences per rule and field are enough; the cap keeps the
  // nesting checks below cheap on pathological input (thousands of repeats of one word).
  const perRule = new Map<string, number>();
  const fieldTokens = tokenize(text);
  if (tokens) for (const t of fieldTokens) tokens.push(t);
  const found: MatchHit<Ref>[] = matcher.match(fieldTokens);
  for (let i = 0; i < found.length; i++) {
    const h = found[i];
    const ref = h.payload;
    if (ref.lang && lang && ref.lang !== lang) continue;
    const n = perRule.get(ref.rule) ?? 0;
    if (n >= MAX_HITS_PER_RULE) continue;
    perRule.set(ref.rule, n + 1);
    hits.push({ ref, field, start: h.start, end: h.end, matched: text.slice(h.start, h.end) });
  }
}

/**
 * The trap hits, in hit order, except those inside a longer gazetteer name: "Tequila" the drink is a trap,
 * "Tequila, Jalisco" or "alcalde de Tequila" is a town.
 */
function trapHitsOf(hits: Hit[]): Hit[] {
  const traps: Hit[] = [];
  for (const h of hits) if (h.ref.kind === 'trap' && !insideLongerEntity(h, hits)) traps.push(h);
  return traps;
}

function insideLongerEntity(t: Hit, hits: Hit[]): boolean {
  for (const o of hits) {
    if (o.ref.kind === 'entity' && !o.ref.entry.ambiguous && o.field === t.field && o.start <= t.start && o.end >= t.end && o.end - o.start > t.end - t.start) return true;
  }
  return false;
}

/**
 * Fires the context-independent traps (first hit per trap, into `firedTraps`) and collects the groups they
 * suppress. Returns those trap hits.
 */
/** Groups present, plus `entity:decisive` when a name that decides on its own is named (for trap waivers). */
function waiverSignals(hits: Hit[], decisiveWeight: number): Set<string> {
  const present = groupsPresent(hits, new Map());
  for (const h of hits) {
    if (h.ref.kind === 'entity' && !h.ref.entry.ambiguous && (h.ref.entry.weight ?? 0) >= decisiveWeight) present.add('entity:decisive');
  }
  return present;
}

function fireStaticTraps(trapHits: Hit[], hits: Hit[], decisiveWeight: number, firedTraps: Map<string, Hit>, suppressedGroups: Set<string>): Hit[] {
  const staticTraps: Hit[] = [];
  let present: Set<string> | undefined;
  for (const t of trapHits) {
    if (t.ref.kind !== 'trap' || t.ref.trap.onlyWithoutContext) continue;
    if (t.ref.trap.unlessAny.length) {
      present ??= waiverSignals(hits, decisiveWeight);
      if (anyPresent(t.ref.trap.unlessAny, present)) continue;
    }
    staticTraps.push(t);
    firedTraps.set(t.ref.trap.id, firedTraps.get(t.ref.trap.id) ?? t);
    for (const g of t.ref.trap.suppressGroups) suppressedGroups.add(g);
  }
  return staticTraps;
}

/** Whether a static trap with suppressOverlap covers the hit. */
function insideSuppressingTrap(h: Hit, staticTraps: Hit[]): boolean {
  for (const t of staticTraps) {
    if (t.ref.kind === 'trap' && t.ref.trap.suppressOverlap && t.field === h.field && t.start <= h.start && t.end >= h.end) return true;
  }
  return false;
}

/** Drops the hits the static traps suppress (trap hits themselves stay) and splits the rest by kind. */
function keepUnsuppressed(hits: Hit[], staticTraps: Hit[], suppressedGroups: Set<string>): KeptHits {
  const kept: KeptHits = { all: [], topic: [], adjacency: [], actor: [], entity: [] };
  for (const h of hits) {
    const kind = h.ref.kind;
    if (kind !== 'trap' && (suppressedGroups.has(h.ref.group) || insideSuppressingTrap(h, staticTraps))) continue;
    kept.all.push(h);
    if (kind === 'topic') kept.topic.push(h);
    else if (kind === 'adjacency') kept.adjacency.push(h);
    else if (kind === 'actor') kept.actor.push(h);
    else if (kind === 'entity') kept.entity.push(h);
  }
  return kept;
}

/** Every group id present in the article: of the kept hits and of the traps fired so far. */
function groupsPresent(hits: Hit[], firedTraps: Map<string, Hit>): Set<string> {
  const present = new Set<string>();
  for (const h of hits) present.add(h.ref.group);
  for (const id of firedTraps.keys()) present.add(id);
  return present;
}

function anyPresent(groups: readonly string[], present: Set<string>): boolean {
  for (const g of groups) if (present.has(g)) return true;
  return false;
}

/**
 * Is the story about Mexico or the US–Mexico border at all? Returns the CTX_* flags found and appends the hits
 * that establish them to `ctxHits` (in hit order).
 */
function detectContext(hits: Hit[], firedTraps: Map<string, Hit>, ctxHits: Hit[]): number {
  let ctx = 0;
  let present: Set<string> | undefined;
  for (const h of hits) {
    const r = h.ref;
    let c: Ctx | undefined;
    if (r.kind === 'context') c = r.ctx;
    else if (r.kind === 'topic' && r.provides) c = r.provides;
    else if (r.kind === 'entity' && r.entry.context && !r.entry.ambiguous) c = r.entry.context;
    else if (r.kind === 'implicit') {
      present ??= groupsPresent(hits, firedTraps);
      if (!anyPresent(r.unless, present)) c = r.ctx;
    }
    if (c) {
      ctx |= c === 'mexico' ? CTX_MEXICO : CTX_BORDER;
      ctxHits.push(h);
    }
  }
  return ctx;
}

/** What resolveEntities reads of the entity hits. */
function toEntityHits(entityHits: Hit[]): EntityHit[] {
  const out: EntityHit[] = [];
  for (const h of entityHits) {
    if (h.ref.kind === 'entity') out.push({ entry: h.ref.entry, matched: h.matched, field: h.field, start: h.start, end: h.end });
  }
  return out;
}

function entityIdSet(entities: EntityMention[]): Set<string> {
  const ids = new Set<string>();
  for (const e of entities) ids.add(e.id);
  return ids;
}

/** Traps that fire only without Mexico/border context ("across the border" elsewhere). */
function fireContextTraps(trapHits: Hit[], hasContext: boolean, firedTraps: Map<string, Hit>): void {
  if (hasContext) return;
  for (const t of trapHits) {
    if (t.ref.kind === 'trap' && t.ref.trap.onlyWithoutContext) firedTraps.set(t.ref.trap.id, firedTraps.get(t.ref.trap.id) ?? t);
  }
}

/** Security score per topic: each topic rule once (best field), nested hits of one topic dropped. */
function scoreTopics(
  topicHits: Hit[], ctx: number, sides: SidesPresent, s: Scoring, tally: Tally, topicScore: Map<string, number>, evidence: Evidence[],
): void {
  // One word is one piece of evidence: a span listed under two topics ("intervención": military and diplomacy)
  // feeds both topics but the security score once, at its larger weight.
  const spanWeight = new Map<string, number>();
  for (const h of bestPerRule(dropNested(topicHits, sameTopic))) {
    const r = h.ref;
    if (r.kind !== 'topic') continue;
    const w = r.weight * fieldMultiplier(h.field, s);
    const counts = satisfied(r.requires, ctx) && (r.withActor === undefined || sides[r.withActor]);
    const span = `${h.field}:${h.start}:${h.end}`;
    const before = spanWeight.get(span) ?? 0;
    const add = Math.max(0, w - before);
    tally.securityRaw += add;
    evidence.push({ rule: r.rule, matched: h.matched, field: h.field, weight: counts ? add : 0 });
    if (counts) {
      spanWeight.set(span, Math.max(before, w));
      if (add > 0) {
        countSignal(tally, r.weight);
        tally.security += add;
      }
      topicScore.set(r.topic, (topicScore.get(r.topic) ?? 0) + w);
      if (tally.firstCounted === undefined || (tally.firstCounted.ref.kind === 'topic' && tally.firstCounted.ref.weight < r.weight)) tally.firstCounted = h;
    }
  }
}

const STRONG_TOPIC_WEIGHT = 3;

interface SidesPresent {
  us: boolean;
  mx: boolean;
}

/** Which governments the article names: actor patterns, or resolved gazetteer entries with a side. */
function sidesPresent(hits: Hit[], entityIds: Set<string>): SidesPresent {
  const sides: SidesPresent = { us: false, mx: false };
  for (const h of hits) {
    const r = h.ref;
    const side = r.kind === 'actor' ? r.side : r.kind === 'entity' && entityIds.has(r.entry.id) ? r.entry.side : undefined;
    if (side) sides[side] = true;
  }
  return sides;
}

/** Co-occurrence: a US actor, a Mexican actor and a security term (the first of each, in hit order). */
function scoreCooccurrence(
  hits: Hit[], entityIds: Set<string>, co: Rules['cooccurrence'], tally: Tally, topicScore: Map<string, number>, evidence: Evidence[],
): void {
  let us: Hit | undefined;
  let mx: Hit | undefined;
  let security: Hit | undefined;
  for (const h of hits) {
    const r = h.ref;
    if (r.kind === 'security') {
      security ??= h;
      continue;
    }
    const side = r.kind === 'actor' ? r.side : r.kind === 'entity' && entityIds.has(r.entry.id) ? r.entry.side : undefined;
    if (side === 'us') us ??= h;
    else if (side === 'mx') mx ??= h;
  }
  // Without a security-term pattern, only a strong topic word stands in for one ("tariffs" or "ambassador" do not).
  const strong = tally.firstCounted?.ref.kind === 'topic' && tally.firstCounted.ref.weight >= STRONG_TOPIC_WEIGHT ? tally.firstCounted : undefined;
  const secTerm = security ?? strong;
  if (us && mx && secTerm) {
    const w = co.weight;
    countSignal(tally, w);
    tally.security += w;
    topicScore.set(co.topic, (topicScore.get(co.topic) ?? 0) + w);
    evidence.push({
      rule: 'cooccurrence:us-mx-security',
      matched: `${us.matched} + ${mx.matched} + ${secTerm.matched}`,
      field: us.field === 'title' || mx.field === 'title' ? 'title' : 'body',
      weight: w,
    });
  }
}

/**
 * Weighted gazetteer entities (a cartel, a cartel leader): once per entity, in its best field, when the
 * context the entity needs is there (an entity with a context provides it).
 */
function scoreEntities(
  entityHits: Hit[], entityIds: Set<string>, ctx: number, s: Scoring, tally: Tally, topicScore: Map<string, number>, evidence: Evidence[],
): void {
  const best = new Map<string, Hit>();
  for (const h of entityHits) {
    if (h.ref.kind !== 'entity' || !h.ref.entry.weight || !entityIds.has(h.ref.entry.id)) continue;
    const prev = best.get(h.ref.entry.id);
    if (!prev || (prev.field === 'body' && h.field === 'title')) best.set(h.ref.entry.id, h);
  }
  // A name that decides on its own (a cartel, its leader) counts alone; a lesser one (a security official, a
  // governor) only supports security evidence that the words already gave, and is not a signal of its own.
  const decisive = s.entityDecisiveWeight ?? s.minStrongWeight ?? 0;
  const supported = tally.security > 0;
  for (const h of best.values()) {
    if (h.ref.kind !== 'entity') continue;
    const e = h.ref.entry;
    if (!e.context && ctx === 0) continue;
    if (e.weight! < decisive && !supported) continue;
    const w = e.weight! * fieldMultiplier(h.field, s);
    // A decisive name is strong evidence by definition (it passes the one-word check on its own).
    if (e.weight! >= decisive) countSignal(tally, Math.max(e.weight!, s.minStrongWeight ?? 0));
    tally.security += w;
    tally.securityRaw += w;
    if (e.topic) topicScore.set(e.topic, (topicScore.get(e.topic) ?? 0) + w);
    tally.scoredEntities.add(e.id);
    evidence.push({ rule: h.ref.rule, matched: h.matched, field: h.field, weight: w });
  }
}

/** Signals present for the combination rules: group ids of counted hits, and `entity:<kind>` of resolved entities. */
function comboSignals(kept: KeptHits, entities: EntityMention[], entryById: Map<string, GazetteerEntry>): Set<string> {
  const present = new Set<string>();
  for (const h of kept.all) if (h.ref.kind !== 'trap' && h.ref.kind !== 'entity') present.add(h.ref.group);
  for (const e of entities) {
    present.add(`entity:${e.kind}`);
    const entry = entryById.get(e.id);
    if (e.kind === 'place' && entry?.context === 'mexico') present.add('entity:place-mx');
    // A named official is an actor of their side ("Hegseth" counts as the US, like "Washington").
    if (entry?.side) present.add(`actor-${entry.side}`);
  }
  return present;
}

/** `a|b|c`: any of the alternatives is present. */
function anyOf(signal: string, present: Set<string>): boolean {
  if (present.has(signal)) return true;
  if (!signal.includes('|')) return false;
  for (const alt of signal.split('|')) if (present.has(alt)) return true;
  return false;
}

/** Combinations of signals (all present, context met): each fires once. Returns the context they provide. */
function scoreCombos(combos: Rules['combos'], present: Set<string>, ctx: number, tally: Tally, topicScore: Map<string, number>, evidence: Evidence[]): number {
  let provided = 0;
  for (const c of combos) {
    if (!satisfied(c.requires, ctx)) continue;
    let all = true;
    for (const sig of c.all) if (!anyOf(sig, present)) { all = false; break; }
    if (!all) continue;
    countSignal(tally, c.weight);
    tally.security += c.weight;
    topicScore.set(c.topic, (topicScore.get(c.topic) ?? 0) + c.weight);
    evidence.push({ rule: `combo:${c.id}`, matched: c.all.join(' + '), field: 'body', weight: c.weight });
    if (c.providesContext) provided |= c.providesContext === 'mexico' ? CTX_MEXICO : CTX_BORDER;
  }
  return provided;
}

/** Adjacency signals: each rule once (best field), nested hits of one group dropped. */
function scoreAdjacency(adjacencyHits: Hit[], ctx: number, s: Scoring, tally: Tally, evidence: Evidence[]): void {
  for (const h of bestPerRule(dropNested(adjacencyHits, sameGroup))) {
    const r = h.ref;
    if (r.kind !== 'adjacency') continue;
    const req = r.adj.requires;
    const ok = req === 'none' || (req === 'mexico' ? (ctx & CTX_MEXICO) !== 0 : tally.securityRaw > 0);
    const w = ok ? r.adj.weight * fieldMultiplier(h.field, s) : 0;
    tally.adjacency += w;
    if (r.adj.demotesOnBeat) tally.demoting += w;
    evidence.push({ rule: r.rule, matched: h.matched, field: h.field, weight: w });
  }
}

/** Trap penalties and vetoes (once per fired trap, in firing order). */
function applyTrapPenalties(firedTraps: Map<string, Hit>, tally: Tally, evidence: Evidence[]): void {
  for (const [id, h] of firedTraps) {
    if (h.ref.kind !== 'trap') continue;
    const t = h.ref.trap;
    tally.security -= t.penalty;
    if (t.appliesToAdjacency) {
      tally.adjacency -= t.penalty;
      tally.demoting -= t.penalty;
    }
    tally.veto ||= t.veto;
    evidence.push({ rule: `trap:${id}`, matched: h.matched, field: h.field, weight: -t.penalty });
  }
}

/** Context, actors and entities explain the decision but carry no weight of their own. */
function addExplanatoryEvidence(ctxHits: Hit[], kept: KeptHits, entityIds: Set<string>, scored: Set<string>, evidence: Evidence[]): void {
  const explained: Hit[] = [];
  for (const x of ctxHits) if (x.ref.kind !== 'entity' || !scored.has(x.ref.entry.id)) explained.push(x);
  for (const x of kept.entity) {
    if (x.ref.kind === 'entity' && entityIds.has(x.ref.entry.id) && !scored.has(x.ref.entry.id) && !ctxHits.includes(x)) explained.push(x);
  }
  for (const h of bestPerRule(explained)) {
    const rule = h.ref.kind === 'topic' ? `context:${h.ref.provides}/via:${h.ref.rule}` : h.ref.rule;
    evidence.push({ rule, matched: h.matched, field: h.field, weight: 0 });
  }
  for (const h of bestPerRule(kept.actor)) {
    evidence.push({ rule: h.ref.rule, matched: h.matched, field: h.field, weight: 0 });
  }
}

function enoughEvidence(tally: Tally, s: Scoring): boolean {
  if (s.minStrongWeight === undefined) return true;
  return tally.strongest >= s.minStrongWeight || tally.signals >= (s.minSignals ?? 1);
}

function decide(tally: Tally, hasContext: boolean, s: Scoring): Relevance {
  const { security, veto } = tally;
  const dominated = tally.demoting >= security * s.adjacencyDominance ||
    (s.otherAdjacencyDominance !== undefined && tally.adjacency - tally.demoting >= security * s.otherAdjacencyDominance);
  if (!veto && hasContext && security >= s.onBeatThreshold && !dominated && enoughEvidence(tally, s)) return 'on_beat';
  if (!veto && (tally.adjacency >= s.adjacentThreshold || (hasContext && security >= s.adjacentThreshold))) return 'adjacent';
  return 'off_beat';
}

/** Ranks topics with a positive score (best first, ties in rules order): each ≥ the threshold, else the best one. */
function rankTopics(topicScore: Map<string, number>, topicOrder: Map<string, number>, threshold: number): string[] {
  const ranked: [slug: string, score: number, order: number][] = [];
  for (const [k, v] of topicScore) if (v > 0) ranked.push([k, v, topicOrder.get(k)!]);
  ranked.sort(compareRanked);
  const topics: string[] = [];
  for (const r of ranked) if (r[1] >= threshold) topics.push(r[0]);
  if (topics.length === 0 && ranked.length > 0) topics.push(ranked[0][0]);
  return topics;
}

function compareRanked(a: [string, number, number], b: [string, number, number]): number {
  return b[1] - a[1] || a[2] - b[2];
}

/** on_beat in [0.5, 1), adjacent in [0.2, 0.5), off_beat in [0, 0.2): sorts the three bands apart. */
function bandScore(relevance: Relevance, security: number, s: Scoring): number {
  const strength = security > 0 ? security / (security + s.onBeatThreshold) : 0;
  const score = relevance === 'on_beat' ? 0.5 + 0.5 * strength : relevance === 'adjacent' ? 0.2 + 0.3 * strength : 0.2 * strength;
  return Math.round(score * 1000) / 1000;
}

// ---------------------------------------------------------------------------------------------- classifier

export function createClassifier(rules: Rules, model?: BeatModel | null): Classifier {
  const classify = createRulesClassifier(rules, model ?? null);
  return (input) => classify(input, null);
}

/**
 * The features the learned model reads of an article, computed by the rules alone (training reads the same
 * features that classification will: train.ts).
 */
export function createFeaturizer(rules: Rules): (input: ClassifyInput) => string[] {
  const classify = createRulesClassifier(rules, null);
  return (input) => {
    const out: string[] = [];
    classify(input, out);
    return out;
  };
}

/** Whether the model overrules the rules' verdict, and into what. */
function applyModel(relevance: Relevance, hasContext: boolean, p: number): Relevance {
  if (relevance === 'on_beat' && p < MODEL_DEMOTE) return 'adjacent';
  if (relevance !== 'on_beat' && hasContext && p >= MODEL_PROMOTE) return 'on_beat';
  return relevance;
}

type RulesClassify = (input: ClassifyInput, featuresOut: string[] | null) => Classification;

function createRulesClassifier(rules: Rules, model: BeatModel | null): RulesClassify {
  const version = model ? `${rules.rulesVersion}+m${model.version}` : rules.rulesVersion;
  const matcher = compile(rules);
  const s = rules.scoring;
  const topicOrder = new Map(rules.topics.map((t, i) => [t.slug, i]));
  const entryById = new Map(rules.gazetteer.map((g) => [g.id, g]));

  // Each phase is a small module-level function: V8 re-optimizes a small function cheaply when one deopts.
  return function classify(input: ClassifyInput, featuresOut: string[] | null): Classification {
    const lang = normLang(input.lang);
    const tokens: Token[] | null = model || featuresOut ? [] : null;
    const hits = collectHits(matcher, input.title ?? '', input.text ?? '', lang, tokens);

    // 1. Traps that suppress by overlap or by group (context-independent ones first).
    const firedTraps = new Map<string, Hit>();
    const suppressedGroups = new Set<string>();
    const trapHits = trapHitsOf(hits);
    const kept = keepUnsuppressed(hits, fireStaticTraps(trapHits, hits, s.entityDecisiveWeight ?? s.minStrongWeight ?? Infinity, firedTraps, suppressedGroups), suppressedGroups);

    // 2. Context; ambiguous names ("Guerrero", "CDN") only confirm a context found otherwise.
    const ctxHits: Hit[] = [];
    const ctx = detectContext(kept.all, firedTraps, ctxHits);
    const hasContext = ctx !== 0;
    const entities = resolveEntities(toEntityHits(kept.entity), hasContext);
    const entityIds = entityIdSet(entities);

    // 3. Context-dependent traps.
    fireContextTraps(trapHits, hasContext, firedTraps);

    // 4.–7. Security score per topic, co-occurrence, adjacency, trap penalties; then the explanatory evidence.
    const tally: Tally = { security: 0, securityRaw: 0, adjacency: 0, demoting: 0, veto: false, firstCounted: undefined, scoredEntities: new Set(), strongest: 0, signals: 0 };
    const topicScore = new Map<string, number>();
    const evidence: Evidence[] = [];
    scoreTopics(kept.topic, ctx, sidesPresent(kept.all, entityIds), s, tally, topicScore, evidence);
    scoreEntities(kept.entity, entityIds, ctx, s, tally, topicScore, evidence);
    scoreCooccurrence(kept.all, entityIds, rules.cooccurrence, tally, topicScore, evidence);
    const comboCtx = rules.combos.length ? scoreCombos(rules.combos, comboSignals(kept, entities, entryById), ctx, tally, topicScore, evidence) : 0;
    scoreAdjacency(kept.adjacency, ctx, s, tally, evidence);
    applyTrapPenalties(firedTraps, tally, evidence);
    addExplanatoryEvidence(ctxHits, kept, entityIds, tally.scoredEntities, evidence);

    // 8. Decision; 9. the learned model, when there is one, may overrule a clear mistake of the rules.
    let relevance = decide(tally, hasContext || comboCtx !== 0, s);
    if (tokens) {
      const features = modelFeatures({ rulesRelevance: relevance, lang, tokens, evidence });
      if (featuresOut) featuresOut.push(...features);
      if (model) {
        const p = modelProbability(model, features);
        const next = applyModel(relevance, hasContext, p);
        evidence.push({ rule: next === relevance ? 'learned:model' : `learned:model/${relevance}->${next}`, matched: `p(on_beat)=${p.toFixed(2)}`, field: 'body', weight: 0 });
        relevance = next;
      }
    }
    return {
      relevance,
      score: bandScore(relevance, tally.security, s),
      topics: relevance === 'on_beat' ? rankTopics(topicScore, topicOrder, s.topicThreshold) : [],
      entities,
      evidence,
      rulesVersion: version,
    };
  };
}

/** One-line human explanation of a classification ("matched because …") for the UI and logs. */
export function explainClassification(c: Classification): string {
  const counted = c.evidence.filter((e) => e.weight !== 0).sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  const parts = counted.slice(0, 6).map((e) => `${e.rule.split('/')[0]} "${e.matched}" (${e.field}, ${e.weight > 0 ? '+' : ''}${e.weight})`);
  const ctx = c.evidence.filter((e) => e.rule.startsWith('entity:') || (e.rule.startsWith('context:') && e.weight === 0)).map((e) => `"${e.matched}"`);
  return `${c.relevance}${c.topics.length ? ` [${c.topics.join(', ')}]` : ''} because ${parts.join('; ') || 'nothing matched'}` +
    (ctx.length ? `; context: ${[...new Set(ctx)].slice(0, 4).join(', ')}` : '; no Mexico/border context');
}
