// Issue 18 ("Must show"): the two presses on stories built from the real 2026 snapshots of US and Mexican outlets
// (the shared corpus, replayed through the real ingest path by test/helpers/snapshot-replay.ts). Each outlet's
// country of publication is set as an editor would (`PATCH /v1/sources/:id` would do the same), then every
// story's sides are computed (the refresh-press job) and checked against plain SQL over the stored articles:
// first report per side and the lag, outlets per side, terms that each side's articles really use, blind spots
// and the `press=` filter paging every story once. Skipped when the corpus is absent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { foldText } from '../../src/dedup/fingerprint.js';
import { refreshAllPress } from '../../src/services/press.js';
import { getJson, makeApp, walk } from '../api/api-helpers.js';
import { CORPUS_MISSING_MESSAGE } from '../helpers/corpus.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { replaySnapshots, snapshotCorpus } from '../helpers/snapshot-replay.js';

const corpus = snapshotCorpus();
if (!corpus) console.warn(`story-press-snapshots: ${CORPUS_MISSING_MESSAGE}`);

// Country of publication of the outlets in the snapshots (Mexico News Daily: an English-language Mexican outlet).
// Keyed by the outlet as the replay names it (the feed's title up to " - Article Feed").
const COUNTRY: Record<string, 'US' | 'MX'> = {
  'Border Report': 'US', 'Fox News': 'US', 'Los Angeles Times': 'US', NPR: 'US', 'The Texas Tribune': 'US', 'The War Zone': 'US',
  'El Financiero': 'MX', 'Mexico News Daily': 'MX', Milenio: 'MX', 'SDP Noticias': 'MX',
};

interface SideRow { story_id: number; country: string; outlets: number; articles: number; first_at: Date }

describe.skipIf(!corpus)(`two presses on the 2026 snapshots (${dbKind})`, () => {
  let t: TestDb;
  let app: ReturnType<typeof makeApp>;
  let expected: SideRow[];

  beforeAll(async () => {
    t = await createTestDb();
    await replaySnapshots(t, dbKind, corpus!);
    const outlets = (await sql<{ outlet: string }>`SELECT DISTINCT outlet FROM sources`.execute(t.db)).rows.map((r) => r.outlet);
    expect(outlets.filter((o) => !COUNTRY[o]), 'outlets without a country in this test').toEqual([]);
    for (const [outlet, country] of Object.entries(COUNTRY)) await sql`UPDATE sources SET country = ${country} WHERE outlet = ${outlet}`.execute(t.db);
    await refreshAllPress(t.db);
    app = makeApp(t);
    expected = (
      await sql<SideRow>`
        SELECT a.story_id, src.country, count(DISTINCT src.outlet)::int AS outlets, count(*)::int AS articles,
               min(LEAST(a.published_at, a.first_seen_at)) AS first_at
        FROM articles a JOIN stories s ON s.id = a.story_id AND s.merged_into IS NULL JOIN sources src ON src.id = a.first_source_id
        GROUP BY a.story_id, src.country ORDER BY a.story_id, src.country`.execute(t.db)
    ).rows.map((r) => ({ ...r, story_id: Number(r.story_id), first_at: new Date(r.first_at) }));
  }, 300_000);
  afterAll(async () => t?.close());

  it('outlets, articles and first report per side, and the lag, as the stored articles say', async () => {
    const both = [...new Set(expected.map((e) => e.story_id))].filter((id) => expected.filter((e) => e.story_id === id).length === 2);
    // Measured today: 0 of 116 stories hold both presses (the corpus's US outlets and Mexican outlets share few
    // events, and the placer joins none of those): printed for the note; the checks below hold either way.
    console.log(`story-press-snapshots: ${new Set(expected.map((e) => e.story_id)).size} stories, ${both.length} covered by both presses`);
    for (const id of new Set(expected.map((e) => e.story_id))) {
      const { body } = await getJson(app, `/v1/stories/${id}`);
      const us = expected.find((e) => e.story_id === id && e.country === 'US');
      const mx = expected.find((e) => e.story_id === id && e.country === 'MX');
      for (const [side, exp] of [['us', us], ['mx', mx]] as const) {
        if (!exp) expect(body.press[side], `story ${id} ${side}`).toBeNull();
        else expect(body.press[side], `story ${id} ${side}`).toMatchObject({ outlets: exp.outlets, articles: exp.articles, firstAt: exp.first_at.toISOString() });
      }
      if (us && mx) {
        expect(body.press.lagMs).toBe(Math.abs(us.first_at.getTime() - mx.first_at.getTime()));
        expect(body.press.firstSide).toBe(mx.first_at < us.first_at ? 'mx' : 'us');
      } else expect(body.press.lagMs).toBeNull();
    }
  });

  it("each side's terms are words its own articles use (English or Spanish); against the other press, scored and rare there", async () => {
    let withTerms = 0;
    for (const id of new Set(expected.map((e) => e.story_id))) {
      const { body } = await getJson(app, `/v1/stories/${id}`);
      for (const [side, country] of [['us', 'US'], ['mx', 'MX']] as const) {
        if (!body.press[side]) continue;
        const other = body.press[side === 'us' ? 'mx' : 'us'];
        const texts = (
          await sql<{ t: string }>`
            SELECT a.title || ' ' || a.summary_text AS t FROM articles a JOIN sources src ON src.id = a.first_source_id
            WHERE a.story_id = ${id} AND src.country = ${country}`.execute(t.db)
        ).rows.map((r) => ` ${foldText(r.t)} `);
        for (const term of body.press[side].terms) {
          expect(texts.some((x) => x.includes(` ${term.term}`)), `story ${id} ${side}: "${term.term}"`).toBe(true);
          if (other) {
            expect(term.score).toBeGreaterThanOrEqual(1);
            expect(term.otherArticles / other.articles).toBeLessThan(term.articles / body.press[side].articles);
          } else expect(term.otherArticles).toBe(0);
        }
        if (body.press[side].terms.length) withTerms++;
      }
    }
    expect(withTerms).toBeGreaterThan(0);
  });

  it('blind spots are exactly the stories one press covered with ≥ 2 outlets and the other not at all', async () => {
    for (const [side, missing, covering] of [['us', 'US', 'MX'], ['mx', 'MX', 'US']] as const) {
      const want = [...new Set(expected.map((e) => e.story_id))].filter(
        (id) => !expected.some((e) => e.story_id === id && e.country === missing) && (expected.find((e) => e.story_id === id && e.country === covering)?.outlets ?? 0) >= 2,
      );
      const onBeat = new Set(
        (await sql<{ id: number }>`SELECT id FROM stories WHERE merged_into IS NULL AND relevance = 'on_beat'`.execute(t.db)).rows.map((r) => Number(r.id)),
      );
      const { items } = await walk(app, `/v1/blindspots?side=${side}&limit=3`);
      expect(new Set(items.map((x) => x.id)), side).toEqual(new Set(want.filter((id) => onBeat.has(id))));
      expect(items.length).toBe(new Set(items.map((x) => x.id)).size);
    }
  });

  it('press=us|mx pages every on-beat story with that press exactly once', async () => {
    for (const [side, country] of [['us', 'US'], ['mx', 'MX']] as const) {
      const want = (
        await sql<{ id: number }>`
          SELECT s.id FROM stories s WHERE s.merged_into IS NULL AND s.relevance = 'on_beat'
            AND EXISTS (SELECT 1 FROM articles a JOIN sources src ON src.id = a.first_source_id WHERE a.story_id = s.id AND src.country = ${country})
          ORDER BY s.event_at DESC, s.id DESC`.execute(t.db)
      ).rows.map((r) => Number(r.id));
      const { items } = await walk(app, `/v1/topics/all/stories?press=${side}&limit=7`);
      expect(items.map((x) => x.id), side).toEqual(want);
    }
  });
});
