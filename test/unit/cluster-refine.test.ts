// The batch's second look (StoryPlacer.refine): a story the batch started that holds two events is split, an
// article that would no longer join its story leaves it, and stories that score as one merge. Headlines from the
// Google News related-coverage set (2022-07-28), where arrival order alone glued such events together.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLUSTER_OPTIONS, groupScore, splitByEvent } from '../../src/cluster/decide.js';
import { articleFeatures } from '../../src/cluster/features.js';
import { MemoryClusterStore } from '../../src/cluster/memory-store.js';
import { placeArticles, type ClusterInput } from '../../src/cluster/place-articles.js';
import { defaultIdf } from '../../src/cluster/similarity.js';

const t0 = Date.parse('2022-07-28T00:00:00Z');
const features = (title: string) => articleFeatures({ title, summary: '', lang: 'en', publishedAt: new Date(t0) });

const pixel = [
  'Google Pixel 7 and Pixel 7 Pro camera sensor specs have leaked',
  'Likely camera sensors for Pixel 7, 7 Pro, and Pixel tablet uncovered in code',
  'Pixel 7 camera details exposed — and it comes with familiar specs',
  'Google Pixel 7, 7 Pro, Pixel Tablet and Pixel foldable camera sensors uncovered',
];
const nest = [
  'Nest cameras can now, at long last, livestream to Chromecast with Google TV',
  'Now all Google Nest cameras can stream video to your TV',
  'Stream Nest Cam Feeds Right to Your Google TV',
  'Chromecast with Google TV finally supports streaming live video from new Nest Cams, Doorbell',
];
const mars = [
  'NASA reveals when first ever Mars samples will return to Earth',
  'NASA details plans to bring back Mars rock samples',
  'NASA Will Inspire World When It Returns Mars Samples to Earth in 2033',
  'First mission to return samples from another planet set to land on Earth in 2033',
];
const soil = 'CDC, for first time from samples taken in U.S., discovers bacteria that causes rare serious disease';

describe('splitByEvent', () => {
  it('splits two events that share generic words ("Google", "camera") into their own parts', () => {
    const parts = splitByEvent([...pixel, ...nest].map(features), defaultIdf);
    expect(parts).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    // The halves would not join each other; each half is one event.
    expect(groupScore(pixel.map(features), nest.map(features), defaultIdf)).toBeLessThan(DEFAULT_CLUSTER_OPTIONS.joinThreshold);
    expect(groupScore(pixel.slice(0, 2).map(features), pixel.slice(2).map(features), defaultIdf)).toBeGreaterThanOrEqual(DEFAULT_CLUSTER_OPTIONS.joinThreshold);
  });
  it('keeps one event whole', () => {
    expect(splitByEvent(pixel.map(features), defaultIdf)).toEqual([[0, 1, 2, 3]]);
    expect(splitByEvent(mars.map(features), defaultIdf)).toEqual([[0, 1, 2, 3]]);
  });
  it('sends off one article that would not join the rest ("first" and "samples" in common)', () => {
    expect(splitByEvent([...mars, soil].map(features), defaultIdf)).toEqual([[0, 1, 2, 3], [4]]);
  });
});

const masks = [
  'Mask mandates remain the best way to defeat spread of virus',
  'Covid Mask Mandate: Beverly Hills, 3 Other Local Cities Will Not Comply With L.A. Order',
  'Pasadena, Long Beach health officials say no to indoor mask mandate proposal',
  'Indoor mask mandate in LA County could be paused',
];
const celtics = [
  'Charles Barkley Gives His Take On Why Kevin Durant Requested A Trade',
  "'He Won't Forget This': Are Celtics Fumbling Relationship with Jaylen Brown?",
  "Boston Celtics' Jayson Tatum, responding to Kevin Durant trade speculation, says 'I love our team'",
  'Nets and Celtics rumors: Kevin Durant, Kyrie Irving, Jaylen Brown, Marcus Smart, Grant Williams',
  'Should the Brooklyn Nets be interested in trading Kevin Durant to the Boston Celtics for Jaylen Brown?',
];

let nextId = 1;
/**
 * Places the headlines a minute apart, `batch` at a time, over a store past its cold start (300 documents
 * counted, none of them with these words), and returns each headline's story as the index of its first member.
 */
async function place(titles: string[], batch: number): Promise<number[]> {
  const store = new MemoryClusterStore();
  const counts = new Map<string, number>();
  for (let i = 0; i < 300; i++) for (const k of [`w${i}`, `v${i % 17}`, 'report']) counts.set(k, (counts.get(k) ?? 0) + 1);
  await store.addDocumentFrequencies(counts, 300);
  const ins: ClusterInput[] = titles.map((title, k) => ({
    id: nextId++, title, summaryText: '', lang: 'en', entities: [], publishedAt: new Date(t0 + k * 60_000), relevance: 'on_beat',
  }));
  store.addArticles(ins);
  for (let i = 0; i < ins.length; i += batch) await placeArticles(store, ins.slice(i, i + batch), new Date(t0 + 86_400_000));
  const part = store.partition();
  const ids = ins.map((a) => part.get(a.id)!);
  return ids.map((x) => ids.indexOf(x));
}

describe('placeArticles looks at the batch again', () => {
  it('an arrival order that glues two events (a Nest report joins the first Pixel one) ends in two stories', async () => {
    const order = [pixel[0]!, nest[0]!, pixel[1]!, nest[1]!, pixel[2]!, nest[2]!, pixel[3]!, nest[3]!];
    expect(await place(order, order.length)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
  });
  it('an outlier that joined a one-article story leaves it once the story has grown', async () => {
    const order = [mars[0]!, soil, mars[1]!, mars[2]!, mars[3]!];
    expect(await place(order, order.length)).toEqual([0, 1, 0, 0, 0]);
  });
  it('stories of one event started apart merge once their members score as one, also one article per batch', async () => {
    expect(await place(masks, 1)).toEqual([0, 0, 0, 0]);
    expect(await place(celtics, 1)).toEqual([0, 0, 0, 0, 0]);
  });
});
