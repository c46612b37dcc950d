// Bilingual (EN/ES) lexicon of beat vocabulary: surface forms → shared concept ids, so that an English
// and a Spanish article about the same event share evidence even though their words differ.
// Forms are matched on folded text (lower-case, no accents, punctuation → space), as 1–4 word phrases;
// the longest match wins. Keep forms specific: a form that is a common word in the other language
// (e.g. Spanish "para") must not be listed.

export interface LexiconEntry {
  id: string;
  /** 'concept' = beat vocabulary, 'place' = gazetteer place, 'org' = institution. */
  kind: 'concept' | 'place' | 'org';
  forms: string[];
}

export const LEXICON: readonly LexiconEntry[] = [
  // --- beat concepts ---
  { id: 'c:cartel', kind: 'concept', forms: ['cartel', 'cartels', 'carteles', 'narco', 'narcos', 'narcotraficante', 'narcotraficantes', 'drug lord', 'drug lords', 'capo', 'capos'] },
  { id: 'c:extradition', kind: 'concept', forms: ['extradition', 'extraditions', 'extradited', 'extradite', 'extradicion', 'extradiciones', 'extraditado', 'extraditados', 'extraditar', 'expulsion', 'expulsados', 'expelled', 'transferred', 'trasladados', 'traslado', 'transfer', 'sent to the us', 'enviados'] },
  { id: 'c:fentanyl', kind: 'concept', forms: ['fentanyl', 'fentanilo', 'fentanil'] },
  { id: 'c:drug', kind: 'concept', forms: ['drug', 'drugs', 'droga', 'drogas', 'narcotics', 'narcoticos', 'estupefacientes'] },
  { id: 'c:meth', kind: 'concept', forms: ['methamphetamine', 'meth', 'metanfetamina'] },
  { id: 'c:cocaine', kind: 'concept', forms: ['cocaine', 'cocaina'] },
  { id: 'c:precursor', kind: 'concept', forms: ['precursor', 'precursors', 'precursores', 'chemicals', 'quimicos'] },
  { id: 'c:lab', kind: 'concept', forms: ['drug lab', 'drug labs', 'lab', 'labs', 'laboratory', 'laboratories', 'laboratorio', 'laboratorios', 'narcolaboratorio', 'narcolaboratorios'] },
  { id: 'c:border', kind: 'concept', forms: ['border', 'borders', 'frontera', 'fronteras', 'fronterizo', 'fronteriza', 'border crossing', 'cruce fronterizo'] },
  { id: 'c:wall', kind: 'concept', forms: ['border wall', 'muro', 'muro fronterizo'] },
  { id: 'c:troops', kind: 'concept', forms: ['troops', 'soldiers', 'tropas', 'soldados', 'militares', 'military personnel'] },
  { id: 'c:military', kind: 'concept', forms: ['military', 'militar', 'armed forces', 'fuerzas armadas', 'ejercito', 'army'] },
  { id: 'c:navy', kind: 'concept', forms: ['navy', 'marina', 'semar'] },
  { id: 'c:national-guard', kind: 'concept', forms: ['national guard', 'guardia nacional'] },
  { id: 'c:special-forces', kind: 'concept', forms: ['special forces', 'special operations', 'special operations forces', 'fuerzas especiales', 'operaciones especiales', 'comandos'] },
  { id: 'c:drone', kind: 'concept', forms: ['drone', 'drones', 'dron', 'drones armados'] },
  { id: 'c:strike', kind: 'concept', forms: ['strike', 'strikes', 'airstrike', 'airstrikes', 'ataque', 'ataques', 'bombardeo', 'bombardeos', 'attack', 'attacks', 'bombing'] },
  { id: 'c:intervention', kind: 'concept', forms: ['intervention', 'intervencion', 'injerencia', 'interference', 'incursion', 'invasion'] },
  { id: 'c:sovereignty', kind: 'concept', forms: ['sovereignty', 'soberania'] },
  { id: 'c:tariff', kind: 'concept', forms: ['tariff', 'tariffs', 'arancel', 'aranceles', 'gravamen'] },
  { id: 'c:seizure', kind: 'concept', forms: ['seizure', 'seizures', 'seized', 'seize', 'decomiso', 'decomisos', 'decomisa', 'decomisan', 'decomisaron', 'aseguramiento', 'aseguran', 'aseguraron', 'incautacion', 'incautan', 'incautaron', 'confiscated'] },
  { id: 'c:kidnapping', kind: 'concept', forms: ['kidnapping', 'kidnappings', 'kidnapped', 'abduction', 'abducted', 'secuestro', 'secuestros', 'secuestrados', 'secuestrado', 'privados de la libertad', 'levanton'] },
  { id: 'c:arrest', kind: 'concept', forms: ['arrest', 'arrested', 'arrests', 'detained', 'captured', 'capture', 'detenido', 'detenidos', 'detencion', 'capturado', 'capturados', 'captura', 'aprehendido', 'aprehension', 'arresto'] },
  { id: 'c:killing', kind: 'concept', forms: ['killed', 'killing', 'killings', 'murder', 'murdered', 'homicide', 'homicides', 'asesinato', 'asesinatos', 'asesinado', 'asesinados', 'homicidio', 'homicidios', 'ejecutados', 'dead', 'muertos', 'deaths', 'muertes'] },
  { id: 'c:massacre', kind: 'concept', forms: ['massacre', 'masacre', 'matanza'] },
  { id: 'c:shooting', kind: 'concept', forms: ['shooting', 'shootout', 'gunfight', 'balacera', 'tiroteo', 'enfrentamiento', 'enfrentamientos'] },
  { id: 'c:grave', kind: 'concept', forms: ['mass grave', 'clandestine grave', 'fosa', 'fosas', 'fosa clandestina', 'fosas clandestinas'] },
  { id: 'c:missing', kind: 'concept', forms: ['missing', 'disappeared', 'desaparecido', 'desaparecidos', 'desaparicion', 'desapariciones'] },
  { id: 'c:terrorist', kind: 'concept', forms: ['terrorist', 'terrorists', 'terrorism', 'terrorista', 'terroristas', 'terrorismo', 'narcoterrorism', 'narcoterrorismo', 'fto'] },
  { id: 'c:designation', kind: 'concept', forms: ['designation', 'designated', 'designate', 'designacion', 'designados', 'designa', 'designo'] },
  { id: 'c:sanction', kind: 'concept', forms: ['sanction', 'sanctions', 'sanctioned', 'sancion', 'sanciones', 'sancionados', 'ofac'] },
  { id: 'c:indictment', kind: 'concept', forms: ['indictment', 'indicted', 'charges', 'charged', 'acusacion', 'acusado', 'acusados', 'cargos', 'imputado'] },
  { id: 'c:trial', kind: 'concept', forms: ['trial', 'juicio', 'court', 'corte', 'tribunal', 'judge', 'juez', 'jueza'] },
  { id: 'c:sentence', kind: 'concept', forms: ['sentenced', 'sentence', 'sentencia', 'sentenciado', 'condena', 'condenado', 'prison', 'prision', 'carcel'] },
  { id: 'c:plea', kind: 'concept', forms: ['guilty plea', 'pleaded guilty', 'pleads guilty', 'se declara culpable', 'se declaro culpable', 'culpable', 'guilty'] },
  { id: 'c:smuggling', kind: 'concept', forms: ['smuggling', 'smuggler', 'smugglers', 'smuggled', 'contrabando', 'trafico', 'trafficking', 'trafficker', 'traffickers', 'traficante', 'traficantes', 'tunnel', 'tunnels', 'tunel', 'tuneles'] },
  { id: 'c:weapons', kind: 'concept', forms: ['weapons', 'weapon', 'guns', 'gun', 'firearms', 'arms', 'armas', 'arma', 'armas de fuego', 'rifles', 'fusiles', 'gun makers', 'fabricantes de armas'] },
  { id: 'c:migration', kind: 'concept', forms: ['migrant', 'migrants', 'migrante', 'migrantes', 'migration', 'migracion', 'immigration', 'inmigracion', 'immigrants', 'inmigrantes', 'asylum', 'asilo'] },
  { id: 'c:deportation', kind: 'concept', forms: ['deportation', 'deportations', 'deported', 'deport', 'deportacion', 'deportaciones', 'deportados', 'deportado'] },
  { id: 'c:security', kind: 'concept', forms: ['security', 'seguridad'] },
  { id: 'c:agreement', kind: 'concept', forms: ['agreement', 'deal', 'accord', 'acuerdo', 'pacto', 'convenio'] },
  { id: 'c:cooperation', kind: 'concept', forms: ['cooperation', 'cooperacion', 'collaboration', 'colaboracion'] },
  { id: 'c:meeting', kind: 'concept', forms: ['meeting', 'talks', 'summit', 'reunion', 'cumbre', 'dialogo', 'conversacion', 'llamada', 'phone call'] },
  { id: 'c:president', kind: 'concept', forms: ['president', 'presidente', 'presidenta', 'presidential', 'presidencial'] },
  { id: 'c:ambassador', kind: 'concept', forms: ['ambassador', 'embajador', 'embajadora', 'embassy', 'embajada'] },
  { id: 'c:government', kind: 'concept', forms: ['government', 'gobierno', 'administration', 'administracion'] },
  { id: 'c:election', kind: 'concept', forms: ['election', 'elections', 'eleccion', 'elecciones', 'vote', 'votes', 'voto', 'votacion'] },
  { id: 'c:congress', kind: 'concept', forms: ['congress', 'congreso', 'senate', 'senado', 'lawmakers', 'legisladores', 'senators', 'senadores'] },
  { id: 'c:bill', kind: 'concept', forms: ['bill', 'law', 'ley', 'iniciativa', 'reforma', 'legislation', 'legislacion'] },
  { id: 'c:police', kind: 'concept', forms: ['police', 'policia', 'policias', 'officers', 'agentes', 'agents'] },
  { id: 'c:investigation', kind: 'concept', forms: ['investigation', 'investigacion', 'probe', 'pesquisa', 'investigators', 'investigadores'] },
  { id: 'c:money-laundering', kind: 'concept', forms: ['money laundering', 'lavado de dinero', 'blanqueo', 'laundering'] },
  { id: 'c:corruption', kind: 'concept', forms: ['corruption', 'corrupcion', 'bribes', 'sobornos', 'soborno', 'bribery'] },
  { id: 'c:violence', kind: 'concept', forms: ['violence', 'violencia', 'violent', 'violento', 'violenta'] },
  { id: 'c:overdose', kind: 'concept', forms: ['overdose', 'overdoses', 'sobredosis'] },
  { id: 'c:boat', kind: 'concept', forms: ['boat', 'boats', 'vessel', 'vessels', 'lancha', 'lanchas', 'embarcacion', 'embarcaciones', 'narcolancha', 'narcolanchas'] },
  { id: 'c:intelligence', kind: 'concept', forms: ['intelligence', 'inteligencia', 'spy', 'espionaje'] },
  { id: 'c:threat', kind: 'concept', forms: ['threat', 'threats', 'threatens', 'threatened', 'amenaza', 'amenazas', 'amenazo', 'amenazan'] },
  { id: 'c:reject', kind: 'concept', forms: ['rejects', 'rejected', 'reject', 'rechaza', 'rechazo', 'rechazan'] },
  { id: 'c:minister', kind: 'concept', forms: ['minister', 'ministro', 'ministra', 'secretary', 'secretario', 'secretaria'] },
  { id: 'c:oil', kind: 'concept', forms: ['oil', 'petroleo', 'crude', 'crudo', 'refinery', 'refineria'] },
  { id: 'c:storm', kind: 'concept', forms: ['storm', 'tormenta', 'hurricane', 'huracan', 'flooding', 'inundaciones', 'rain', 'lluvias'] },
  { id: 'c:earthquake', kind: 'concept', forms: ['earthquake', 'sismo', 'terremoto', 'temblor'] },
  { id: 'c:war', kind: 'concept', forms: ['war', 'guerra', 'conflict', 'conflicto'] },
  { id: 'c:protest', kind: 'concept', forms: ['protest', 'protests', 'protesters', 'protestors', 'protesta', 'protestas', 'manifestantes', 'marcha'] },
  { id: 'c:inflation', kind: 'concept', forms: ['inflation', 'inflacion'] },
  { id: 'c:interest-rate', kind: 'concept', forms: ['interest rate', 'interest rates', 'rate hike', 'tasa de interes', 'tasas de interes'] },
  { id: 'c:trade', kind: 'concept', forms: ['trade', 'comercio', 'comercial', 'exports', 'exportaciones', 'imports', 'importaciones', 'usmca', 't mec', 'tmec'] },
  // --- places (EN/ES forms; folded, so "México" = "mexico") ---
  { id: 'p:us', kind: 'place', forms: ['united states', 'u s', 'u s a', 'usa', 'estados unidos', 'eeuu', 'ee uu', 'washington'] },
  { id: 'p:mx', kind: 'place', forms: ['mexico', 'mexican', 'mexicans', 'mexicano', 'mexicana', 'mexicanos', 'mexicanas'] },
  { id: 'p:mexico-city', kind: 'place', forms: ['mexico city', 'ciudad de mexico', 'cdmx'] },
  { id: 'p:sinaloa', kind: 'place', forms: ['sinaloa', 'culiacan', 'sinaloense'] },
  { id: 'p:jalisco', kind: 'place', forms: ['jalisco', 'guadalajara'] },
  { id: 'p:tamaulipas', kind: 'place', forms: ['tamaulipas', 'reynosa', 'matamoros', 'nuevo laredo'] },
  { id: 'p:chihuahua', kind: 'place', forms: ['chihuahua', 'ciudad juarez', 'juarez'] },
  { id: 'p:baja-california', kind: 'place', forms: ['baja california', 'tijuana', 'mexicali'] },
  { id: 'p:sonora', kind: 'place', forms: ['sonora', 'hermosillo', 'nogales'] },
  { id: 'p:michoacan', kind: 'place', forms: ['michoacan', 'morelia', 'uruapan'] },
  { id: 'p:guerrero', kind: 'place', forms: ['guerrero', 'acapulco'] },
  { id: 'p:texas', kind: 'place', forms: ['texas', 'el paso', 'laredo', 'texano'] },
  { id: 'p:california', kind: 'place', forms: ['california', 'san diego', 'los angeles'] },
  { id: 'p:arizona', kind: 'place', forms: ['arizona', 'tucson'] },
  { id: 'p:venezuela', kind: 'place', forms: ['venezuela', 'venezuelan', 'venezolano', 'venezolana', 'caracas'] },
  { id: 'p:colombia', kind: 'place', forms: ['colombia', 'colombian', 'colombiano', 'colombiana'] },
  { id: 'p:china', kind: 'place', forms: ['china', 'chinese', 'chino', 'china s', 'beijing', 'pekin'] },
  { id: 'p:russia', kind: 'place', forms: ['russia', 'russian', 'rusia', 'ruso', 'rusa', 'moscow', 'moscu', 'kremlin'] },
  { id: 'p:ukraine', kind: 'place', forms: ['ukraine', 'ukrainian', 'ucrania', 'ucraniano', 'ucraniana', 'kyiv', 'kiev'] },
  { id: 'p:cuba', kind: 'place', forms: ['cuba', 'cuban', 'cubano', 'cubana', 'havana', 'la habana'] },
  { id: 'p:canada', kind: 'place', forms: ['canada', 'canadian', 'canadiense'] },
  { id: 'p:caribbean', kind: 'place', forms: ['caribbean', 'caribe'] },
  { id: 'p:pacific', kind: 'place', forms: ['pacific', 'pacifico'] },
  { id: 'p:gulf-of-mexico', kind: 'place', forms: ['gulf of mexico', 'golfo de mexico', 'gulf of america', 'golfo de america'] },
  { id: 'p:europe', kind: 'place', forms: ['europe', 'european', 'europa', 'europeo', 'europea', 'union europea', 'european union'] },
  { id: 'p:uk', kind: 'place', forms: ['britain', 'british', 'united kingdom', 'uk', 'reino unido', 'britanico', 'londres', 'london'] },
  { id: 'p:spain', kind: 'place', forms: ['spain', 'spanish', 'espana', 'espanol', 'madrid'] },
  // --- organisations with different EN/ES names ---
  { id: 'o:pentagon', kind: 'org', forms: ['pentagon', 'pentagono', 'department of defense', 'departamento de defensa', 'department of war', 'departamento de guerra', 'war department'] },
  { id: 'o:state-dept', kind: 'org', forms: ['state department', 'departamento de estado'] },
  { id: 'o:treasury', kind: 'org', forms: ['treasury', 'departamento del tesoro', 'tesoro'] },
  { id: 'o:justice-dept', kind: 'org', forms: ['justice department', 'department of justice', 'doj', 'departamento de justicia'] },
  { id: 'o:white-house', kind: 'org', forms: ['white house', 'casa blanca'] },
  { id: 'o:fgr', kind: 'org', forms: ['fgr', 'fiscalia general', 'attorney general', 'fiscal general', 'fiscalia'] },
  { id: 'o:border-patrol', kind: 'org', forms: ['border patrol', 'patrulla fronteriza', 'cbp'] },
  { id: 'o:sinaloa-cartel', kind: 'org', forms: ['sinaloa cartel', 'cartel de sinaloa', 'cds', 'chapitos', 'los chapitos'] },
  { id: 'o:cjng', kind: 'org', forms: ['cjng', 'jalisco new generation', 'cartel jalisco nueva generacion', 'jalisco cartel', 'cartel de jalisco'] },
  { id: 'o:gulf-cartel', kind: 'org', forms: ['gulf cartel', 'cartel del golfo', 'cdg'] },
  { id: 'o:un', kind: 'org', forms: ['united nations', 'naciones unidas', 'onu'] },
  { id: 'o:supreme-court', kind: 'org', forms: ['supreme court', 'suprema corte', 'scjn', 'tribunal supremo'] },
  { id: 'o:fed', kind: 'org', forms: ['federal reserve', 'fed', 'reserva federal'] },
];

export const MAX_PHRASE_WORDS = 4;

let phraseMap: Map<string, string> | null = null;
/** First words of multi-word forms: only these positions need the (allocating) phrase lookups. */
let phraseStarts: Set<string> | null = null;

/** folded phrase → concept id (built once). Later entries do not override earlier ones. */
export function lexiconPhraseMap(): Map<string, string> {
  if (!phraseMap) {
    phraseMap = new Map();
    phraseStarts = new Set();
    for (const e of LEXICON) {
      for (const f of e.forms) {
        if (!phraseMap.has(f)) phraseMap.set(f, e.id);
        if (f.includes(' ')) phraseStarts.add(f.slice(0, f.indexOf(' ')));
      }
    }
  }
  return phraseMap;
}

/**
 * Concept ids found in a folded token sequence, longest phrase first, with counts.
 * `tokens` must be folded (see foldText).
 */
export function matchLexicon(tokens: readonly string[]): Map<string, number> {
  const map = lexiconPhraseMap();
  const out = new Map<string, number>();
  for (let i = 0; i < tokens.length; ) {
    let matched = 0;
    const maxN = phraseStarts!.has(tokens[i]) ? Math.min(MAX_PHRASE_WORDS, tokens.length - i) : 1;
    for (let n = maxN; n >= 1; n--) {
      const id = map.get(n === 1 ? tokens[i] : tokens.slice(i, i + n).join(' '));
      if (id) {
        out.set(id, (out.get(id) ?? 0) + 1);
        matched = n;
        break;
      }
    }
    i += matched || 1;
  }
  return out;
}
