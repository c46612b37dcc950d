import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { classifyItem } from '../../src/beat/classify-item.js';
import type { Classification } from '../../src/model/types.js';
import { createBeat } from '../../src/beat/beat.js';
import { reclassifyArticles } from '../../src/services/reclassify.js';
import { refreshDueSources, type Classify } from '../../src/services/refresh-feeds.js';
import { addSources } from '../../src/services/sources.js';
import { corpusDir } from '../helpers/corpus.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { refreshDeps, testConfig, TestClock } from '../helpers/deps.js';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { repoRoot } from '../helpers/spawn.js';

// Reclassification classifies a stored article with the function ingest classified its item with
// (src/beat/classify-item.ts), over the fields ingest stored: the same model gives the same relevance,
// score, topics, entities and evidence. Items come from real feeds (the fixtures, and one snapshot per
// outlet of the shared corpus when present) through the real ingest path. The reader threads classify with
// that same function too (test/integration/read-pool.test.ts compares them with the calling thread).

const fixtures = ['border-desk.rss', 'quirks.rss', 'xml-base.atom', 'feed-1.1.json'].map((f) => path.join(repoRoot, 'test/fixtures/feeds', f));
const snapshotsDir = corpusDir() && path.join(corpusDir()!, 'news-feed-snapshots-2026/feeds');
const snapshots = snapshotsDir
  ? ['border-report.xml', 'el-financiero.xml', 'los-angeles-times.xml', 'mexico-news-daily.xml', 'milenio.xml'].map((f) => path.join(snapshotsDir, f))
  : [];

// Items whose categories decide (the feeds above rarely tag on-beat terms), with the characters a text[]
// literal escapes: the categories come back from the database as ingest read them.
const TAGGED = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire desk</title><link>https://wire.example/</link>
<item><title>Operativo en Culiacán</title><link>https://wire.example/1</link><guid>w1</guid><pubDate>Tue, 24 Nov 2026 09:00:00 GMT</pubDate>
<description></description><category>Cártel de Sinaloa</category><category>Extradición a Estados Unidos</category></item>
<item><title>Tractor-trailer inspected at the Mariposa crossing</title><link>https://wire.example/2</link><guid>w2</guid><pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate>
<description>Officers opened the trailer on Tuesday.</description><category>fentanyl</category><category>CBP, "Nogales" {port} \\ entry</category></item>
<item><title>Weekend weather</title><link>https://wire.example/3</link><guid>w3</guid><pubDate>Tue, 24 Nov 2026 11:00:00 GMT</pubDate>
<description>Sunny.</description><category>Weather</category></item>
</channel></rss>`;

const beat = createBeat();
/** The shipped classifier under another version stamp: the same model, so that the job sees every article as stale. */
const stamped = (rulesVersion: string): Classify => (input) => ({ ...beat.classify(input), rulesVersion });

interface Stored {
  id: number;
  title: string;
  summary_text: string;
  categories: string[];
  lang: string | null;
  relevance: Classification['relevance'];
  score: number;
  topics: string[];
  entities: unknown;
  evidence: unknown;
  rules_version: string;
}

const readArticles = async (t: TestDb) =>
  (
    await sql<Stored>`SELECT id, title, summary_text, categories, lang, relevance, score, topics, entities, evidence, rules_version
      FROM articles ORDER BY id`.execute(t.db)
  ).rows;
const classificationOf = (a: Stored) => ({ relevance: a.relevance, score: a.score, topics: a.topics, entities: a.entities, evidence: a.evidence });

describe(`reclassify gives what ingest gave with the same model (${dbKind})`, () => {
  let t: TestDb;
  let srv: FeedServer;
  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
  });
  afterAll(async () => {
    await srv?.close();
    await t?.close();
  });

  it('every article ingested from real feeds keeps its relevance, score, topics, entities and evidence', async () => {
    const clock = new TestClock();
    const files = [...fixtures, ...snapshots];
    for (const file of files) {
      const type = file.endsWith('.json') ? 'application/feed+json' : file.endsWith('.atom') ? 'application/atom+xml' : 'application/rss+xml';
      srv.route(`/${path.basename(file)}`, (_q, res) => void res.writeHead(200, { 'content-type': type }).end(readFileSync(file)));
    }
    srv.route('/tagged.rss', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(TAGGED));
    const urls = [...files.map((f) => srv.url(`/${path.basename(f)}`)), srv.url('/tagged.rss')];
    await addSources(t.db, urls.map((url) => ({ url })), clock.now());
    const outcomes = await refreshDueSources(refreshDeps(t, clock, testConfig(), { classify: stamped('at-ingest') }));
    expect(outcomes.map((o) => o.outcome)).toEqual(urls.map(() => 'ok'));

    const ingested = await readArticles(t);
    expect(ingested.length).toBeGreaterThanOrEqual(snapshots.length ? 50 : 10);
    expect(ingested.every((a) => a.rules_version === 'at-ingest')).toBe(true);
    expect(ingested.find((a) => a.title.startsWith('Tractor-trailer'))?.categories).toEqual(['fentanyl', 'CBP, "Nogales" {port} \\ entry']);
    const onBeat = ingested.filter((a) => a.relevance === 'on_beat');
    expect(onBeat.length).toBeGreaterThan(0);
    expect(onBeat.some((a) => (a.entities as unknown[]).length > 0 && (a.evidence as unknown[]).length > 0)).toBe(true);

    // The comparison can fail: in this set, input built from fewer of the stored fields changes some decision.
    const c = (a: Stored) => JSON.stringify(classifyItem(beat.classify, { title: a.title, summaryText: a.summary_text, categories: a.categories, lang: a.lang }));
    const without = (a: Stored, drop: 'summaryText' | 'categories') =>
      JSON.stringify(classifyItem(beat.classify, { title: a.title, summaryText: drop === 'summaryText' ? '' : a.summary_text, categories: drop === 'categories' ? [] : a.categories, lang: a.lang }));
    expect(ingested.some((a) => c(a) !== without(a, 'summaryText'))).toBe(true);
    expect(ingested.some((a) => c(a) !== without(a, 'categories'))).toBe(true);

    const r = await reclassifyArticles(t.db, stamped('again'), 'again', { batchSize: 40 });
    expect(r.reclassified).toBe(ingested.length);
    const again = await readArticles(t);
    expect(again.map((a) => a.rules_version)).toEqual(ingested.map(() => 'again'));
    const changed = again.filter((a, i) => JSON.stringify(classificationOf(a)) !== JSON.stringify(classificationOf(ingested[i]!)));
    expect(changed.map((a) => a.title)).toEqual([]);
    expect(again.map(classificationOf)).toEqual(ingested.map(classificationOf));
  });
});
