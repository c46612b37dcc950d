import { describe, expect, it } from 'vitest';
import { articleFeatures } from '../../src/cluster/features.js';
import { DEFAULT_CLUSTER_OPTIONS, InMemoryStoryIndex, OnlineClusterer, decideStory, placeArticle } from '../../src/cluster/online-clusterer.js';
import { DocumentFrequencyTable, defaultIdf } from '../../src/cluster/similarity.js';
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
function beatBackground(): DocumentFrequencyTable {
  const df = new DocumentFrequencyTable();
  const subjects = ['Sheinbaum', 'Mexico', 'The United States', 'Mexican officials', 'US officials', 'El gobierno de México', 'Sheinbaum dijo que'];
  const topics = ['tariffs', 'migration talks', 'the judicial reform', 'water treaty', 'security cooperation', 'la reforma judicial', 'los aranceles', 'el T-MEC', 'cartel violence', 'la soberanía'];
  for (let i = 0; i < 300; i++) {
    const s = subjects[i % subjects.length];
    const tp = topics[(i * 7) % topics.length];
    df.add(articleFeatures(art(`${s} on ${tp} ${i}`, `${s} discussed ${tp} with the United States and Mexico.`, 0, i % 3 ? 'en' : 'es')));
  }
  return df;
}

describe('OnlineClusterer', () => {
  it('puts EN and ES coverage of one event in one story and other events apart', () => {
    const c = new OnlineClusterer({}, beatBackground());
    const a = c.place('a', transferEn).storyId;
    const b = c.place('b', transferEs).storyId;
    const d = c.place('d', troops).storyId;
    const e = c.place('e', storm).storyId;
    expect(c.resolve(b)).toBe(c.resolve(a));
    expect(new Set([c.resolve(a), c.resolve(d), c.resolve(e)]).size).toBe(3);
  });
  it('does not join stories outside the time window', () => {
    const c = new OnlineClusterer();
    const a = c.place('a', transferEn).storyId;
    const b = c.place('b', { ...transferEs, publishedAt: at(24 * 10) }).storyId;
    expect(c.resolve(b)).not.toBe(c.resolve(a));
  });
  it('releases stories that left the window but keeps their ids resolving', () => {
    const c = new OnlineClusterer();
    const a = c.place('a', transferEn).storyId;
    for (let i = 1; i <= 40; i++) c.place(`n${i}`, art(`Unrelated story number ${i} about gardening`, `Tomatoes ${i}`, 24 * 7 + i));
    // Its keys and member features were released (a query reaching back to it finds nothing to compare).
    const back = c.index.findCandidateStoriesSync(articleFeatures(transferEn).sketchKeys, at(-72), at(72), 10);
    expect(back.flatMap((s) => s.members)).toEqual([]);
    expect(c.resolve(a)).toBe(a);
    expect(c.index.listStories().find((s) => s.storyId === a)?.articleIds).toEqual(['a']);
  });
  it('is deterministic', () => {
    const run = () => {
      const c = new OnlineClusterer();
      return [transferEn, troops, transferEs, storm].map((x, i) => c.resolve(c.place(`x${i}`, x).storyId));
    };
    expect(run()).toEqual(run());
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
  it('merges stories that a late article bridges, largest first, and old ids keep resolving', async () => {
    // Two halves of one event, split earlier; the bridging article matches both.
    const half1 = art('Sheinbaum sends 55 cartel members to the United States', 'The transfer of 55 prisoners to the United States.', 0);
    const half2 = art('55 cartel prisoners flown to US cities to face charges', 'The 55 prisoners face drug trafficking charges in US courts.', 1);
    const bridge = art('Sheinbaum sends 55 cartel prisoners to the United States to face charges', 'The 55 prisoners face drug trafficking charges in US courts after the transfer.', 2);
    const d = decideStory(f(bridge), [cand('small', [half2]), cand('big', [half1, half1], 2)], DEFAULT_CLUSTER_OPTIONS, defaultIdf);
    expect(d).toMatchObject({ action: 'merge', storyIds: ['big', 'small'] });

    const index = new InMemoryStoryIndex();
    const s1 = await index.createStory('h1', f(half1));
    const s2 = await index.createStory('h2', f(half2));
    await index.mergeStories(s1, [s2]);
    expect(await index.resolveStory(s2)).toBe(s1);
    expect(index.listStories()).toHaveLength(1);
    expect(index.listStories()[0].articleIds.sort()).toEqual(['h1', 'h2']);
  });
  it('placeArticle (the DB path) makes the same decisions as the in-memory clusterer', async () => {
    const index = new InMemoryStoryIndex();
    const c = new OnlineClusterer();
    c.learnDf = false;
    const inputs = [transferEn, troops, transferEs, storm];
    const viaIndex: string[] = [];
    for (const [i, x] of inputs.entries()) viaIndex.push((await placeArticle(index, `x${i}`, articleFeatures(x, { idf: c.df.idf }), c.df.idf)).decision.action);
    const viaClusterer = inputs.map((x, i) => c.place(`x${i}`, x).decision.action);
    expect(viaIndex).toEqual(viaClusterer);
  });
});
