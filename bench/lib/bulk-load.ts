// Grows a bench database to N stored articles fast: INSERT … SELECT generate_series in 100k-row chunks,
// with secondary indexes dropped during the load and rebuilt once (as a restore would), then ANALYZE.
// Distribution: 2,000 outlets (skewed), publication dates over two years skewed to recent weeks, ~25%
// on-beat with topics (skewed across the beat's topics), an entity and the classifier's evidence, stories of 1 to 40 articles (4.2 on
// average, see STORY_SIZES) with their press sides, English and Spanish texts, one source_items row per article,
// real texts from the corpus (beat texts for on-beat and adjacent stories, a third of them Spanish; general
// news for the rest), with their real clustering features, sketch keys, MinHash and LSH bands,
// so candidate and near-duplicate lookups hit realistic postings).
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/client.js';
import { articleFeatures } from '../../src/cluster/features.js';
import { lshBandKeys, minhash } from '../../src/dedup/fingerprint.js';
import { loadTextPools } from './corpus-text.js';

export const BULK_SOURCES = 2000;

const ENTITIES = [
  { id: 'cartel:sinaloa', kind: 'cartel', name: 'Sinaloa Cartel', matched: 'Sinaloa' },
  { id: 'cartel:cjng', kind: 'cartel', name: 'Jalisco New Generation Cartel', matched: 'CJNG' },
  { id: 'person:claudia-sheinbaum', kind: 'person', name: 'Claudia Sheinbaum', matched: 'Sheinbaum' },
  { id: 'organization:cbp', kind: 'organization', name: 'U.S. Customs and Border Protection', matched: 'CBP' },
  { id: 'place:tijuana', kind: 'place', name: 'Tijuana', matched: 'Tijuana' },
];

/** What the classifier stores for an on-beat article: a few rules, each with the words it matched. */
const EVIDENCE = [
  [
    { rule: 'topic:cartel-violence/pattern:cartel-generic', matched: 'cartel', field: 'title', weight: 3 },
    { rule: 'topic:cartel-violence/pattern:violence-medium', matched: 'killed', field: 'body', weight: 2 },
    { rule: 'place:mexico', matched: 'Sinaloa', field: 'body', weight: 1 },
  ],
  [
    { rule: 'topic:fentanyl-trafficking/pattern:drugs-strong', matched: 'fentanyl', field: 'title', weight: 3 },
    { rule: 'topic:fentanyl-trafficking/pattern:drugs-weak', matched: 'trafficking', field: 'body', weight: 1 },
    { rule: 'actor:us', matched: 'DEA', field: 'body', weight: 1 },
    { rule: 'place:border', matched: 'border', field: 'body', weight: 1 },
  ],
  [
    { rule: 'topic:us-military-action/pattern:military-medium', matched: 'Pentagon', field: 'title', weight: 2 },
    { rule: 'place:mexico', matched: 'México', field: 'body', weight: 1 },
  ],
];

/**
 * The text of a story's nth article, as an SQL expression over the story id: on-beat and adjacent stories
 * read the corpus' beat texts (the keyword candidates and the border / Mexico outlets' snapshots), a third of
 * them in Spanish; off-beat stories read the general news pool. A story's articles are neighbouring texts of
 * one pool (one language). The hashes match the story's relevance in growBy.
 */
function textIndex(storyId: RawBuilder<unknown>, nth: RawBuilder<unknown> | number): RawBuilder<number> {
  return sql<number>`(SELECT p.base + (((hashint8(${storyId} + 15485863)::bigint & 2147483647) + ${nth} * 7919) % p.n)::int
    FROM bench_pools p
    WHERE p.pool = CASE WHEN (hashint8(${storyId} + 7919)::bigint & 2147483647) % 100 < 40
                        THEN CASE WHEN (hashint8(${storyId} + 1299709)::bigint & 2147483647) % 100 < 35 THEN 'beat_es' ELSE 'beat_en' END
                        ELSE 'other' END)`;
}

/** Texts table (three pools: beat_en, beat_es, other) + bulk sources: once per database. */
export async function prepareBulk(db: Db, topicIds: string[], withBands: boolean): Promise<void> {
  // Rebuilt each run from the corpus: a kept store from an older layout must not mix pools.
  await sql`DROP TABLE IF EXISTS bench_texts, bench_pools`.execute(db);
  await sql`CREATE TABLE bench_texts (i int PRIMARY KEY, title text, summary text, lang text, features jsonb, keys int[], minhash int[], bands int[])`.execute(db);
  await sql`CREATE TABLE bench_pools (pool text PRIMARY KEY, base int, n int)`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS bench_topics (i int PRIMARY KEY, topic text)`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS bench_entities (i int PRIMARY KEY, entity jsonb)`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS bench_evidence (i int PRIMARY KEY, evidence jsonb)`.execute(db);
  await sql`INSERT INTO bench_evidence (i, evidence) VALUES ${sql.join(EVIDENCE.map((e, i) => sql`(${i}, ${JSON.stringify(e)}::jsonb)`))} ON CONFLICT DO NOTHING`.execute(db);
  const pools = loadTextPools(1);
  const tag = (records: Array<{ title: string; description: string }>, lang: string) => records.map((r) => ({ title: r.title, description: r.description, lang }));
  const other = [...tag(pools.en.records, 'en'), ...tag(pools.es.records, 'es')];
  const beatEn = tag(pools.en.onBeat, 'en');
  const beatEs = tag(pools.es.onBeat, 'es');
  // Without beat texts (no corpus), the beat pools are the general one.
  const layout: Array<{ pool: string; texts: typeof other }> = [
    { pool: 'other', texts: other },
    { pool: 'beat_en', texts: beatEn.length ? beatEn : other },
    { pool: 'beat_es', texts: beatEs.length ? beatEs : beatEn.length ? beatEn : other },
  ];
  let base = 0;
  for (const { pool, texts } of layout) {
    await sql`INSERT INTO bench_pools (pool, base, n) VALUES (${pool}, ${base}, ${texts.length})`.execute(db);
    const rows = texts.map((t, k) => {
      const f = articleFeatures({ title: t.title, summary: t.description, lang: t.lang, publishedAt: new Date('2026-11-20T00:00:00Z') });
      const mh = Array.from(minhash(`${t.title} ${t.description}`));
      return { i: base + k, title: t.title, summary: t.description, lang: t.lang, features: JSON.stringify(f), keys: f.sketchKeys, minhash: mh, bands: withBands ? lshBandKeys(mh) : [] };
    });
    for (let i = 0; i < rows.length; i += 1000) {
      const part = rows.slice(i, i + 1000);
      await sql`INSERT INTO bench_texts (i, title, summary, lang, features, keys, minhash, bands) VALUES ${sql.join(
        part.map((r) => sql`(${r.i}, ${r.title}, ${r.summary}, ${r.lang}, ${r.features}::jsonb, ${r.keys}::int[], ${r.minhash}::int[], ${r.bands}::int[])`),
      )}`.execute(db);
    }
    base += texts.length;
  }
  const topics = topicIds.length ? topicIds : ['security'];
  await sql`INSERT INTO bench_topics (i, topic) VALUES ${sql.join(topics.map((t, i) => sql`(${i}, ${t})`))} ON CONFLICT DO NOTHING`.execute(db);
  await sql`INSERT INTO bench_entities (i, entity) VALUES ${sql.join(ENTITIES.map((e, i) => sql`(${i}, ${JSON.stringify(e)}::jsonb)`))} ON CONFLICT DO NOTHING`.execute(db);
  await sql`
    INSERT INTO sources (url, name, lang, status, next_check_at, last_success_at, last_fetched_at, fetch_count, items_stored, created_at, updated_at)
    SELECT 'https://bulk' || g || '.example.org/feed.xml', 'Bulk outlet ' || g, CASE WHEN g % 3 = 0 THEN 'es' ELSE 'en' END, 'active',
           now() + interval '1 day' + (g % 60) * interval '1 minute', now(), now(), 100, 500, now() - interval '2 years', now()
    FROM generate_series(1, ${BULK_SOURCES}) g
    ON CONFLICT (url) DO NOTHING`.execute(db);
}

interface IndexDef {
  name: string;
  def: string;
}

/** Secondary (non-unique, non-PK) indexes of the bulk tables: dropped for the load, rebuilt after. */
async function secondaryIndexes(db: Db): Promise<IndexDef[]> {
  const r = await sql<IndexDef>`
    SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    WHERE t.relname IN ('articles', 'source_items', 'stories', 'story_keys', 'article_bands', 'story_press')
      AND NOT x.indisunique AND NOT x.indisprimary`.execute(db);
  return r.rows;
}

/**
 * Story sizes of one block of BLOCK consecutive articles: most stories are one or two reports, a few are
 * the big events every outlet covers (the story page and the feeds' related coverage read those).
 * 10×1 + 6×2 + 4×3 + 2×6 + 1×14 + 1×40 = 100 articles in 24 stories (4.2 per story, as in production).
 */
const STORY_SIZES = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 6, 6, 14, 40];
const BLOCK = STORY_SIZES.reduce((a, b) => a + b, 0);
const STORIES_PER_BLOCK = STORY_SIZES.length;

/** The block layout as two tables: each story's first position and size, each position's story and rank in it. */
async function prepareShape(db: Db): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS bench_story_shape (story_off int PRIMARY KEY, first_pos int, size int)`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS bench_article_shape (pos int PRIMARY KEY, story_off int, nth int)`.execute(db);
  // Interleaved so that a story's articles are not adjacent ids (ingest interleaves outlets the same way).
  const stories: Array<{ off: number; first: number; size: number }> = [];
  const articles: Array<{ pos: number; off: number; nth: number }> = [];
  const left = STORY_SIZES.map((size, off) => ({ off, size, placed: 0 }));
  let pos = 0;
  while (pos < BLOCK) {
    for (const st of left) {
      if (st.placed >= st.size) continue;
      if (st.placed === 0) stories.push({ off: st.off, first: pos, size: st.size });
      articles.push({ pos, off: st.off, nth: st.placed++ });
      pos++;
    }
  }
  await sql`INSERT INTO bench_story_shape (story_off, first_pos, size) VALUES ${sql.join(stories.map((x) => sql`(${x.off}, ${x.first}, ${x.size})`))} ON CONFLICT DO NOTHING`.execute(db);
  await sql`INSERT INTO bench_article_shape (pos, story_off, nth) VALUES ${sql.join(articles.map((x) => sql`(${x.pos}, ${x.off}, ${x.nth})`))} ON CONFLICT DO NOTHING`.execute(db);
}

/**
 * Adds about `add` articles (rounded up to whole blocks; ids after the current max) with their stories,
 * links, keys, press sides and bands. Returns ms spent.
 */
export async function growBy(db: Db, add: number, opts: { withBands: boolean; log?: (s: string) => void }): Promise<number> {
  const t0 = performance.now();
  await prepareShape(db);
  add = Math.ceil(add / BLOCK) * BLOCK;
  const idx = await secondaryIndexes(db);
  for (const i of idx) await sql.raw(`DROP INDEX IF EXISTS ${i.name}`).execute(db);
  const one = async (q: ReturnType<typeof sql<{ m: number }>>) => Number((await q.execute(db)).rows[0]!.m);
  const srcBase = await one(sql<{ m: number }>`SELECT min(id) AS m FROM sources WHERE url LIKE 'https://bulk%'`);
  const nTopics = await one(sql<{ m: number }>`SELECT count(*) AS m FROM bench_topics`);
  // Ingest batches took ids too: the bulk continues after whatever exists.
  const A0 = (await one(sql<{ m: number }>`SELECT coalesce(max(id), 0) AS m FROM articles`)) + 1;
  const S0 = (await one(sql<{ m: number }>`SELECT coalesce(max(id), 0) AS m FROM stories`)) + 1;
  const CHUNK = 1000 * BLOCK; // whole blocks: stories never straddle chunks
  for (let a = A0; a < A0 + add; a += CHUNK) {
    const b = Math.min(A0 + add - 1, a + CHUNK - 1);
    // Block k holds articles A0 + k·BLOCK … and stories S0 + k·STORIES_PER_BLOCK …; ids are explicit so the
    // bulk rows line up; the identity sequences are moved past them at the end.
    const k0 = (a - A0) / BLOCK;
    const k1 = (b + 1 - A0) / BLOCK - 1;
    const s0 = S0 + k0 * STORIES_PER_BLOCK;
    const s1 = S0 + (k1 + 1) * STORIES_PER_BLOCK - 1;
    // Dates over two years, skewed to recent weeks (cube of a uniform); about a quarter on the beat, topics
    // skewed (the square of a uniform picks the topic: the first topics are the busy ones), a third of the
    // topical stories in two topics; languages follow the texts (English and Spanish corpus items).
    await sql`
      INSERT INTO stories (id, headline, first_published_at, last_published_at, first_seen_at, last_updated_at, article_count, outlet_count, lang_counts, topics, relevance, first_source_id)
      OVERRIDING SYSTEM VALUE
      SELECT s, t.title, p.pub, p.pub + (sh.size - 1) * interval '40 minutes', p.pub, p.pub + (sh.size - 1) * interval '40 minutes' + interval '1 hour',
             sh.size, least(sh.size, 1 + h.h1 % 12), jsonb_build_object(t.lang, sh.size),
             CASE WHEN h.h2 % 100 < 40 THEN ARRAY(SELECT DISTINCT topic FROM bench_topics
                                                  WHERE i = floor(${nTopics} * power((h.h3 % 10000) / 1e4, 2))::int
                                                     OR (h.h1 % 3 = 0 AND i = h.h3 % ${nTopics}))
                  ELSE '{}' END,
             CASE WHEN h.h2 % 100 < 25 THEN 'on_beat' WHEN h.h2 % 100 < 40 THEN 'adjacent' ELSE 'off_beat' END,
             ${srcBase} + (h.h1 % ${BULK_SOURCES})
      FROM generate_series(${s0}::bigint, ${s1}::bigint) s
      CROSS JOIN LATERAL (SELECT (s - ${S0}) / ${STORIES_PER_BLOCK} AS k, ((s - ${S0}) % ${STORIES_PER_BLOCK})::int AS off) blk
      JOIN bench_story_shape sh ON sh.story_off = blk.off
      CROSS JOIN LATERAL (SELECT (hashint8(s)::bigint & 2147483647) AS h1, (hashint8(s + 7919)::bigint & 2147483647) AS h2, (hashint8(s + 104729)::bigint & 2147483647) AS h3) h
      CROSS JOIN LATERAL (SELECT now() - power((h.h1 % 1000000) / 1e6, 3) * interval '730 days' AS pub) p
      JOIN bench_texts t ON t.i = ${textIndex(sql`s`, 0)}`.execute(db);
    await sql`
      INSERT INTO articles (id, dedup_key, url, canonical_url, guid, title, summary_html, summary_text, lang, published_at, first_seen_at, updated_at,
                            content_hash, first_source_id, relevance, score, topics, entities, evidence, rules_version, story_id, cluster_features, minhash)
      OVERRIDING SYSTEM VALUE
      SELECT g, 'u:' || u.url, u.url, u.url, NULL, t.title, '<p>' || t.summary || '</p>', t.summary, t.lang,
             st.first_published_at + ash.nth * interval '40 minutes', st.first_published_at + ash.nth * interval '40 minutes' + interval '1 hour',
             st.first_published_at + ash.nth * interval '40 minutes' + interval '1 hour',
             md5(g::text), CASE WHEN ash.nth = 0 THEN st.first_source_id ELSE ${srcBase} + (h.h1 % ${BULK_SOURCES}) END, st.relevance,
             CASE st.relevance WHEN 'on_beat' THEN 0.8 WHEN 'adjacent' THEN 0.4 ELSE 0 END, st.topics,
             CASE WHEN st.relevance = 'on_beat' THEN jsonb_build_array((SELECT entity FROM bench_entities WHERE i = h.h2 % 5)) ELSE '[]'::jsonb END,
             CASE WHEN st.relevance <> 'off_beat' THEN (SELECT evidence FROM bench_evidence WHERE i = h.h1 % ${EVIDENCE.length}) ELSE '[]'::jsonb END,
             'bulk', st.id, t.features, t.minhash
      FROM generate_series(${a}::bigint, ${b}::bigint) g
      JOIN bench_article_shape ash ON ash.pos = (g - ${A0}) % ${BLOCK}
      CROSS JOIN LATERAL (SELECT (hashint8(g + 31)::bigint & 2147483647) AS h1, (hashint8(g + 131)::bigint & 2147483647) AS h2) h
      CROSS JOIN LATERAL (SELECT 'https://bulk' || (h.h1 % ${BULK_SOURCES}) || '.example.org/news/' || g AS url) u
      JOIN stories st ON st.id = ${S0} + (g - ${A0}) / ${BLOCK} * ${STORIES_PER_BLOCK} + ash.story_off
      JOIN bench_texts t ON t.i = ${textIndex(sql`st.id`, sql`ash.nth`)}`.execute(db);
    // stories.first_article_id references articles (not deferrable): set once the articles exist.
    await sql`
      UPDATE stories st SET first_article_id = ${A0} + (st.id - ${S0}) / ${STORIES_PER_BLOCK} * ${BLOCK} + sh.first_pos
      FROM bench_story_shape sh
      WHERE st.id BETWEEN ${s0} AND ${s1} AND sh.story_off = (st.id - ${S0}) % ${STORIES_PER_BLOCK}`.execute(db);
    await sql`
      INSERT INTO source_items (source_id, item_key, article_id, content_hash, first_seen_at, last_seen_at)
      SELECT first_source_id, 'u:' || url, id, content_hash, first_seen_at, first_seen_at FROM articles WHERE id BETWEEN ${a} AND ${b}
      ON CONFLICT DO NOTHING`.execute(db);
    await sql`
      INSERT INTO story_keys (story_id, key, last_seen_at)
      SELECT st.id, k, st.last_published_at FROM stories st JOIN bench_texts t ON t.i = ${textIndex(sql`st.id`, 0)}, unnest(t.keys) k
      WHERE st.id BETWEEN ${s0} AND ${s1}
      ON CONFLICT DO NOTHING`.execute(db);
    // The two presses of on-beat and adjacent stories: every one has a US side, about half a Mexican one too.
    await sql`
      INSERT INTO story_press (story_id, country, outlets, articles, first_article_id, first_at)
      SELECT st.id, c.country, greatest(1, st.outlet_count / 2), greatest(1, st.article_count / 2), st.first_article_id, st.first_published_at
      FROM stories st CROSS JOIN (VALUES ('US'), ('MX')) c (country)
      WHERE st.id BETWEEN ${s0} AND ${s1} AND st.relevance IN ('on_beat', 'adjacent')
        AND (c.country = 'US' OR hashint8(st.id + 17) & 1 = 0)
      ON CONFLICT DO NOTHING`.execute(db);
    if (opts.withBands) {
      await sql`
        INSERT INTO article_bands (band_key, article_id)
        SELECT bk, g FROM generate_series(${a}::bigint, ${b}::bigint) g
          JOIN bench_article_shape ash ON ash.pos = (g - ${A0}) % ${BLOCK}
          JOIN bench_texts t ON t.i = ${textIndex(sql`${S0} + (g - ${A0}) / ${BLOCK} * ${STORIES_PER_BLOCK} + ash.story_off`, sql`ash.nth`)},
          unnest(t.bands) bk
        ON CONFLICT DO NOTHING`.execute(db);
    }
    opts.log?.(`  loaded articles ${a}…${b} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  await sql`SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT max(id) FROM articles))`.execute(db);
  await sql`SELECT setval(pg_get_serial_sequence('stories', 'id'), (SELECT max(id) FROM stories))`.execute(db);
  await sql`UPDATE cluster_stats SET total_docs = (SELECT count(*) FROM articles)`.execute(db).catch(() => {});
  // One pinned connection: SET is per session.
  await db.connection().execute(async (c) => {
    await sql`SET maintenance_work_mem = '512MB'`.execute(c);
    for (const i of idx) {
      const t = performance.now();
      await sql.raw(i.def).execute(c);
      opts.log?.(`  rebuilt ${i.name} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    }
    await sql`VACUUM ANALYZE`.execute(c);
  });
  return performance.now() - t0;
}
