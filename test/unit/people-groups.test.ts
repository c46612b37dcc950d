// The people-and-groups gazetteer (src/beat/rules/people-groups.json): shape, consistency, and hand-written
// sentences (English and Spanish) that must hit — or must not hit — particular entries.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Matcher } from '../../src/beat/matcher.js';
import { gazetteerEntrySchema } from '../../src/beat/rules.js';
import { tokenize } from '../../src/beat/normalize-text.js';

const TOPICS = [
  'us-military-action', 'cartel-designations', 'fentanyl-trafficking', 'cartel-violence',
  'extradition-justice', 'diplomacy-sovereignty', 'border-security', 'arms-trafficking',
] as const;

// The rules' gazetteer-entry shape (src/beat/rules.ts), narrowed to people, groups and agencies.
const entrySchema = gazetteerEntrySchema.extend({
  kind: z.enum(['person', 'organization', 'cartel']),
  weight: z.number().min(0).max(4).optional(),
  topic: z.enum(TOPICS).optional(),
  role: z.string().min(3),
});
type Alias = z.infer<typeof entrySchema>['aliases'][number];

const fileSchema = z.strictObject({ description: z.string().min(1), entries: z.array(entrySchema).min(1) });

type Entry = z.infer<typeof entrySchema>;

const raw: unknown = JSON.parse(readFileSync(new URL('../../src/beat/rules/people-groups.json', import.meta.url), 'utf8'));
const parsed = fileSchema.safeParse(raw);
const entries: Entry[] = parsed.success ? parsed.data.entries : [];
const byId = new Map(entries.map((e) => [e.id, e]));

const aliasText = (a: Alias) => (typeof a === 'string' ? a : a.match);
const aliasLang = (a: Alias) => (typeof a === 'string' ? undefined : a.lang);

// Payload "<id>|<lang or empty>": patterns with a `lang` apply only to articles of that language (as in the classifier).
const matcher = new Matcher<string>();
for (const e of entries) {
  for (const a of e.aliases) {
    matcher.add(aliasText(a), `${e.id}|${aliasLang(a) ?? ''}`, typeof a === 'string' ? {} : a);
  }
}

interface Hit { id: string; start: number; end: number }

/** Entity ids found in `text`: lang filter, then hits nested in a longer hit dropped (as resolveEntities does). */
function hits(text: string, lang: 'en' | 'es' | null = null): Hit[] {
  const all: Hit[] = [];
  for (const h of matcher.match(tokenize(text))) {
    const [id, patternLang] = h.payload.split('|');
    if (patternLang && lang && patternLang !== lang) continue;
    all.push({ id, start: h.start, end: h.end });
  }
  return all.filter((h) => !all.some((o) => o !== h && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start));
}

function ids(text: string, lang: 'en' | 'es' | null = null): string[] {
  return [...new Set(hits(text, lang).map((h) => h.id))].sort();
}

/** Like `ids`, then ambiguous entries kept only when an unambiguous entry with a context fired too. */
function resolved(text: string, lang: 'en' | 'es' | null = null): string[] {
  const found = ids(text, lang).map((id) => byId.get(id)!);
  const context = found.some((e) => e.context && !e.ambiguous);
  return found.filter((e) => !e.ambiguous || context).map((e) => e.id);
}

describe('people-groups.json: shape', () => {
  it('matches the schema', () => {
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
    expect(entries.length).toBeGreaterThanOrEqual(150);
  });

  it('has unique ids, each starting with its kind', () => {
    const seen = new Set<string>();
    const dups = entries.filter((e) => (seen.has(e.id) ? true : (seen.add(e.id), false))).map((e) => e.id);
    expect(dups).toEqual([]);
    expect(entries.filter((e) => !e.id.startsWith(`${e.kind}:`)).map((e) => e.id)).toEqual([]);
  });

  it('uses only the 8 topic slugs, and every weighted entry names its topic', () => {
    for (const e of entries) if (e.topic !== undefined) expect(TOPICS).toContain(e.topic);
    expect(entries.filter((e) => (e.weight ?? 0) > 0 && !e.topic).map((e) => e.id)).toEqual([]);
  });

  it('gives no government side to cartels', () => {
    expect(entries.filter((e) => e.kind === 'cartel' && e.side).map((e) => e.id)).toEqual([]);
  });

  it('compiles every alias, and no alias belongs to two entries', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const e of entries) {
      for (const a of e.aliases) {
        const cs = typeof a !== 'string' && a.caseSensitive === true;
        expect(() => new Matcher<string>().add(aliasText(a), e.id, typeof a === 'string' ? {} : a)).not.toThrow();
        const key = `${tokenize(aliasText(a)).map((t) => (cs ? t.cased : t.folded)).join(' ')}|${cs}|${aliasLang(a) ?? ''}`;
        const prev = owner.get(key);
        if (prev !== undefined) clashes.push(`${key}: ${prev} / ${e.id}`);
        owner.set(key, e.id);
      }
    }
    expect(clashes).toEqual([]);
  });
});

describe('people-groups.json: sentences', () => {
  it('finds cartel figures by nickname, full name and surname forms', () => {
    expect(ids('Detienen a "El Jardinero", operador del CJNG')).toEqual(['cartel:cjng', 'person:audias-flores-silva']);
    expect(ids("Iván Archivaldo's in-laws arrested", 'en')).toEqual(['person:ivan-archivaldo-guzman']);
    expect(ids('Nemesio Oseguera, alias El Mencho')).toEqual(['person:nemesio-oseguera']);
    expect(ids('Ovidio Guzmán López pleaded guilty in Chicago')).toEqual(['person:ovidio-guzman-lopez']);
    expect(ids('Z-40 y Z-42 fueron enviados a Estados Unidos', 'es')).toEqual([
      'organization:united-states', 'person:miguel-angel-trevino', 'person:omar-trevino',
    ]);
    expect(ids('La guerra entre Los Chapitos y La Mayiza en Culiacán')).toEqual(['cartel:la-mayiza', 'cartel:los-chapitos']);
  });

  it('keeps relatives apart: a longer name wins over the surname inside it', () => {
    expect(ids('Mónica Zambada')).toEqual(['person:monica-zambada']);
    expect(ids('Ismael Zambada Sicairos, "El Mayito Flaco", encabeza la facción')).toEqual(['person:ismael-zambada-sicairos']);
    expect(ids('Vicente Zambada Niebla testified for the prosecution')).toEqual(['person:vicente-zambada-niebla']);
    expect(ids('Zambada pleaded guilty in Brooklyn')).toEqual(['person:ismael-zambada']);
    expect(ids('“El Chapo Isidro” added to the FBI list', 'en')).toEqual([
      'organization:fbi', 'person:fausto-isidro-meza-flores',
    ]);
    expect(ids('The sons of El Chapo run the faction')).toEqual(['cartel:los-chapitos']);
    expect(ids('Osiel Cárdenas Guillén fue deportado')).toEqual(['person:osiel-cardenas-guillen']);
  });

  it('reads Spanish newsroom shorthand', () => {
    expect(ids('CSP rechaza intervención de EU', 'es')).toEqual(['organization:united-states', 'person:claudia-sheinbaum']);
    expect(ids('La GN y la Sedena despliegan elementos', 'es')).toEqual(['organization:guardia-nacional', 'organization:sedena']);
    expect(resolved('La GN y la Sedena despliegan elementos', 'es')).toEqual([
      'organization:guardia-nacional', 'organization:sedena',
    ]);
    expect(ids('García Harfuch informa detención')).toEqual(['person:omar-garcia-harfuch']);
    expect(ids('La Marina y la FGR aseguran un laboratorio', 'es')).toEqual(['organization:fgr', 'organization:semar']);
    expect(ids('La DEA y el FBI', 'es')).toEqual(['organization:dea', 'organization:fbi']);
  });

  it('does not take ordinary words for nicknames (case-sensitive aliases)', () => {
    expect(ids('El mayo pasado llovió en Culiacán')).not.toContain('person:ismael-zambada');
    expect(ids('El Mayo fue trasladado a Nueva York')).toContain('person:ismael-zambada');
    expect(ids('Sold at the marina in San Diego', 'en')).toEqual([]);
    expect(ids('Una idea: el ratón y el pez', 'es')).toEqual([]);
    expect(ids('Bondi Beach reopened', 'en')).toEqual([]);
    expect(ids('La Línea 12 del Metro reabre', 'es')).toEqual([]);
    expect(ids('Detienen a jefe de La Línea, brazo armado del Cártel de Juárez', 'es')).toEqual(['cartel:juarez-cartel']);
  });

  it('applies language-restricted aliases only to articles of that language', () => {
    expect(ids('EU leaders met in Brussels', 'en')).toEqual([]);
    expect(ids('EU presiona a México', 'es')).toEqual(['organization:united-states']);
    expect(ids('CSP headers in the browser', 'en')).toEqual([]);
    // Articles of unknown language get every pattern.
    expect(ids('EU presiona', null)).toEqual(['organization:united-states']);
  });

  it('disambiguates names that contain another entry\'s alias', () => {
    expect(ids('los Estados Unidos Mexicanos', 'es')).toEqual(['organization:mexican-government']);
    expect(ids('la Guardia Nacional de Texas llegó a la frontera', 'es')).toEqual(['organization:us-national-guard']);
  });

  it('counts ambiguous entries only with Mexico context from another entry', () => {
    expect(resolved('El Pez nadó en el río')).toEqual([]);
    expect(resolved('"El Pez", líder de La Nueva Familia Michoacana')).toEqual([
      'cartel:la-nueva-familia-michoacana', 'person:johnny-hurtado-olascoaga',
    ]);
    expect(resolved('Smith & Wesson shares rose', 'en')).toEqual([]);
    expect(resolved('México demanda a Smith & Wesson; la FGR rastrea armas', 'es')).toEqual([
      'organization:fgr', 'organization:smith-wesson',
    ]);
  });
});
