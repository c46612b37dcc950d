import { describe, expect, it } from 'vitest';
import { createClassifier, explainClassification, loadRules } from '../../src/beat/index.js';

const rules = loadRules();
const classify = createClassifier(rules);
const c = (title: string, text: string, lang: 'en' | 'es' = 'en') => classify({ title, text, lang });

describe('beat classifier: the eight topics (English and Spanish)', () => {
  const cases: { topic: string; lang: 'en' | 'es'; title: string; text: string }[] = [
    {
      topic: 'us-military-action', lang: 'en',
      title: 'US weighs drone strikes on cartel labs inside Mexico',
      text: 'Officials say the Pentagon and the CIA have drawn up options for special forces raids against cartel leaders in Sinaloa.',
    },
    {
      topic: 'us-military-action', lang: 'es',
      title: 'Sheinbaum rechaza ataques con drones de EU contra cárteles en territorio mexicano',
      text: 'La presidenta afirmó que no aceptará la intervención de fuerzas especiales estadounidenses y que México coopera sin subordinación.',
    },
    {
      topic: 'cartel-designations', lang: 'en',
      title: 'State Department designates Sinaloa Cartel and CJNG as foreign terrorist organizations',
      text: 'The designation opens the door to narco-terrorism charges and Treasury sanctions against the cartels’ financial networks.',
    },
    {
      topic: 'cartel-designations', lang: 'es',
      title: 'EU designa al Cártel de Sinaloa como organización terrorista extranjera',
      text: 'El Departamento del Tesoro anunció sanciones contra operadores financieros del cártel en Culiacán.',
    },
    {
      topic: 'fentanyl-trafficking', lang: 'en',
      title: 'CBP seizes record fentanyl load at Nogales port of entry',
      text: 'Agents found 400 pounds of fentanyl pills hidden in a tractor-trailer arriving from Sonora, Mexico.',
    },
    {
      topic: 'fentanyl-trafficking', lang: 'es',
      title: 'Marina desmantela narcolaboratorio de fentanilo en Sinaloa',
      text: 'Elementos de la Secretaría de Marina aseguraron precursores químicos y metanfetamina en un laboratorio clandestino cerca de Culiacán.',
    },
    {
      topic: 'cartel-violence', lang: 'en',
      title: 'Gunmen kill 12 in Guanajuato bar as cartel war escalates',
      text: 'Authorities blamed the massacre on a turf war between the Jalisco New Generation Cartel and a local gang.',
    },
    {
      topic: 'cartel-violence', lang: 'es',
      title: 'Enfrentamiento entre Los Chapitos y La Mayiza deja 8 muertos en Culiacán',
      text: 'Hombres armados atacaron a elementos de la Guardia Nacional en medio de la guerra interna del Cártel de Sinaloa.',
    },
    {
      topic: 'extradition-justice', lang: 'en',
      title: "'El Mayo' Zambada pleads guilty in Brooklyn federal court",
      text: 'The Sinaloa Cartel co-founder faces a life sentence after admitting to drug trafficking charges, prosecutors said.',
    },
    {
      topic: 'extradition-justice', lang: 'es',
      title: 'México envía a 26 narcotraficantes a Estados Unidos; FGR confirma extradición masiva',
      text: 'Entre los trasladados a Estados Unidos figuran operadores del CJNG; enfrentarán juicio en cortes federales.',
    },
    {
      topic: 'diplomacy-sovereignty', lang: 'en',
      title: 'Sheinbaum and Trump agree on security cooperation, reject violation of sovereignty',
      text: 'After a phone call, Mexico’s president said the agreement respects Mexican territory while Washington presses for action on fentanyl.',
    },
    {
      topic: 'diplomacy-sovereignty', lang: 'es',
      title: 'CSP: “No aceptamos injerencia”; México y EU firman acuerdo de seguridad',
      text: 'La presidenta defendió la soberanía nacional tras la reunión con el secretario de Estado Marco Rubio en Palacio Nacional.',
    },
    {
      topic: 'border-security', lang: 'en',
      title: 'Pentagon sends 3,000 more troops to the southern border',
      text: 'The deployment to Texas and Arizona adds to National Guard units assisting Border Patrol with smuggling interdiction along the U.S.-Mexico border.',
    },
    {
      topic: 'border-security', lang: 'es',
      title: 'México despliega 10 mil elementos de la Guardia Nacional en la frontera norte',
      text: 'El despliegue busca frenar el tráfico de fentanilo y armas hacia y desde Estados Unidos, informó el gabinete de seguridad.',
    },
    {
      topic: 'arms-trafficking', lang: 'en',
      title: 'ATF: most guns seized from Mexican cartels were bought in Texas and Arizona',
      text: 'The report on arms trafficking found straw purchases of AR-15 rifles fuel violence across the border in Mexico.',
    },
    {
      topic: 'arms-trafficking', lang: 'es',
      title: 'Suprema Corte de EU revisa demanda de México contra fabricantes de armas',
      text: 'El gobierno mexicano acusa a las armerías estadounidenses de facilitar el tráfico de armas hacia los cárteles.',
    },
  ];
  for (const k of cases) {
    it(`${k.topic} (${k.lang}): ${k.title}`, () => {
      const r = c(k.title, k.text, k.lang);
      expect(r.relevance, explainClassification(r)).toBe('on_beat');
      expect(r.topics, explainClassification(r)).toContain(k.topic);
      expect(r.score).toBeGreaterThanOrEqual(0.5);
    });
  }
});

describe('beat classifier: keyword traps', () => {
  const off: { name: string; title: string; text: string; lang?: 'en' | 'es' }[] = [
    { name: 'Gulf of Mexico weather', title: 'Hurricane strengthens in the Gulf of Mexico', text: 'Forecasters expect landfall near Corpus Christi; oil rigs were evacuated and troops of the National Guard are on standby.' },
    { name: 'Golfo de México petróleo', lang: 'es', title: 'Pemex reanuda producción en plataformas del Golfo de México', text: 'La petrolera informó que las plataformas petroleras dañadas por la tormenta tropical volvieron a operar.' },
    { name: 'New Mexico', title: 'New Mexico governor signs wildfire relief bill', text: 'Crews in Santa Fe were attacked by flames as winds killed power to thousands in New Mexico.' },
    { name: 'El Tri / sports (en)', title: "Mexico's national team beats US in Gold Cup final", text: 'El Tri scored twice in the second half; the striker was named player of the match.' },
    { name: 'Liga MX (es)', lang: 'es', title: 'Tigres vence a Rayados en el Clásico Regio de la Liga MX', text: 'El partido de la jornada 10 terminó 2-1; la afición celebró en Monterrey.' },
    { name: 'OPEC cartel', title: 'OPEC cartel agrees to cut output as oil prices slide', text: 'Saudi Arabia said the cartel would curb supplies; US crude fell below $60.' },
    { name: 'price-fixing cartel', title: 'EU fines truck makers over price-fixing cartel', text: 'Regulators said the cartel fixed prices for 14 years.' },
    { name: 'across the border elsewhere', title: 'Refugees flee across the border into Poland', text: 'Ukrainian families crossed the border as Russian troops advanced; smugglers charged thousands.' },
    { name: 'food/culture', title: 'The best Mexican food in Chicago: 10 taco spots', text: 'From al pastor tacos to mezcal bars, Mexican cuisine is thriving.' },
  ];
  for (const k of off) {
    it(`${k.name} is not on the beat`, () => {
      const r = c(k.title, k.text, k.lang ?? 'en');
      expect(r.relevance, explainClassification(r)).not.toBe('on_beat');
      expect(r.topics).toEqual([]);
    });
  }

  it('the Gulf of Mexico trap suppresses the Mexico context and says so', () => {
    const r = c('Oil spill spreads in the Gulf of Mexico', 'Coast Guard crews deployed booms.');
    expect(r.evidence.some((e) => e.rule === 'trap:gulf-of-mexico' && e.matched === 'Gulf of Mexico')).toBe(true);
    expect(r.evidence.some((e) => e.rule.startsWith('context:mexico'))).toBe(false);
  });

  it('OPEC suppresses the drug-cartel reading of "cartel"', () => {
    const r = c('OPEC cartel meets in Vienna', 'The oil cartel will decide on output.');
    expect(r.relevance).toBe('off_beat');
    expect(r.evidence.some((e) => e.rule === 'trap:opec-cartel')).toBe(true);
  });

  it('a real security story survives a sports mention', () => {
    const r = c('Cartel gunmen attack police in Guadalajara hours before Liga MX match', 'The CJNG ambush killed four officers; the match was postponed.');
    expect(r.relevance, explainClassification(r)).toBe('on_beat');
  });
});

describe('beat classifier: adjacent stories', () => {
  const adj: { name: string; title: string; text: string; lang?: 'en' | 'es' }[] = [
    { name: 'ICE raid in Chicago', title: 'ICE raids in Chicago sweep up dozens of workers', text: 'Immigration and Customs Enforcement agents detained undocumented immigrants at a meatpacking plant; families were separated.' },
    { name: 'migrants asylum', title: 'Asylum seekers wait in Tijuana shelters as new rules take effect', text: 'Migrants from Honduras and Venezuela say the asylum process has stalled.' },
    { name: 'Mexican domestic economy', title: 'Mexico’s economy grew 0.7% as peso strengthens', text: 'Banxico said inflation eased; exports to the United States rose under the USMCA.' },
    { name: 'ICE redada (es)', lang: 'es', title: 'Redadas de ICE en Los Ángeles dejan cientos de detenidos', text: 'Migrantes indocumentados fueron trasladados a centros de detención; organizaciones denuncian separación de familias.' },
    { name: 'economía mexicana (es)', lang: 'es', title: 'Banxico recorta la tasa; la economía mexicana crece 0.5%', text: 'El peso se apreció frente al dólar y las exportaciones aumentaron según el Banco de México.' },
    { name: 'crime in Colombia', title: 'Colombian cartel boss extradited to the US on cocaine charges', text: 'BOGOTA (Reuters) - The leader of the Clan del Golfo was sent to face trafficking charges in New York.' },
    { name: 'deaths in Border Patrol custody', title: 'Two migrant children die in Border Patrol custody', text: 'Lawmakers demand answers from DHS about conditions at detention facilities near the U.S.-Mexico border.' },
  ];
  for (const k of adj) {
    it(`${k.name} is adjacent`, () => {
      const r = c(k.title, k.text, k.lang ?? 'en');
      expect(r.relevance, explainClassification(r)).toBe('adjacent');
      expect(r.topics).toEqual([]);
      expect(r.score).toBeLessThan(0.5);
    });
  }
});

describe('beat classifier: inflections, aliases, entities', () => {
  it('Spanish plural "cárteles" and participle "extraditado"', () => {
    const r = c('Capo del CJNG es extraditado a Estados Unidos', 'Los cárteles mexicanos enfrentan una ofensiva judicial.', 'es');
    expect(r.relevance, explainClassification(r)).toBe('on_beat');
    expect(r.topics).toContain('extradition-justice');
    expect(r.evidence.find((e) => e.rule === 'topic:extradition-justice/pattern:extradit*')?.matched).toBe('extraditado');
    expect(r.evidence.some((e) => e.matched === 'cárteles')).toBe(true);
  });

  it('"extradición" (Spanish -ción noun) matches extradit*', () => {
    const r = c('Juez aprueba la extradición de Caro Quintero', 'La FGR informó que el capo será juzgado en Estados Unidos.', 'es');
    expect(r.evidence.find((e) => e.rule === 'topic:extradition-justice/pattern:extradit*')?.matched).toBe('extradición');
  });

  it('CSP → Claudia Sheinbaum Pardo; El Mayo → Ismael Zambada', () => {
    const r = c('CSP responde a Trump sobre El Mayo', 'La presidenta dijo que el juicio de El Mayo en Nueva York no afecta la soberanía.', 'es');
    const ids = r.entities.map((e) => e.id);
    expect(ids).toContain('person:claudia-sheinbaum');
    expect(ids).toContain('person:ismael-zambada');
    expect(ids).toContain('person:donald-trump');
    expect(r.entities.find((e) => e.id === 'person:claudia-sheinbaum')?.matched).toBe('CSP');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('cartel names in both languages map to one id, places nested in names are not double-counted', () => {
    const r = c('Sinaloa Cartel split deepens', 'El Cártel de Sinaloa (CDS) sigue en guerra en Culiacán.');
    const ids = r.entities.map((e) => e.id);
    expect(ids.filter((i) => i === 'cartel:sinaloa-cartel')).toHaveLength(1);
    expect(ids).toContain('place:mx-sin-culiacan');
    expect(ids).not.toContain('place:mx-sin');
  });

  it('"ICE" the agency is case-sensitive: "ice" the frozen water is not', () => {
    expect(c('Skater shines on the ice', 'Ice dancing at the Olympics.').entities.map((e) => e.id)).not.toContain('organization:ice');
    expect(c('ICE detains workers', 'Agents of ICE arrested 20.').entities.map((e) => e.id)).toContain('organization:ice');
  });
});

describe('beat classifier: evidence explains the decision', () => {
  it('lists every counted rule with field, matched text and weight; title weighs more than body', () => {
    const r = c('Fentanyl seized at border crossing in Nogales', 'CBP officers found the drugs in a truck from Mexico.');
    const fent = r.evidence.find((e) => e.rule === 'topic:fentanyl-trafficking/pattern:fentanyl');
    expect(fent).toEqual({ rule: 'topic:fentanyl-trafficking/pattern:fentanyl', matched: 'Fentanyl', field: 'title', weight: 6 });
    const body = c('Seizure at Nogales', 'Officers found fentanyl in a truck from Mexico.');
    expect(body.evidence.find((e) => e.rule === 'topic:fentanyl-trafficking/pattern:fentanyl')?.weight).toBe(3);
    expect(r.evidence.some((e) => e.rule.startsWith('context:mexico') && e.matched === 'Mexico')).toBe(true);
    expect(explainClassification(r)).toMatch(/on_beat .*fentanyl-trafficking.*because/);
  });

  it('security words without any Mexico context are shown with weight 0 and do not make the item on-beat', () => {
    const r = c('Hong Kong protesters denounce extradition bill', 'Thousands marched against extraditions to mainland China.');
    expect(r.relevance).not.toBe('on_beat');
    const e = r.evidence.find((x) => x.rule === 'topic:extradition-justice/pattern:extradit*');
    expect(e?.weight).toBe(0);
  });

  it('co-occurrence of a US actor, a Mexican actor and a security term is recorded', () => {
    const r = c('Rubio meets Sheinbaum to discuss security cooperation', 'They discussed security and migration in Mexico City.');
    const co = r.evidence.find((e) => e.rule === 'cooccurrence:us-mx-security');
    expect(co?.matched).toMatch(/Rubio \+ Sheinbaum \+ security/);
    expect(r.topics).toContain('diplomacy-sovereignty');
  });

  it('stamps the rules version', () => {
    expect(c('x', 'y').rulesVersion).toBe(rules.rulesVersion);
    expect(rules.rulesVersion).toMatch(/^us-mexico-2026\.\d+\+[0-9a-f]{8}$/);
  });

  it('handles empty and hostile input quickly', () => {
    expect(c('', '').relevance).toBe('off_beat');
    const evil = 'a'.repeat(200_000) + ' cartel'.repeat(5_000) + '*(.+)+'.repeat(1000);
    const t0 = performance.now();
    c(evil, evil);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('beat classifier: security-linked tariffs', () => {
  it('tariffs tied to fentanyl are on the beat; plain trade tariffs are adjacent', () => {
    const f = c('Trump threatens 25% tariffs on Mexico over fentanyl and migrants', 'The president said Mexico must stop the flow of drugs across the border.');
    expect(f.relevance, explainClassification(f)).toBe('on_beat');
    const t = c('U.S. hits Mexico with steel and aluminum tariffs', 'Commerce officials said the trade measures protect U.S. industry.');
    expect(t.relevance, explainClassification(t)).toBe('adjacent');
    const es = c('Trump impone aranceles a México por el fentanilo', 'La Casa Blanca vinculó los aranceles al tráfico de fentanilo y a la seguridad en la frontera.', 'es');
    expect(es.relevance, explainClassification(es)).toBe('on_beat');
  });
});
