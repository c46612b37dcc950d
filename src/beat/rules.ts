// The beat as data: loading and validating a rules file (format: docs/rules-format.md).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { beatSectionSchema, completeBeatSection } from './beat-section.js';
import { lexiconEntrySchema, lexiconFileSchema, lexiconProblems, type LexiconEntry } from './lexicon-data.js';
import { checkPattern, PatternError } from './matcher.js';

export const DEFAULT_RULES_FILE = fileURLToPath(new URL('./rules/us-mexico.json', import.meta.url));

const lang = z.enum(['en', 'es']);

const patternObject = z.strictObject({
  match: z.string().min(1),
  weight: z.number().finite().optional(),
  caseSensitive: z.boolean().optional(),
  exact: z.boolean().optional(),
  /** Apply only when the article's language is this one (articles of unknown language get every pattern). */
  lang: lang.optional(),
});
export const patternSpec = z.union([z.string().min(1), patternObject]);
export type PatternSpec = z.infer<typeof patternSpec>;

/** English and Spanish pattern lists. Both lists apply to every article unless a pattern sets `lang`. */
const bilingual = {
  en: z.array(patternSpec).default([]),
  es: z.array(patternSpec).default([]),
};

const requirement = z.enum(['none', 'mexico', 'mexico_or_border']);
export type Requirement = z.infer<typeof requirement>;

const topicGroup = z.strictObject({
  id: z.string().min(1).optional(),
  weight: z.number().finite(),
  /** Which context must be present elsewhere in the article for these patterns to count. */
  requires: requirement.default('mexico_or_border'),
  /**
   * The words count only when an actor of this side is named too: "military" is US military action only if
   * the US is in the story (the Mexican army's domestic role is not), "ambassador" likewise.
   */
  withActor: z.enum(['us', 'mx']).optional(),
  /** Patterns here also establish this context (e.g. "border wall" implies the US–Mexico border). */
  providesContext: z.enum(['mexico', 'border']).optional(),
  ...bilingual,
});

const topic = z.strictObject({
  slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'slug must be kebab-case'),
  name: z.string().min(1),
  description: z.string().min(1),
  groups: z.array(topicGroup).min(1),
});

const contextGroup = z.strictObject({ id: z.string().min(1).optional(), ...bilingual });
const implicitContext = z.strictObject({
  id: z.string().min(1),
  description: z.string().optional(),
  provides: z.enum(['mexico', 'border']),
  /** Ids of adjacency groups or traps whose presence cancels the implied context. */
  unlessAny: z.array(z.string()).default([]),
  ...bilingual,
});

const gazetteerEntry = z.strictObject({
  id: z.string().regex(/^(person|organization|cartel|place):[a-z0-9-]+$/, 'id must be "<kind>:<kebab-name>"'),
  kind: z.enum(['person', 'organization', 'cartel', 'place']),
  name: z.string().min(1),
  aliases: z.array(patternSpec).min(1),
  /** Government side for the co-occurrence rule (US actor + Mexican actor + security term). */
  side: z.enum(['us', 'mx']).optional(),
  /** A mention establishes this context. */
  context: z.enum(['mexico', 'border']).optional(),
  /** Counts only when some unambiguous Mexico/border context is also present (e.g. "CDN", "Guerrero"). */
  ambiguous: z.boolean().optional(),
  /** A mention adds this to the security score (× the field multiplier, once per entity): a cartel leader decides alone. */
  weight: z.number().finite().min(0).optional(),
  /** The topic that weight feeds (default: none — the score counts, no topic gets it). */
  topic: z.string().optional(),
  /** Documentation: who or what this is. */
  role: z.string().optional(),
});

/** One gazetteer entry, as the rules and their included files hold it (tests of those files extend it). */
export const gazetteerEntrySchema = gazetteerEntry;

/** A file of gazetteer entries included by the rules (`gazetteerFiles`), e.g. a generated gazetteer of places. */
const gazetteerFile = z.object({ entries: z.array(gazetteerEntry) }).passthrough();

const combo = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string().min(1),
  weight: z.number().finite(),
  topic: z.string().min(1),
  /**
   * Every signal must be present: a group id (topic group, context group, adjacency group, implicit context) or
   * `entity:<kind>` (a resolved gazetteer entity of that kind; `entity:place-mx` = a place in Mexico).
   */
  all: z.array(z.string().min(1)).min(2),
  /** Context the combination needs (default mexico). */
  requires: requirement.default('mexico'),
  /** The combination itself establishes this context (a US strike on a boat is on the beat wherever the boat was). */
  providesContext: z.enum(['mexico', 'border']).optional(),
});

const trap = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string().min(1),
  /** Drop every other hit whose text lies inside this trap's match ("Mexico" inside "New Mexico"). */
  suppressOverlap: z.boolean().default(false),
  /** Drop all hits of these group ids anywhere in the article (e.g. generic "cartel" when OPEC is named). */
  suppressGroups: z.array(z.string()).default([]),
  /** Subtracted (once) from the security score when the trap fires. */
  penalty: z.number().min(0).default(0),
  /** Also subtract the penalty from the adjacency score. */
  appliesToAdjacency: z.boolean().default(false),
  /** Fire only when the article has no Mexico/border context. */
  onlyWithoutContext: z.boolean().default(false),
  /** Force off_beat whatever else matched. Use sparingly. */
  veto: z.boolean().default(false),
  /**
   * Group ids whose presence waives the trap (a sports story about security threats to a tournament is security
   * news); `entity:decisive` = a name that decides on its own (a cartel, its leader).
   */
  unlessAny: z.array(z.string()).default([]),
  ...bilingual,
});

const adjacencyGroup = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string().min(1),
  weight: z.number().finite(),
  /** none: always; mexico: needs Mexico context; security: needs a security term somewhere (even out of context). */
  requires: z.enum(['none', 'mexico', 'security']).default('none'),
  /** Counts toward demoting an on-beat-looking story (migration stories that mention the wall); when false the
   *  group only decides adjacent vs off (a fentanyl-tariff story also talks about trade). */
  demotesOnBeat: z.boolean().default(true),
  ...bilingual,
});

const scoring = z.strictObject({
  titleMultiplier: z.number().positive(),
  bodyMultiplier: z.number().positive(),
  onBeatThreshold: z.number().positive(),
  adjacentThreshold: z.number().positive(),
  topicThreshold: z.number().positive(),
  /** on_beat is demoted to adjacent when adjacency ≥ security × this (the story is mainly about migration). */
  adjacencyDominance: z.number().positive(),
  /**
   * One word is not a story: on_beat also needs a signal of at least this base weight (a strong term, a
   * weighted entity, a combination) or at least `minSignals` distinct counted signals.
   */
  minStrongWeight: z.number().positive().optional(),
  minSignals: z.number().int().positive().optional(),
  /** A gazetteer entity of at least this weight counts on its own; a lighter one only supports other evidence. */
  entityDecisiveWeight: z.number().positive().optional(),
  /**
   * Adjacency groups that do not demote (domestic politics, trade) still demote when they outweigh the security
   * score this many times over (a mañanera recap about steel tariffs that names the US).
   */
  otherAdjacencyDominance: z.number().positive().optional(),
});

export const rulesSchema = z.strictObject({
  version: z.string().min(1),
  /** What readers see of the beat: its name, the 'all' feed, the site's and newsletter's lines (beat-section.ts). */
  beat: beatSectionSchema.transform(completeBeatSection),
  scoring,
  topics: z.array(topic).min(1),
  context: z.strictObject({
    mexico: contextGroup,
    border: contextGroup,
    implicit: z.array(implicitContext).default([]),
  }),
  actors: z.strictObject({ us: contextGroup, mx: contextGroup }),
  securityTerms: contextGroup,
  cooccurrence: z.strictObject({
    weight: z.number().finite(),
    topic: z.string().min(1),
    description: z.string().optional(),
  }),
  gazetteer: z.array(gazetteerEntry),
  /** Files of more gazetteer entries, relative to the rules file (their content is part of the version stamp). */
  gazetteerFiles: z.array(z.string().min(1)).default([]),
  /** Combinations of signals that say more together than apart ("an attack" + "police" + a Mexican town). */
  combos: z.array(combo).default([]),
  traps: z.array(trap),
  adjacency: z.array(adjacencyGroup),
  /** The clustering lexicon (lexicon-data.ts), inline or in `lexiconFile` (relative to the rules file). */
  lexicon: z.array(lexiconEntrySchema).default([]),
  lexiconFile: z.string().min(1).optional(),
});

export type RulesData = z.infer<typeof rulesSchema>;
/** Validated rules plus the version stamp stored with every classification. */
export type Rules = RulesData & { rulesVersion: string };

export class RulesError extends Error {
  constructor(message: string, readonly source: string) {
    super(`invalid beat rules (${source}): ${message}`);
    this.name = 'RulesError';
  }
}

/** rules.version + short content hash: any edit to the file changes it, so a reclassify job can compare. */
export function computeRulesVersion(version: string, content: string): string {
  return `${version}+${createHash('sha256').update(content).digest('hex').slice(0, 8)}`;
}

/** Validates parsed rules (from a file or built in code, e.g. in tests). */
export function parseRules(data: unknown, source = '<object>', content?: string): Rules {
  const res = rulesSchema.safeParse(data);
  if (!res.success) {
    const lines = res.error.issues.map((i) => `  - ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new RulesError(`${res.error.issues.length} problem(s):\n${lines.join('\n')}`, source);
  }
  const rules = res.data;
  checkSemantics(rules, source);
  return { ...rules, rulesVersion: computeRulesVersion(rules.version, content ?? JSON.stringify(data)) };
}

function checkSemantics(rules: RulesData, source: string): void {
  const problems: string[] = [];
  const slugs = new Set<string>();
  for (const t of rules.topics) {
    if (slugs.has(t.slug)) problems.push(`topics: duplicate slug "${t.slug}"`);
    slugs.add(t.slug);
  }
  if (!slugs.has(rules.cooccurrence.topic)) problems.push(`cooccurrence.topic "${rules.cooccurrence.topic}" is not a topic slug`);
  const ids = new Set<string>();
  for (const g of rules.gazetteer) {
    if (ids.has(g.id)) problems.push(`gazetteer: duplicate id "${g.id}"`);
    ids.add(g.id);
    if (!g.id.startsWith(g.kind + ':')) problems.push(`gazetteer: id "${g.id}" does not start with its kind "${g.kind}:"`);
  }
  for (const g of rules.gazetteer) {
    if (g.topic !== undefined && !slugs.has(g.topic)) problems.push(`gazetteer: "${g.id}" has unknown topic "${g.topic}"`);
  }
  const groupIds = new Set<string>([...rules.traps.map((t) => t.id), ...rules.adjacency.map((a) => a.id)]);
  for (const t of rules.topics) for (const g of t.groups) if (g.id) groupIds.add(g.id);
  for (const c of rules.context.implicit) groupIds.add(c.id);
  for (const t of rules.traps) {
    for (const g of t.suppressGroups) if (!groupIds.has(g)) problems.push(`traps.${t.id}.suppressGroups: unknown group "${g}"`);
    for (const g of t.unlessAny) if (!groupIds.has(g) && g !== 'entity:decisive') problems.push(`traps.${t.id}.unlessAny: unknown group "${g}"`);
  }
  const signalIds = new Set([
    ...groupIds, rules.context.mexico.id ?? 'context-mexico', rules.context.border.id ?? 'context-border',
    rules.actors.us.id ?? 'actor-us', rules.actors.mx.id ?? 'actor-mx', 'security-terms',
  ]);
  for (const c of rules.combos) {
    if (!slugs.has(c.topic)) problems.push(`combos.${c.id}.topic: unknown topic "${c.topic}"`);
    for (const sig of c.all.flatMap((a) => a.split('|'))) {
      if (!signalIds.has(sig) && !/^entity:(person|organization|cartel|place|place-mx)$/.test(sig)) problems.push(`combos.${c.id}.all: unknown signal "${sig}"`);
    }
  }
  for (const c of rules.context.implicit) {
    for (const g of c.unlessAny) if (!groupIds.has(g)) problems.push(`context.implicit.${c.id}.unlessAny: unknown group "${g}"`);
  }
  // Parse every pattern once so that a bad pattern fails at load time, not on the first article.
  const check = (where: string, p: PatternSpec) => {
    const text = typeof p === 'string' ? p : p.match;
    try {
      checkPattern(text, typeof p === 'string' ? {} : p);
    } catch (e) {
      if (e instanceof PatternError) problems.push(`${where}: ${e.message}`);
      else throw e;
    }
  };
  const each = (where: string, g: { en: PatternSpec[]; es: PatternSpec[] }) => {
    g.en.forEach((p, i) => check(`${where}.en[${i}]`, p));
    g.es.forEach((p, i) => check(`${where}.es[${i}]`, p));
  };
  rules.topics.forEach((t) => t.groups.forEach((g, i) => each(`topics.${t.slug}.groups[${i}]`, g)));
  each('context.mexico', rules.context.mexico);
  each('context.border', rules.context.border);
  rules.context.implicit.forEach((c) => each(`context.implicit.${c.id}`, c));
  each('actors.us', rules.actors.us);
  each('actors.mx', rules.actors.mx);
  each('securityTerms', rules.securityTerms);
  rules.gazetteer.forEach((g) => g.aliases.forEach((p, i) => check(`gazetteer.${g.id}.aliases[${i}]`, p)));
  rules.traps.forEach((t) => each(`traps.${t.id}`, t));
  rules.adjacency.forEach((a) => each(`adjacency.${a.id}`, a));
  problems.push(...lexiconProblems(rules.lexicon));
  if (problems.length) throw new RulesError(`${problems.length} problem(s):\n${problems.map((p) => '  - ' + p).join('\n')}`, source);
}

/**
 * Reads and validates a rules file; defaults to the shipped US–Mexico beat, loaded once per process (thread):
 * with its gazetteers it is several MB, and every classifier of a process shares it (rules are read-only).
 */
export function loadRules(path: string = DEFAULT_RULES_FILE): Rules {
  return path === DEFAULT_RULES_FILE ? defaultBeatRules() : readRulesFile(path);
}

function readRulesFile(path: string): Rules {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RulesError(`cannot read file: ${(e as Error).message}`, path);
  }
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (e) {
    throw new RulesError(`not valid JSON: ${(e as Error).message}`, path);
  }
  const included = includeGazetteerFiles(data, path);
  // A lexicon file is left out of the classification stamp: its entries only feed clustering (an edit to it
  // calls for a recluster, not a reclassification).
  return parseRules(includeLexiconFile(included.data, path), path, content + included.content);
}

/** Reads the JSON file at `file` (relative to the rules file), or a RulesError naming the key that points to it. */
function readIncluded(key: string, f: string, rulesPath: string): { text: string; parsed: unknown } {
  const file = resolve(dirname(rulesPath), f);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RulesError(`${key}: cannot read ${f}: ${(e as Error).message}`, rulesPath);
  }
  try {
    return { text, parsed: JSON.parse(text) };
  } catch (e) {
    throw new RulesError(`${key}: ${f} is not valid JSON: ${(e as Error).message}`, rulesPath);
  }
}

/** Puts the entries of `lexiconFile` after the inline `lexicon` entries (the loaded rules stay self-contained). */
function includeLexiconFile(data: unknown, rulesPath: string): unknown {
  const f = (data as { lexiconFile?: unknown })?.lexiconFile;
  if (typeof f !== 'string') return data;
  const res = lexiconFileSchema.safeParse(readIncluded('lexiconFile', f, rulesPath).parsed);
  if (!res.success) {
    const first = res.error.issues.slice(0, 5).map((i) => `${f}: ${i.path.join('.')}: ${i.message}`);
    throw new RulesError(`lexiconFile: ${first.join('; ')}`, rulesPath);
  }
  const d = data as { lexicon?: unknown; lexiconFile?: string };
  const { lexiconFile: _named, ...rest } = d;
  return { ...rest, lexicon: [...(Array.isArray(d.lexicon) ? d.lexicon : []), ...res.data.entries] };
}

/** Appends the entries of `gazetteerFiles` (paths relative to the rules file) to `gazetteer`. */
function includeGazetteerFiles(data: unknown, rulesPath: string): { data: unknown; content: string } {
  const files = (data as { gazetteerFiles?: unknown })?.gazetteerFiles;
  if (!Array.isArray(files) || files.length === 0) return { data, content: '' };
  const d = data as { gazetteer?: unknown[] };
  const extra: unknown[] = [];
  let content = '';
  for (const f of files) {
    if (typeof f !== 'string') continue;
    const { text, parsed } = readIncluded('gazetteerFiles', f, rulesPath);
    const res = gazetteerFile.safeParse(parsed);
    if (!res.success) {
      const first = res.error.issues.slice(0, 5).map((i) => `${f}: ${i.path.join('.')}: ${i.message}`);
      throw new RulesError(`gazetteerFiles: ${first.join('; ')}`, rulesPath);
    }
    extra.push(...res.data.entries);
    content += `\n${f}\n${text}`;
  }
  // The entries are merged in: the loaded rules are self-contained (serializing them gives a complete rules file).
  return { data: { ...d, gazetteer: [...(Array.isArray(d.gazetteer) ? d.gazetteer : []), ...extra], gazetteerFiles: [] }, content };
}

let defaultRules: Rules | undefined;
/** The shipped rules, loaded once. */
export function defaultBeatRules(): Rules {
  return (defaultRules ??= readRulesFile(DEFAULT_RULES_FILE));
}

let defaultLexicon: readonly LexiconEntry[] | undefined;
/**
 * The shipped rules' clustering lexicon, without loading the rest (its gazetteers take a second): what the
 * clustering code uses when its caller passes no lexicon (the evaluation, the benches, unit tests).
 */
export function defaultLexiconEntries(): readonly LexiconEntry[] {
  if (defaultRules) return defaultRules.lexicon;
  if (!defaultLexicon) {
    const { parsed } = readIncluded('rules', DEFAULT_RULES_FILE, DEFAULT_RULES_FILE);
    const res = z.array(lexiconEntrySchema).safeParse((includeLexiconFile(parsed, DEFAULT_RULES_FILE) as { lexicon?: unknown }).lexicon ?? []);
    if (!res.success) throw new RulesError(`lexicon: ${res.error.issues[0]?.message}`, DEFAULT_RULES_FILE);
    const problems = lexiconProblems(res.data);
    if (problems.length) throw new RulesError(problems.join('; '), DEFAULT_RULES_FILE);
    defaultLexicon = res.data;
  }
  return defaultLexicon;
}
