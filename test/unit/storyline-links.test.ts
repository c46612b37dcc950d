// Storyline links (issue 17): below the link threshold, only a storyline subject in common links two stories —
// a person who is not a government actor, or a town — and a bare surname counts as that person only when no
// other person of the gazetteer bears it; near the threshold, the beat's daily cast ("Estados Unidos",
// "Sheinbaum") explains no link. decide.ts (storylineLinks) with the shipped beat's options (beat.ts).
import { describe, expect, it } from 'vitest';
import { clusterOptionsFor, storylineVocabulary } from '../../src/beat/beat.js';
import { loadRules } from '../../src/beat/index.js';
import { DEFAULT_CLUSTER_OPTIONS, storylineLinks, storyScore } from '../../src/cluster/decide.js';
import { articleFeatures } from '../../src/cluster/features.js';
import type { ClusterOptions, Features, IdfFn, StoryCandidate } from '../../src/cluster/types.js';

const rules = loadRules();
const beatOptions = clusterOptionsFor(rules);
const t0 = Date.parse('2026-02-25T12:00:00Z');

function feat(title: string, summary: string, entities: string[], days = 0, lang = 'en'): Features {
  return articleFeatures({ title, summary, lang, publishedAt: new Date(t0 + days * 86_400_000), entities: entities.map((id) => ({ id })) });
}
const cand = (storyId: string, ...members: Features[]): StoryCandidate => ({
  storyId,
  size: members.length,
  firstPublishedAtMs: members[0]!.publishedAtMs,
  lastPublishedAtMs: members.at(-1)!.publishedAtMs,
  members,
});

// The store's view: the president, the country and the state are in many articles; the rest is rare.
const common = new Set(['e:person:claudia-sheinbaum', 'n:sheinbaum', 'e:place:mx-jal', 'n:jalisco', 'e:cartel:cjng', 'n:cjng']);
const idf: IdfFn = (k) => (common.has(k) ? 3.5 : 5);

/**
 * Options whose link threshold puts this pair's score at 3/4 of it: between half the threshold (a storyline
 * subject's bar) and the threshold itself (the bar of any shared entity).
 */
function belowThreshold(a: Features, c: StoryCandidate, base: ClusterOptions): ClusterOptions {
  const score = storyScore(a, c, idf, base);
  expect(score).toBeGreaterThan(0);
  return { ...base, linkThreshold: score / 0.75 };
}

describe('storylineLinks below the link threshold', () => {
  const opinion = feat(
    'Opinion: the death of a cartel boss changed how people look at the country',
    'Can the beauty of the country shine through the sensational El Mencho headlines?',
    ['person:nemesio-oseguera'],
  );
  const ledger = feat(
    'Los insólitos gastos del Mencho: flores para San Judas Tadeo y cortes de cabello',
    'Registros contables descubiertos en la cabaña de El Mencho muestran pagos a sicarios.',
    ['person:nemesio-oseguera'],
    2,
    'es',
  );

  it('links a follow-up that shares a storyline subject (a cartel leader) and little else', () => {
    const opts = belowThreshold(ledger, cand('s1', opinion), beatOptions);
    const links = storylineLinks(ledger, [cand('s1', opinion)], 'own', opts, idf);
    expect(links.map((l) => l.storyId)).toEqual(['s1']);
    expect(links[0]!.shared).toContain('person:nemesio-oseguera');
  });

  it('does not without the beat\'s storyline subjects (the defaults have none)', () => {
    const opts = belowThreshold(ledger, cand('s1', opinion), DEFAULT_CLUSTER_OPTIONS);
    expect(storylineLinks(ledger, [cand('s1', opinion)], 'own', opts, idf)).toEqual([]);
  });

  it('does not for a head of government, a state or a cartel in common: they are the beat, not a storyline', () => {
    for (const [id, name] of [
      ['person:claudia-sheinbaum', 'Sheinbaum'],
      ['place:mx-jal', 'Jalisco'],
      ['cartel:cjng', 'CJNG'],
    ]) {
      const a = feat(`${name} announces a highway plan`, `${name} presented the investment in roads and ports.`, [id!]);
      const b = feat(`Teachers strike over pensions, ${name} responds`, `${name} said the pension talks would resume.`, [id!], 3);
      const opts = belowThreshold(b, cand('s1', a), beatOptions);
      expect(storylineLinks(b, [cand('s1', a)], 'own', opts, idf), id).toEqual([]);
    }
  });

  it('does not for a rare subject whose IDF says it is in every day\'s news here', () => {
    const everywhere: IdfFn = (k) => (k === 'e:person:nemesio-oseguera' ? 2 : idf(k));
    const opts = belowThreshold(ledger, cand('s1', opinion), beatOptions);
    expect(storylineLinks(ledger, [cand('s1', opinion)], 'own', opts, everywhere)).toEqual([]);
  });

  it('reads a bare surname as the subject person resolved on the other side ("Manzo" / "Carlos Manzo")', () => {
    const arrests = feat('3 more arrests made in case of slain mayor', 'The suspects are linked to the assassination of Manzo.', []);
    const congo = feat('Detención de El Congo: las instrucciones a los homicidas', 'La Fiscalía analiza audios del asesinato de Carlos Manzo.', ['person:carlos-manzo'], 14, 'es');
    const opts = belowThreshold(congo, cand('s1', arrests), beatOptions);
    expect(storylineLinks(congo, [cand('s1', arrests)], 'own', opts, idf).map((l) => l.shared)).toEqual([['manzo']]);
  });

  it('but not a surname several people of the beat bear ("López")', () => {
    const speech = feat('La insultante provocación', 'La presidenta dijo que no era como Antonio López de Santa Anna.', []);
    const sentence = feat('US court sentences son of El Chapo’s right-hand man', 'Dámaso López Serrano was sentenced for fentanyl.', ['person:damaso-lopez-serrano'], 5);
    const opts = belowThreshold(sentence, cand('s1', speech), beatOptions);
    expect(storylineLinks(sentence, [cand('s1', speech)], 'own', opts, idf)).toEqual([]);
  });
});

describe('near the link threshold', () => {
  const at = (a: Features, c: StoryCandidate, base: ClusterOptions, f: number) => ({ ...base, linkThreshold: storyScore(a, c, idf, base) / f });
  const strike = feat('Ataque de Estados Unidos a embarcación en el Pacífico deja dos muertos', 'El Comando Sur de Estados Unidos informó del ataque.', ['organization:united-states'], 0, 'es');
  const charged = feat('El Mantecas es acusado formalmente por narcotráfico en Estados Unidos', 'Una corte de Estados Unidos acusó al operador.', ['organization:united-states'], 4, 'es');

  it('a link explained only by the daily cast ("Estados Unidos") is not made with the beat\'s vocabulary', () => {
    // Score at 1.1 × the threshold: between the threshold and the strong-link bar (1.25 ×).
    expect(storylineLinks(charged, [cand('s1', strike)], 'own', at(charged, cand('s1', strike), beatOptions, 1.1), idf)).toEqual([]);
    // Without it (the defaults), any shared entity explains a link near the threshold.
    expect(storylineLinks(charged, [cand('s1', strike)], 'own', at(charged, cand('s1', strike), DEFAULT_CLUSTER_OPTIONS, 1.1), idf)).toHaveLength(1);
  });

  it('nor one whose words are the cast\'s, however high its score: a link is scored without them', () => {
    expect(storylineLinks(charged, [cand('s1', strike)], 'own', at(charged, cand('s1', strike), beatOptions, 2), idf)).toEqual([]);
    expect(storylineLinks(charged, [cand('s1', strike)], 'own', at(charged, cand('s1', strike), DEFAULT_CLUSTER_OPTIONS, 2), idf)).toHaveLength(1);
  });

  it('two names outside the cast do explain it', () => {
    const a = feat('Alessandra Rojo denuncia ataque a personal de la alcaldía Cuauhtémoc', 'La alcaldesa Alessandra Rojo dijo que mandaron gente.', [], 0, 'es');
    const b = feat('Congreso pide a Alessandra Rojo capacitar a personal de reordenamiento', 'Diputados pidieron a Alessandra Rojo explicar el operativo.', [], 2, 'es');
    const links = storylineLinks(b, [cand('s1', a)], 'own', at(b, cand('s1', a), beatOptions, 1.1), idf);
    expect(links.map((l) => l.shared)).toEqual([['alessandra', 'rojo']]);
  });
});

describe('the shipped beat\'s storyline vocabulary (from its gazetteers)', () => {
  const v = storylineVocabulary(rules.gazetteer);
  it('has as subjects people who are not government actors and places inside another place', () => {
    for (const id of ['person:nemesio-oseguera', 'person:carlos-manzo', 'place:mx-mic-uruapan', 'place:mx-jal-puerto-vallarta']) expect(v.subjects.has(id), id).toBe(true);
    for (const id of ['person:claudia-sheinbaum', 'person:donald-trump', 'organization:united-states', 'cartel:cjng', 'place:mx-jal', 'place:texas', 'place:mx-nle-china-bare'])
      expect(v.subjects.has(id), id).toBe(false);
  });
  it('names people by the surnames only they bear', () => {
    expect(v.surnames.get('manzo')).toBe('person:carlos-manzo');
    expect(v.surnames.has('lopez')).toBe(false);
    expect(v.surnames.has('garcia')).toBe(false);
    expect(v.surnames.has('sheinbaum')).toBe(false); // a government actor: not a subject
  });
  it('counts the words of the other entities\' names as the cast, not a subject\'s', () => {
    for (const w of ['sheinbaum', 'estados', 'unidos', 'jalisco', 'texas']) expect(v.castWords.has(w), w).toBe(true);
    for (const w of ['mencho', 'manzo', 'uruapan', 'alessandra']) expect(v.castWords.has(w), w).toBe(false);
  });
});

describe('joins: the beat\'s daily cast and places set the scene, they do not make one event', () => {
  it('two reports sharing only the president and the countries are one piece of evidence, not two', async () => {
    const { calibratedSimilarity } = await import('../../src/cluster/decide.js');
    const oil = feat('Sheinbaum says oil shipments to Cuba will be settled through diplomacy', 'Mexico will keep talking with Havana, she said.', ['person:claudia-sheinbaum'], 0);
    const column = feat('Sheinbaum, Cuba and the new scenarios for Mexico', 'A column on the choices ahead.', ['person:claudia-sheinbaum'], 0);
    // Without the beat's vocabulary the names count as evidence; with it, they are the daily cast and places.
    const plain = calibratedSimilarity(oil, column, idf, DEFAULT_CLUSTER_OPTIONS);
    const beat = calibratedSimilarity(oil, column, idf, beatOptions);
    expect(beat).toBeCloseTo(plain / 2, 6);
    // What happened in common (the shipments, the oil) is evidence whatever the cast.
    const oil2 = feat('Sheinbaum: oil shipments to Cuba will continue despite US pressure', 'The president defended the shipments.', ['person:claudia-sheinbaum'], 0);
    expect(calibratedSimilarity(oil, oil2, idf, beatOptions)).toBeCloseTo(calibratedSimilarity(oil, oil2, idf, DEFAULT_CLUSTER_OPTIONS), 6);
  });
});
