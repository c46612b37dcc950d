// The one placer (src/cluster/place-articles.ts + placer.ts + decide.ts) over the in-memory store; the SQL
// store is proved to give the same partition in test/integration/cluster-memory-store.test.ts.
import { describe, expect, it } from 'vitest';
import { calibratedSimilarity, decideStory, DEFAULT_CLUSTER_OPTIONS, languagePair, storiesNamedByRoundup } from '../../src/cluster/decide.js';
import { articleFeatures } from '../../src/cluster/features.js';
import { MemoryClusterStore } from '../../src/cluster/memory-store.js';
import { placeArticles, type ClusterInput } from '../../src/cluster/place-articles.js';
import { isRoundup } from '../../src/cluster/roundup.js';
import { defaultIdf, similarity } from '../../src/cluster/similarity.js';
import type { ArticleInput, StoryCandidate } from '../../src/cluster/types.js';

const t0 = Date.parse('2025-11-20T12:00:00Z');
const at = (h: number) => new Date(t0 + h * 3_600_000);
const art = (title: string, summary: string, h: number, lang = 'en'): ArticleInput => ({ title, summary, lang, publishedAt: at(h) });

const transferEn = art('Mexico sends 55 cartel members to the US', 'Mexico transferred 55 cartel members to the United States, Sheinbaum said.', 0);
const transferEs = art('México envía a 55 integrantes de cárteles a EU', 'El gobierno de Sheinbaum trasladó a Estados Unidos a 55 integrantes de cárteles.', 2, 'es');
const troops = art('Mexico deploys 10,000 troops to the northern border', 'Sheinbaum ordered 10,000 National Guard troops to the border with the United States.', 1);
const storm = art('Strong storm set to pummel L.A. with heavy rains', 'Forecasters warn of flooding in Los Angeles County.', 1);

/**
 * On a US–Mexico beat, "Mexico", "Sheinbaum" and "United States" are everywhere: a realistic IDF knows that.
 * Background documents stand in for the `term_df` table after some days of ingest.
 */
async function beatStore(): Promise<MemoryClusterStore> {
  const store = new MemoryClusterStore();
  const subjects = ['Sheinbaum', 'Mexico', 'The United States', 'Mexican officials', 'US officials', 'El gobierno de México', 'Sheinbaum dijo que'];
  const topics = ['tariffs', 'migration talks', 'the judicial reform', 'water treaty', 'security cooperation', 'la reforma judicial', 'los aranceles', 'el T-MEC', 'cartel violence', 'la soberanía'];
  const counts = new Map<string, number>();
  for (let i = 0; i < 300; i++) {
    const s = subjects[i % subjects.length];
    const tp = topics[(i * 7) % topics.length];
    const f = articleFeatures(art(`${s} on ${tp} ${i}`, `${s} discussed ${tp} with the United States and Mexico.`, 0, i % 3 ? 'en' : 'es'));
    for (const k of new Set([...Object.keys(f.terms), ...Object.keys(f.anchors)])) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  await store.addDocumentFrequencies(counts, 300);
  return store;
}

let nextId = 1;
function inputs(xs: ArticleInput[]): ClusterInput[] {
  return xs.map((x) => ({ id: nextId++, title: x.title, summaryText: x.summary, lang: x.lang, entities: [], publishedAt: x.publishedAt, relevance: 'on_beat' }));
}

async function place(store: MemoryClusterStore, xs: ArticleInput[], batch = 1): Promise<Array<number | null>> {
  const ins = inputs(xs);
  store.addArticles(ins);
  for (let i = 0; i < ins.length; i += batch) await placeArticles(store, ins.slice(i, i + batch), at(100));
  const part = store.partition();
  return ins.map((a) => part.get(a.id) ?? null);
}

describe('placeArticles over the in-memory store', () => {
  it('puts EN and ES coverage of one event in one story and other events apart', async () => {
    const [a, b, d, e] = await place(await beatStore(), [transferEn, transferEs, troops, storm]);
    expect(b).toBe(a);
    expect(new Set([a, d, e]).size).toBe(3);
  });
  it('does not join stories outside the time window', async () => {
    const [a, b] = await place(await beatStore(), [transferEn, { ...transferEs, publishedAt: at(24 * 10) }]);
    expect(b).not.toBe(a);
  });
  it('gives the same partition whether articles come one by one or in one batch', async () => {
    const xs = [transferEn, troops, transferEs, storm];
    const one = await place(await beatStore(), xs, 1);
    const all = await place(await beatStore(), xs, 10);
    const shape = (p: Array<number | null>) => p.map((x) => p.indexOf(x));
    expect(shape(all)).toEqual(shape(one));
  });
  it('is deterministic', async () => {
    const xs = [transferEn, troops, transferEs, storm];
    const shape = (p: Array<number | null>) => p.map((x) => p.indexOf(x));
    expect(shape(await place(await beatStore(), xs))).toEqual(shape(await place(await beatStore(), xs)));
  });
  it('skips articles already placed (a rerun after a crash places nothing twice)', async () => {
    const store = await beatStore();
    const ins = inputs([transferEn, transferEs]);
    store.addArticles(ins);
    expect((await placeArticles(store, ins, at(5))).clustered).toBe(2);
    expect((await placeArticles(store, ins, at(5))).clustered).toBe(0);
  });
});

describe('roundups', () => {
  it('recognises the genre in English and Spanish, not single-event headlines', () => {
    for (const t of [
      'Mexico’s week in review: El Mencho’s burial, a sinking peso and the World Cup countdown',
      'Homicides were down 34% in January: Tuesday’s mañanera recapped',
      'The MND News Quiz of the Week: March 7th',
      'Resumen semanal: lo más relevante de la seguridad en Sinaloa',
      'Las noticias del día: aranceles, extradiciones y la Guardia Nacional',
    ])
      expect(isRoundup(t), t).toBe(true);
    for (const t of [
      'Marines kill cartel leader in Jalisco operation',
      'White House briefing on strikes against cartel boats',
      'Irán rechaza propuesta de Trump; sigue el conflicto EN VIVO',
      'Conteo de votos: el recuento en Sinaloa termina sin incidentes',
      'Texas begins ban on smokeable hemp. Here’s what to know.',
    ])
      expect(isRoundup(t), t).toBe(false);
  });
  it('attaches a roundup to each story it names and glues none of them together', async () => {
    const store = await beatStore();
    const roundup = art(
      'Mexico’s week in review: 55 cartel members sent to the US and 10,000 troops at the border',
      'Mexico transferred 55 cartel members to the United States; Sheinbaum ordered 10,000 National Guard troops to the northern border.',
      3,
    );
    const [a, d, r] = await place(store, [transferEn, troops, roundup]);
    expect(a).not.toBe(d);
    expect(r).toBeNull();
    const named = [...store.roundups].filter(([, m]) => m.size > 0).map(([sid]) => sid).sort();
    expect(named).toEqual([a, d].sort());
  });
  it('storiesNamedByRoundup lists candidates it would have joined, best first, never merging', () => {
    const f = (x: ArticleInput) => articleFeatures(x);
    const cand = (id: string, x: ArticleInput): StoryCandidate => ({ storyId: id, size: 1, firstPublishedAtMs: t0, lastPublishedAtMs: t0, members: [f(x)] });
    const r = f(art('Week in review: 55 cartel members sent to the US; 10,000 troops to the border', 'Mexico transferred 55 cartel members; 10,000 troops deployed.', 3));
    const named = storiesNamedByRoundup(r, [cand('s1', transferEn), cand('s2', troops), cand('s3', storm)], DEFAULT_CLUSTER_OPTIONS, defaultIdf);
    expect(named.map((n) => n.storyId).sort()).toEqual(['s1', 's2']);
  });
});

describe('decideStory', () => {
  const f = (x: ArticleInput) => articleFeatures(x);
  const cand = (id: string, members: ArticleInput[], size = members.length): StoryCandidate => ({
    storyId: id, size, firstPublishedAtMs: t0, lastPublishedAtMs: t0, members: members.map(f),
  });
  it('starts a new story without good candidates', () => {
    expect(decideStory(f(storm), [cand('s1', [transferEn])], DEFAULT_CLUSTER_OPTIONS, defaultIdf)).toEqual({ action: 'new' });
    expect(decideStory(f(storm), [], DEFAULT_CLUSTER_OPTIONS, defaultIdf)).toEqual({ action: 'new' });
  });
  it('joins the best story', () => {
    const d = decideStory(f(transferEs), [cand('s1', [storm]), cand('s2', [transferEn])], DEFAULT_CLUSTER_OPTIONS, defaultIdf);
    expect(d).toMatchObject({ action: 'join', storyId: 's2' });
  });
  it('merges stories that a late article bridges, largest first', () => {
    const half1 = art('Sheinbaum sends 55 cartel members to the United States', 'The transfer of 55 prisoners to the United States.', 0);
    const half2 = art('55 cartel prisoners flown to US cities to face charges', 'The 55 prisoners face drug trafficking charges in US courts.', 1);
    const bridge = art('Sheinbaum sends 55 cartel prisoners to the United States to face charges', 'The 55 prisoners face drug trafficking charges in US courts after the transfer.', 2);
    const d = decideStory(f(bridge), [cand('small', [half2]), cand('big', [half1, half1], 2)], DEFAULT_CLUSTER_OPTIONS, defaultIdf);
    expect(d).toMatchObject({ action: 'merge', storyIds: ['big', 'small'] });
  });
});

describe('language-pair calibration', () => {
  const es1 = articleFeatures(art('Asesinan a alcalde de Temoac en ataque armado', 'El alcalde fue atacado a balazos en Morelos.', 0, 'es'));
  const es2 = articleFeatures(art('Atacan a balazos al alcalde de Temoac, Morelos', 'El edil murió tras el ataque armado.', 1, 'es'));
  const en1 = articleFeatures(art('Temoac mayor shot dead in Morelos attack', 'The mayor was killed by gunmen in Morelos.', 1, 'en'));
  it('names the pair of languages', () => {
    expect(languagePair('es', 'es')).toBe('es-es');
    expect(languagePair('en', 'es')).toBe('cross');
    expect(languagePair(null, 'es')).toBeNull();
  });
  it('rescales a pair so that its threshold maps onto the join threshold', () => {
    const opts = { joinThreshold: 0.2, pairThresholds: { 'es-es': 0.4, cross: 0.1 } };
    expect(calibratedSimilarity(es1, es2, defaultIdf, opts)).toBeCloseTo(Math.min(1, similarity(es1, es2, defaultIdf) * 0.5), 10);
    expect(calibratedSimilarity(es1, en1, defaultIdf, opts)).toBeCloseTo(Math.min(1, similarity(es1, en1, defaultIdf) * 2), 10);
    // A pair without its own threshold is left as it is.
    expect(calibratedSimilarity(es1, es2, defaultIdf, { joinThreshold: 0.2 })).toBe(similarity(es1, es2, defaultIdf));
  });
  it('a stricter Spanish threshold turns a marginal Spanish join into a new story', () => {
    const s = similarity(es2, es1, defaultIdf);
    const cand: StoryCandidate = { storyId: 's1', size: 1, firstPublishedAtMs: t0, lastPublishedAtMs: t0, members: [es1] };
    const loose = { ...DEFAULT_CLUSTER_OPTIONS, joinThreshold: s * 0.9, mergeThreshold: 1, pairThresholds: {} };
    expect(decideStory(es2, [cand], loose, defaultIdf).action).toBe('join');
    const strict = { ...loose, pairThresholds: { 'es-es': s * 1.2 } };
    expect(decideStory(es2, [cand], strict, defaultIdf).action).toBe('new');
  });
});

describe('cold start', () => {
  it('raises the per-pair thresholds with the join threshold, so calibration keeps the margin', async () => {
    const { coldStartOptions } = await import('../../src/cluster/place-articles.js');
    const o = coldStartOptions(DEFAULT_CLUSTER_OPTIONS, 0);
    expect(o.joinThreshold).toBeCloseTo(DEFAULT_CLUSTER_OPTIONS.joinThreshold + 0.1, 10);
    for (const [k, t] of Object.entries(DEFAULT_CLUSTER_OPTIONS.pairThresholds!)) expect(o.pairThresholds![k]).toBeCloseTo(t + 0.1, 10);
    const a = articleFeatures(transferEn);
    const b = articleFeatures(troops);
    // Same-language English pair: calibrated similarity equals the raw one, cold or not.
    expect(calibratedSimilarity(a, b, defaultIdf, o)).toBeCloseTo(similarity(a, b, defaultIdf), 10);
  });
});
