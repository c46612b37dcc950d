// Grows a bench database to N stored articles fast: INSERT … SELECT generate_series in 100k-row chunks,
// with secondary indexes dropped during the load and rebuilt once (as a restore would), then ANALYZE.
// Distribution: 2,000 outlets (skewed), publication dates over two years skewed to recent weeks, ~25%
// on-beat with topics and an entity, stories of three related articles, one source_items row per article,
// real texts from the corpus (with their real clustering features, sketch keys, MinHash and LSH bands,
// so candidate and near-duplicate lookups hit realistic postings).
import { sql } from 'kysely';
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

/** Texts table + bulk sources: once per database. */
export async function prepareBulk(db: Db, topicIds: string[], withBands: boolean): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS bench_texts (i int PRIMARY KEY, title text, summary text, lang text, features jsonb, keys int[], minhash int[], bands int[])`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS bench_topics (i int PRIMARY KEY, topic text)`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS bench_entities (i int PRIMARY KEY, entity jsonb)`.execute(db);
  const pools = loadTextPools(1);
  const texts = [...pools.en.records.map((r) => ({ ...r, lang: 'en' })), ...pools.es.records.map((r) => ({ ...r, lang: 'es' }))];
  const rows = texts.map((t, i) => {
    const f = articleFeatures({ title: t.title, summary: t.description, lang: t.lang, publishedAt: new Date('2026-11-20T00:00:00Z') });
    const mh = Array.from(minhash(`${t.title} ${t.description}`));
    return { i, title: t.title, summary: t.description, lang: t.lang, features: JSON.stringify(f), keys: f.sketchKeys, minhash: mh, bands: withBands ? lshBandKeys(mh) : [] };
  });
  for (let i = 0; i < rows.length; i += 1000) {
    const part = rows.slice(i, i + 1000);
    await sql`INSERT INTO bench_texts (i, title, summary, lang, features, keys, minhash, bands) VALUES ${sql.join(
      part.map((r) => sql`(${r.i}, ${r.title}, ${r.summary}, ${r.lang}, ${r.features}::jsonb, ${r.keys}::int[], ${r.minhash}::int[], ${r.bands}::int[])`),
    )} ON CONFLICT DO NOTHING`.execute(db);
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
    WHERE t.relname IN ('articles', 'source_items', 'stories', 'story_keys', 'article_bands')
      AND NOT x.indisunique AND NOT x.indisprimary`.execute(db);
  return r.rows;
}

/** Adds `add` articles (ids after the current max) with their stories, links, keys and bands. Returns ms spent. */
export async function growBy(db: Db, add: number, opts: { withBands: boolean; log?: (s: string) => void }): Promise<number> {
  const t0 = performance.now();
  const idx = await secondaryIndexes(db);
  for (const i of idx) await sql.raw(`DROP INDEX IF EXISTS ${i.name}`).execute(db);
  const one = async (q: ReturnType<typeof sql<{ m: number }>>) => Number((await q.execute(db)).rows[0]!.m);
  const srcBase = await one(sql<{ m: number }>`SELECT min(id) AS m FROM sources WHERE url LIKE 'https://bulk%'`);
  const nTexts = await one(sql<{ m: number }>`SELECT count(*) AS m FROM bench_texts`);
  const nTopics = await one(sql<{ m: number }>`SELECT count(*) AS m FROM bench_topics`);
  // Ingest batches took ids too: the bulk continues after whatever exists.
  const A0 = (await one(sql<{ m: number }>`SELECT coalesce(max(id), 0) AS m FROM articles`)) + 1;
  const S0 = (await one(sql<{ m: number }>`SELECT coalesce(max(id), 0) AS m FROM stories`)) + 1;
  const CHUNK = 99_999; // a multiple of 3: stories never straddle chunks
  for (let a = A0; a < A0 + add; a += CHUNK) {
    const b = Math.min(A0 + add - 1, a + CHUNK - 1);
    // Story of article g: S0 + (g - A0) / 3. Stories first (articles reference them); ids are explicit so
    // the bulk rows line up; the identity sequences are moved past them at the end.
    const s0 = S0 + Math.floor((a - A0) / 3);
    const s1 = S0 + Math.floor((b - A0) / 3);
    await sql`
      INSERT INTO stories (id, headline, first_published_at, last_published_at, first_seen_at, last_updated_at, article_count, outlet_count, lang_counts, topics, relevance, first_source_id)
      OVERRIDING SYSTEM VALUE
      SELECT s, t.title, p.pub, p.pub + interval '2 hours', p.pub, p.pub + interval '2 hours', 3, 2 + (h.h1 % 2),
             jsonb_build_object(t.lang, 3), CASE WHEN h.h2 % 100 < 40 THEN ARRAY[(SELECT topic FROM bench_topics WHERE i = h.h3 % ${nTopics})] ELSE '{}' END,
             CASE WHEN h.h2 % 100 < 25 THEN 'on_beat' WHEN h.h2 % 100 < 40 THEN 'adjacent' ELSE 'off_beat' END,
             ${srcBase} + (h.h1 % ${BULK_SOURCES})
      FROM generate_series(${s0}::bigint, ${s1}::bigint) s
      CROSS JOIN LATERAL (SELECT (hashint8(s)::bigint & 2147483647) AS h1, (hashint8(s + 7919)::bigint & 2147483647) AS h2, (hashint8(s + 104729)::bigint & 2147483647) AS h3) h
      CROSS JOIN LATERAL (SELECT now() - power((h.h1 % 1000000) / 1e6, 3) * interval '730 days' AS pub) p
      JOIN bench_texts t ON t.i = (${A0} + 3 * (s - ${S0})) % ${nTexts}`.execute(db);
    await sql`
      INSERT INTO articles (id, dedup_key, url, canonical_url, guid, title, summary_html, summary_text, lang, published_at, first_seen_at, updated_at,
                            content_hash, first_source_id, relevance, score, topics, entities, evidence, rules_version, story_id, cluster_features, minhash)
      OVERRIDING SYSTEM VALUE
      SELECT g, 'u:' || u.url, u.url, u.url, NULL, t.title, '<p>' || t.summary || '</p>', t.summary, t.lang,
             st.first_published_at + (g % 3) * interval '40 minutes', st.first_published_at + interval '1 hour', st.first_published_at + interval '1 hour',
             md5(g::text), ${srcBase} + (h.h1 % ${BULK_SOURCES}), st.relevance,
             CASE st.relevance WHEN 'on_beat' THEN 0.8 WHEN 'adjacent' THEN 0.4 ELSE 0 END, st.topics,
             CASE WHEN st.relevance = 'on_beat' THEN jsonb_build_array((SELECT entity FROM bench_entities WHERE i = h.h2 % 5)) ELSE '[]'::jsonb END,
             '[]'::jsonb, 'bulk', st.id, t.features, t.minhash
      FROM generate_series(${a}::bigint, ${b}::bigint) g
      CROSS JOIN LATERAL (SELECT (hashint8(g + 31)::bigint & 2147483647) AS h1, (hashint8(g + 131)::bigint & 2147483647) AS h2) h
      CROSS JOIN LATERAL (SELECT 'https://bulk' || (h.h1 % ${BULK_SOURCES}) || '.example.org/news/' || g AS url) u
      JOIN stories st ON st.id = ${S0} + (g - ${A0}) / 3
      JOIN bench_texts t ON t.i = g % ${nTexts}`.execute(db);
    await sql`UPDATE stories SET first_article_id = ${A0} + 3 * (id - ${S0}) WHERE id BETWEEN ${s0} AND ${s1}`.execute(db);
    await sql`
      INSERT INTO source_items (source_id, item_key, article_id, content_hash, first_seen_at, last_seen_at)
      SELECT first_source_id, 'u:' || url, id, content_hash, first_seen_at, first_seen_at FROM articles WHERE id BETWEEN ${a} AND ${b}
      ON CONFLICT DO NOTHING`.execute(db);
    await sql`
      INSERT INTO story_keys (story_id, key, last_seen_at)
      SELECT st.id, k, st.last_published_at FROM stories st JOIN bench_texts t ON t.i = (${A0} + 3 * (st.id - ${S0})) % ${nTexts}, unnest(t.keys) k
      WHERE st.id BETWEEN ${s0} AND ${s1}
      ON CONFLICT DO NOTHING`.execute(db);
    if (opts.withBands) {
      await sql`
        INSERT INTO article_bands (band_key, article_id)
        SELECT bk, g FROM generate_series(${a}::bigint, ${b}::bigint) g JOIN bench_texts t ON t.i = g % ${nTexts}, unnest(t.bands) bk
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
