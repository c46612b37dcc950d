import { sql } from 'kysely';
import type { BandHit, ClusterInput, ClusterStore, Features, LoadedStory, StoryKeyHit } from '../../src/cluster/types.js';
import type { Db } from '../client.js';

// SQL side of event clustering and near-duplicate detection. Every lookup is an index probe
// bounded by keys and a time window, so its cost does not grow with the store.

/** Postings read per sketch key (the in-memory index's maxPostingsPerKey). */
const POSTINGS_PER_KEY = 64;

const CLUSTERING_LOCK = 7406337;

/** A timestamp as epoch milliseconds (a float8, floored as Date truncates): cheaper to read back than a Date. */
function epochMs(col: ReturnType<typeof sql.ref>) {
  return sql`floor(extract(epoch from ${col}) * 1000)::float8`;
}

/** Serializes clustering across worker processes for the rest of the transaction (see cluster service). */
export async function lockClustering(db: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${CLUSTERING_LOCK})`.execute(db);
}

/** The same lock if it is free; false (at once) when another transaction holds it. */
export async function tryLockClustering(db: Db): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${CLUSTERING_LOCK}) AS ok`.execute(db);
  return r.rows[0]?.ok === true;
}

/**
 * What one process knows of `term_df`, valid while `cluster_stats` is the row version it last wrote (its
 * xmin): every change of the frequencies updates that row in the same transaction (under the clustering
 * lock), so another process's batch, a reset or a rollback shows as another xmin and empties the cache.
 * A drain's consecutive batches then read only the terms they have not seen (a batch's vocabulary is
 * mostly the beat's everyday words: ≈ 50,000 rows per pass became ≈ 5,000). One cache per database.
 */
export interface DfCache {
  xmin: string | null;
  df: Map<string, number>;
}

export function newDfCache(): DfCache {
  return { xmin: null, df: new Map() };
}

/** Terms a cache holds at most (it starts over beyond). */
const DF_CACHE_MAX = 200_000;

/** Document frequencies of `terms` (0 for a term never counted) and the number of documents counted. */
export async function findDocumentFrequencies(db: Db, terms: string[], cache: DfCache = newDfCache()): Promise<{ totalDocs: number; df: Map<string, number> }> {
  const stats = await sql<{ total_docs: number; xmin: string }>`SELECT total_docs, xmin::text AS xmin FROM cluster_stats WHERE id = 1`.execute(db);
  const row = stats.rows[0];
  if (!row || row.xmin !== cache.xmin || cache.df.size > DF_CACHE_MAX) {
    cache.df.clear();
    cache.xmin = row?.xmin ?? null;
  }
  return { totalDocs: Number(row?.total_docs ?? 0), df: await findTermFrequencies(db, terms, cache) };
}

/**
 * More terms' frequencies in the transaction that called findDocumentFrequencies with the same cache (which
 * it validated there: under the clustering lock nobody else changes them meanwhile).
 */
export async function findTermFrequencies(db: Db, terms: string[], cache: DfCache = newDfCache()): Promise<Map<string, number>> {
  const unknown = terms.filter((t) => !cache.df.has(t));
  if (unknown.length) {
    const rows = (await sql<{ term: string; df: number }>`SELECT term, df FROM term_df WHERE term = ANY(${unknown}::text[])`.execute(db)).rows;
    for (const t of unknown) cache.df.set(t, 0);
    for (const r of rows) cache.df.set(r.term, r.df);
  }
  const out = new Map<string, number>();
  for (const t of terms) out.set(t, cache.df.get(t)!);
  return out;
}

/**
 * Adds one document per article to the frequency table (counts aggregated per call). With the cache the
 * batch read its frequencies through (same transaction), the cache follows: it stays valid for the next batch.
 */
export async function addDocumentFrequencies(db: Db, counts: Map<string, number>, docs: number, cache?: DfCache): Promise<void> {
  if (docs === 0) return;
  const terms = [...counts.keys()].sort();
  if (terms.length) {
    await sql`
      INSERT INTO term_df (term, df)
      SELECT * FROM unnest(${terms}::text[], ${terms.map((t) => counts.get(t)!)}::int[])
      ON CONFLICT (term) DO UPDATE SET df = term_df.df + EXCLUDED.df`.execute(db);
  }
  const r = await sql<{ xmin: string }>`UPDATE cluster_stats SET total_docs = total_docs + ${docs} WHERE id = 1 RETURNING xmin::text AS xmin`.execute(db);
  if (cache) followCounts(cache, counts, r.rows[0]?.xmin ?? null);
}

function followCounts(cache: DfCache, counts: Map<string, number>, xmin: string | null): void {
  for (const [t, n] of counts) {
    const was = cache.df.get(t);
    if (was !== undefined) cache.df.set(t, was + n);
  }
  cache.xmin = xmin;
}


export async function findPublishedAt(db: Db, ids: number[]): Promise<{ id: number; publishedAt: Date }[]> {
  const rows = await sql<{ id: number; published_at: Date }>`SELECT id, published_at FROM articles WHERE id = ANY(${ids}::bigint[])`.execute(db);
  return rows.rows.map((r) => ({ id: r.id, publishedAt: r.published_at }));
}

/**
 * Wire-copy families whose original changed: every article of family `root` (the root itself and the
 * copies pointing at it) now points at `to` (except `to` itself). One statement for a batch's repoints,
 * composed in order by the caller (composeRepoints in cluster-batch.ts), so that a root moved twice lands on the last target.
 */
export async function repointDuplicates(db: Db, moves: Array<{ root: number; to: number }>): Promise<void> {
  if (moves.length === 0) return;
  await sql`
    UPDATE articles a SET duplicate_of = m.to_id
    FROM unnest(${moves.map((m) => m.root)}::bigint[], ${moves.map((m) => m.to)}::bigint[]) AS m(root, to_id)
    WHERE (a.id = m.root OR a.duplicate_of = m.root) AND a.id <> m.to_id AND a.duplicate_of IS DISTINCT FROM m.to_id`.execute(db);
}

/**
 * Recomputes a story's derived columns from its articles: counts, languages, topics and relevance
 * (from on-beat members), the first report and headline (earliest on-beat original, not a wire copy), and
 * activity time.
 */
export async function refreshStoryAggregates(db: Db, storyIds: number[], now: Date): Promise<void> {
  if (storyIds.length === 0) return;
  // One pass per aggregate (GROUP BY over the members), no correlated subqueries: linear in the
  // number of member articles whatever the number of stories refreshed at once.
  await sql`
    WITH m AS (
      SELECT a.id, a.story_id, a.title, a.lang, a.topics, a.relevance, a.published_at, a.first_seen_at,
             a.first_source_id, a.duplicate_of
      FROM articles a WHERE a.story_id = ANY(${storyIds}::bigint[])
    ),
    base AS (
      SELECT story_id, count(*)::int AS n, min(published_at) AS first_pub, max(published_at) AS last_pub,
             min(first_seen_at) AS first_seen,
             CASE WHEN bool_or(relevance = 'on_beat') THEN 'on_beat'
                  WHEN bool_or(relevance = 'adjacent') THEN 'adjacent'
                  WHEN bool_or(relevance = 'off_beat') THEN 'off_beat' END AS relevance
      FROM m GROUP BY story_id
    ),
    outlets AS (
      -- Outlets, not feeds: a source's explicit outlet, else its feed's registrable domain (two section feeds
      -- of one newspaper are one outlet), else the source itself (outlet_domain not yet written).
      SELECT m.story_id,
             count(DISTINCT coalesce('o:' || lower(nullif(btrim(src.outlet), '')), 'd:' || src.outlet_domain, 's:' || si.source_id))::int AS n
      FROM m JOIN source_items si ON si.article_id = m.id LEFT JOIN sources src ON src.id = si.source_id
      GROUP BY m.story_id
    ),
    langs AS (
      SELECT story_id, jsonb_object_agg(l, c) AS j FROM (
        SELECT story_id, coalesce(lang, 'und') AS l, count(*) AS c FROM m GROUP BY 1, 2) x GROUP BY story_id
    ),
    tops AS (
      SELECT m.story_id, array_agg(DISTINCT t ORDER BY t) AS t FROM m CROSS JOIN LATERAL unnest(m.topics) t
      WHERE m.relevance = 'on_beat' GROUP BY m.story_id
    ),
    firsts AS (
      -- The first report of the event: the earliest original among the on-beat members (then adjacent, then any):
      -- an adjacent or off-beat member never gives an on-beat story its headline.
      SELECT DISTINCT ON (story_id) story_id, id, title, first_source_id
      FROM m ORDER BY story_id,
        CASE relevance WHEN 'on_beat' THEN 0 WHEN 'adjacent' THEN 1 ELSE 2 END,
        (duplicate_of IS NOT NULL), published_at, id
    )
    UPDATE stories s SET
      article_count = base.n, outlet_count = coalesce(outlets.n, 0), lang_counts = coalesce(langs.j, '{}'::jsonb),
      topics = coalesce(tops.t, '{}'), relevance = base.relevance, first_published_at = base.first_pub,
      last_published_at = base.last_pub, first_seen_at = base.first_seen, headline = firsts.title,
      first_article_id = firsts.id, first_source_id = firsts.first_source_id, last_updated_at = ${now}
    FROM base
    JOIN firsts ON firsts.story_id = base.story_id
    LEFT JOIN outlets ON outlets.story_id = base.story_id
    LEFT JOIN langs ON langs.story_id = base.story_id
    LEFT JOIN tops ON tops.story_id = base.story_id
    WHERE s.id = base.story_id`.execute(db);
}

/** Stories of the given articles (for re-deriving topics after reclassification). */
export async function findStoryIdsOfArticles(db: Db, articleIds: number[]): Promise<number[]> {
  if (articleIds.length === 0) return [];
  const rows = await sql<{ story_id: number }>`
    SELECT DISTINCT story_id FROM articles WHERE id = ANY(${articleIds}::bigint[]) AND story_id IS NOT NULL`.execute(db);
  return rows.rows.map((r) => r.story_id);
}

/**
 * Merges `from` stories into `into`: their articles and sketch keys move, and each points at the survivor
 * (merged_into, chains flattened) so old story ids keep resolving (permalinks answer 301).
 */
export async function mergeStories(db: Db, into: number, from: number[]): Promise<void> {
  const sources = from.filter((x) => x !== into);
  if (sources.length === 0) return;
  await sql`UPDATE articles SET story_id = ${into} WHERE story_id = ANY(${sources}::bigint[])`.execute(db);
  await sql`
    INSERT INTO story_keys (story_id, key, last_seen_at)
    SELECT ${into}::bigint, key, max(last_seen_at) FROM story_keys WHERE story_id = ANY(${sources}::bigint[]) GROUP BY key
    ON CONFLICT (story_id, key) DO UPDATE SET last_seen_at = GREATEST(story_keys.last_seen_at, EXCLUDED.last_seen_at)`.execute(db);
  await sql`DELETE FROM story_keys WHERE story_id = ANY(${sources}::bigint[])`.execute(db);
  await sql`UPDATE stories SET merged_into = ${into} WHERE id = ANY(${sources}::bigint[]) OR merged_into = ANY(${sources}::bigint[])`.execute(db);
  // Roundups that named a merged-away story name the survivor; its storyline links are the survivor's to recompute.
  await sql`
    INSERT INTO story_roundups (story_id, article_id, score)
    SELECT ${into}::bigint, article_id, max(score) FROM story_roundups WHERE story_id = ANY(${sources}::bigint[]) GROUP BY article_id
    ON CONFLICT (story_id, article_id) DO UPDATE SET score = GREATEST(story_roundups.score, EXCLUDED.score)`.execute(db);
  await sql`DELETE FROM story_roundups WHERE story_id = ANY(${sources}::bigint[])`.execute(db);
  await sql`DELETE FROM story_links WHERE story_id = ANY(${sources}::bigint[]) OR related_id = ANY(${sources}::bigint[])`.execute(db);
}

/** Attaches roundups to the stories they name (as related coverage, not members). */
export async function attachRoundups(db: Db, links: Array<{ storyId: number; articleId: number; score: number }>): Promise<void> {
  if (links.length === 0) return;
  await sql`
    INSERT INTO story_roundups (story_id, article_id, score)
    SELECT * FROM unnest(${links.map((l) => l.storyId)}::bigint[], ${links.map((l) => l.articleId)}::bigint[], ${links.map((l) => l.score)}::real[])
    ON CONFLICT (story_id, article_id) DO UPDATE SET score = GREATEST(story_roundups.score, EXCLUDED.score)`.execute(db);
}

/** Forgets every story and signature (recluster starts from scratch). */
export async function resetClustering(db: Db): Promise<void> {
  await sql`UPDATE articles SET story_id = NULL, duplicate_of = NULL, minhash = NULL, cluster_features = NULL, is_roundup = false
            WHERE story_id IS NOT NULL OR minhash IS NOT NULL`.execute(db);
  await sql`DELETE FROM story_roundups`.execute(db);
  await sql`DELETE FROM story_links`.execute(db);
  await sql`DELETE FROM article_bands`.execute(db);
  await sql`DELETE FROM story_keys`.execute(db);
  await sql`DELETE FROM stories`.execute(db);
  await sql`DELETE FROM term_df`.execute(db);
  await sql`UPDATE cluster_stats SET total_docs = 0 WHERE id = 1`.execute(db);
}

/** An article as clustering reads it back (recluster, reclassification, the pending sweep). */
export type ClusterRow = ClusterInput;

function toClusterRow(r: { id: number; title: string; summary_text: string; lang: string | null; entities: unknown; published_at: Date; relevance: ClusterRow['relevance']; outlet: string | null }): ClusterRow {
  return { id: r.id, title: r.title, summaryText: r.summary_text, lang: r.lang, entities: (r.entities as { id: string }[]) ?? [], publishedAt: r.published_at, relevance: r.relevance, outlet: r.outlet };
}

/** The columns of a ClusterRow, from `articles a`: the outlet is the first source's (its outlet, else its name). */
const CLUSTER_ROW_COLUMNS = sql`a.id, a.title, a.summary_text, a.lang, a.entities, a.published_at, a.relevance,
  (SELECT COALESCE(s.outlet, s.name) FROM sources s WHERE s.id = a.first_source_id) AS outlet`;

/** Clusterable articles in (published_at, id) order after a keyset position. */
export async function listArticlesForClustering(db: Db, after: { publishedAt: Date; id: number } | null, limit: number): Promise<ClusterRow[]> {
  const rows = await sql<Parameters<typeof toClusterRow>[0]>`
    SELECT ${CLUSTER_ROW_COLUMNS} FROM articles a
    WHERE a.relevance IS DISTINCT FROM 'off_beat'
      ${after ? sql`AND (a.published_at, a.id) > (${after.publishedAt}, ${after.id})` : sql``}
    ORDER BY a.published_at, a.id LIMIT ${limit}`.execute(db);
  return rows.rows.map(toClusterRow);
}

/** Articles among `ids` that are clusterable but in no story yet (became on-beat after reclassification). */
export async function listUnclusteredArticles(db: Db, ids: number[]): Promise<ClusterRow[]> {
  if (ids.length === 0) return [];
  const rows = await sql<Parameters<typeof toClusterRow>[0]>`
    SELECT ${CLUSTER_ROW_COLUMNS} FROM articles a
    WHERE a.id = ANY(${ids}::bigint[]) AND a.story_id IS NULL AND a.relevance IS DISTINCT FROM 'off_beat'`.execute(db);
  return rows.rows.map(toClusterRow);
}

/** Of `ids`, those not placed in a story yet (no signature): checked under the clustering lock. */
export async function findUnplacedArticleIds(db: Db, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await sql<{ id: number }>`
    SELECT id FROM articles WHERE id = ANY(${ids}::bigint[]) AND cluster_features IS NULL`.execute(db);
  return rows.rows.map((r) => r.id);
}

/** Clusterable articles never placed (see migration 005's partial index), oldest first. */
export async function listPendingClusterArticles(db: Db, limit: number): Promise<ClusterRow[]> {
  const rows = await sql<Parameters<typeof toClusterRow>[0]>`
    SELECT ${CLUSTER_ROW_COLUMNS} FROM articles a
    WHERE a.cluster_features IS NULL AND a.relevance IS DISTINCT FROM 'off_beat'
    ORDER BY a.id LIMIT ${limit}`.execute(db);
  return rows.rows.map(toClusterRow);
}

// ---------------------------------------------------------------------------------------------
// Batched clustering (src/services/cluster-batch.ts): the reads of a whole batch of articles in a few
// set-based statements, the decisions in memory, the writes in a few set-based statements. Same
// bounded index probes as the per-article statements above, one round trip for all articles.


/** findBandCandidates for every article of a batch: `keys[i]` are article i's band keys. */
export async function findBandCandidatesBatch(db: Db, keys: number[][], exclude: number[], limit = 20): Promise<BandHit[]> {
  const { is, ks } = keyPairs(keys);
  if (is.length === 0) return [];
  // Which stored articles share a band key with which article of the batch (integers only)...
  const pairs = await sql<{ i: number; article_id: number }>`
    SELECT DISTINCT q.i, p.article_id FROM unnest(${is}::int[], ${ks}::int[]) AS q(i, band_key)
    CROSS JOIN LATERAL (
      SELECT ab.article_id FROM article_bands ab
      WHERE ab.band_key = q.band_key AND ab.article_id <> ALL(${exclude}::bigint[])
      ORDER BY ab.article_id DESC LIMIT ${limit}
    ) p`.execute(db);
  if (pairs.rows.length === 0) return [];
  // ...then each candidate once, by primary key: a copy family shares all its band keys, so one article is
  // a candidate of many (one statement joining both read the MinHash arrays once per pair, and the
  // planner's estimate of the pairs made it scan the whole articles table).
  const rows = await sql<{ id: number; minhash: number[]; published_at: Date; story_id: number | null; duplicate_of: number | null; root_published_at: Date }>`
    SELECT a.id, a.minhash, a.published_at, coalesce(s.merged_into, a.story_id) AS story_id, a.duplicate_of,
           coalesce(r.published_at, a.published_at) AS root_published_at
    FROM articles a
    LEFT JOIN articles r ON r.id = a.duplicate_of
    LEFT JOIN stories s ON s.id = a.story_id
    WHERE a.id = ANY(${distinctIds(pairs.rows)}::bigint[]) AND a.minhash IS NOT NULL`.execute(db);
  return bandHitsOf(pairs.rows, rows.rows);
}

/** One (list index, key) pair per distinct key of each list: the rows a batch lookup unnests. */
function keyPairs(keys: number[][]): { is: number[]; ks: number[] } {
  const is: number[] = [];
  const ks: number[] = [];
  keys.forEach((list, i) => {
    for (const k of new Set(list)) is.push(i), ks.push(k);
  });
  return { is, ks };
}

function distinctIds(pairs: Array<{ article_id: number }>): number[] {
  return [...new Set(pairs.map((p) => Number(p.article_id)))];
}

function bandHitsOf(
  pairs: Array<{ i: number; article_id: number }>,
  rows: Array<{ id: number; minhash: number[]; published_at: Date; story_id: number | null; duplicate_of: number | null; root_published_at: Date }>,
): BandHit[] {
  const byId = new Map(
    rows.map((r) => [
      Number(r.id),
      {
        id: Number(r.id),
        minhash: r.minhash,
        publishedAt: r.published_at,
        storyId: r.story_id === null ? null : Number(r.story_id),
        duplicateOf: r.duplicate_of === null ? null : Number(r.duplicate_of),
        rootPublishedAt: r.root_published_at,
      },
    ]),
  );
  const hits: BandHit[] = [];
  for (const p of pairs) {
    const a = byId.get(Number(p.article_id));
    if (a) hits.push({ i: p.i, ...a });
  }
  return hits;
}


/**
 * findCandidateStories' hit counting for every article of a batch: per article, its top `limit` live
 * stories by shared sketch keys in its window, with the keys that matched (the caller adds what the batch
 * itself posted).
 */
export async function findStoryKeyHitsBatch(
  db: Db,
  articles: Array<{ keys: number[]; windowStart: Date; windowEnd: Date }>,
  limit: number,
): Promise<StoryKeyHit[]> {
  const { is, ks } = keyPairs(articles.map((a) => a.keys));
  if (is.length === 0) return [];
  // Windows per article (not per key: a batch has ~20 keys per article); times come back as epoch ms, the
  // only form the caller uses (Date.UTC truncates to the ms, so does floor).
  const rows = await sql<{ i: number; story_id: number; keys: number[]; last_hit_ms: number }>`
    WITH w AS (
      SELECT (n - 1)::int AS i, ws, we
      FROM unnest(${articles.map((a) => a.windowStart)}::timestamptz[], ${articles.map((a) => a.windowEnd)}::timestamptz[]) WITH ORDINALITY AS w(ws, we, n)
    ),
    p AS (
      SELECT q.i, q.key, sk.story_id, sk.last_seen_at
      FROM unnest(${is}::int[], ${ks}::int[]) AS q(i, key)
      JOIN w ON w.i = q.i
      CROSS JOIN LATERAL (
        SELECT sk.story_id, sk.last_seen_at FROM story_keys sk
        WHERE sk.key = q.key AND sk.last_seen_at BETWEEN w.ws AND w.we
        ORDER BY sk.last_seen_at DESC LIMIT ${POSTINGS_PER_KEY}
      ) sk
    ),
    agg AS (
      SELECT i, story_id, array_agg(key ORDER BY key) AS keys, max(last_seen_at) AS last_hit,
             row_number() OVER (PARTITION BY i ORDER BY count(*) DESC, max(last_seen_at) DESC, story_id) AS rn
      FROM p GROUP BY i, story_id
    )
    SELECT agg.i, agg.story_id, agg.keys, ${epochMs(sql.ref('agg.last_hit'))} AS last_hit_ms FROM agg
    JOIN stories s ON s.id = agg.story_id AND s.merged_into IS NULL
    WHERE agg.rn <= ${limit}`.execute(db);
  return rows.rows.map((r) => ({ i: r.i, storyId: Number(r.story_id), keys: r.keys, lastHitMs: r.last_hit_ms }));
}


/** Stories with what decideStory compares against: the seed and the `maxMembers` most recent members. */
export async function loadStoriesForBatch(db: Db, ids: number[], maxMembers: number): Promise<Map<number, LoadedStory>> {
  const out = new Map<number, LoadedStory>();
  if (ids.length === 0) return out;
  const rows = await sql<{ id: number; size: number; first_pub_ms: number; last_pub_ms: number; features: Features; is_seed: boolean }>`
    SELECT s.id, s.article_count AS size, ${epochMs(sql.ref('s.first_published_at'))} AS first_pub_ms,
           ${epochMs(sql.ref('s.last_published_at'))} AS last_pub_ms, m.cluster_features AS features, m.is_seed
    FROM stories s
    CROSS JOIN LATERAL (
      (SELECT a.id AS article_id, a.cluster_features, a.published_at, true AS is_seed FROM articles a WHERE a.id = s.first_article_id)
      UNION ALL
      (SELECT a.id, a.cluster_features, a.published_at, false FROM articles a
        WHERE a.story_id = s.id AND a.id IS DISTINCT FROM s.first_article_id
        ORDER BY a.published_at DESC, a.id DESC LIMIT ${maxMembers})
    ) m
    WHERE s.id = ANY(${ids}::bigint[]) AND m.cluster_features IS NOT NULL
    ORDER BY s.id, m.is_seed DESC, m.published_at DESC, m.article_id DESC`.execute(db);
  for (const r of rows.rows) {
    const id = Number(r.id);
    let s = out.get(id);
    if (!s) out.set(id, (s = { id, size: r.size, firstPublishedAtMs: r.first_pub_ms, lastPublishedAtMs: r.last_pub_ms, seed: null, recent: [] }));
    if (r.is_seed) s.seed = r.features;
    else s.recent.push(r.features);
  }
  return out;
}

/**
 * Signatures, duplicate pointers and stories of a batch (one row version per article: every index of
 * articles is written once), then the band keys.
 */
export async function saveSignaturesBatch(
  db: Db,
  rows: Array<{ id: number; minhash: number[]; bandKeys: number[]; features: Features; duplicateOf: number | null; storyId: number | null; roundup?: boolean }>,
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    UPDATE articles a SET minhash = v.minhash::int[], cluster_features = v.features::jsonb, duplicate_of = v.duplicate_of,
      story_id = v.story_id, is_roundup = v.is_roundup
    FROM unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => `{${r.minhash.join(',')}}`)}::text[],
                ${rows.map((r) => JSON.stringify(r.features))}::text[], ${rows.map((r) => r.duplicateOf)}::bigint[],
                ${rows.map((r) => r.storyId)}::bigint[], ${rows.map((r) => r.roundup ?? false)}::boolean[])
         AS v(id, minhash, features, duplicate_of, story_id, is_roundup)
    WHERE a.id = v.id`.execute(db);
  const { ids, keys } = bandRows(rows);
  if (ids.length) {
    await sql`INSERT INTO article_bands (band_key, article_id) SELECT * FROM unnest(${keys}::int[], ${ids}::bigint[])
              ON CONFLICT DO NOTHING`.execute(db);
  }
}

/** One (article, band key) row per distinct band key (a sync loop: kept out of the async caller). */
function bandRows(rows: Array<{ id: number; bandKeys: number[] }>): { ids: number[]; keys: number[] } {
  const ids: number[] = [];
  const keys: number[] = [];
  for (const r of rows) for (const k of new Set(r.bandKeys)) ids.push(r.id), keys.push(k);
  return { ids, keys };
}

/** One story per seed article (the article becomes its first member); returns seed article id → story id. */
export async function createStoriesBatch(db: Db, seedArticleIds: number[], now: Date): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (seedArticleIds.length === 0) return out;
  const r = await sql<{ id: number; first_article_id: number }>`
    INSERT INTO stories (headline, first_article_id, first_source_id, first_published_at, last_published_at,
                         first_seen_at, last_updated_at, article_count)
    SELECT a.title, a.id, a.first_source_id, a.published_at, a.published_at, a.first_seen_at, ${now}, 1
    FROM articles a WHERE a.id = ANY(${seedArticleIds}::bigint[]) ORDER BY a.id
    RETURNING id, first_article_id`.execute(db);
  for (const x of r.rows) out.set(Number(x.first_article_id), Number(x.id));
  return out;
}

/** Records sketch-key postings of stories (one row per story and key; last_seen_at only moves forward). */
export async function postStoryKeysBatch(db: Db, postings: Array<{ storyId: number; key: number; lastSeenAt: Date }>): Promise<void> {
  if (postings.length === 0) return;
  await sql`
    INSERT INTO story_keys (story_id, key, last_seen_at)
    SELECT * FROM unnest(${postings.map((p) => p.storyId)}::bigint[], ${postings.map((p) => p.key)}::int[],
                         ${postings.map((p) => p.lastSeenAt)}::timestamptz[])
    ON CONFLICT (story_id, key) DO UPDATE SET last_seen_at = GREATEST(story_keys.last_seen_at, EXCLUDED.last_seen_at)`.execute(db);
}

/** Storyline links found by placement (kind 'similar'), both ways; a pair keeps its best score and shared names. */
export async function addStoryLinks(db: Db, links: Array<{ storyId: number; relatedId: number; score: number; shared: string[] }>): Promise<void> {
  const rows = links.flatMap((l) => [l, { ...l, storyId: l.relatedId, relatedId: l.storyId }]).filter((l) => l.storyId !== l.relatedId);
  if (rows.length === 0) return;
  await sql`
    INSERT INTO story_links (story_id, related_id, kind, score, shared)
    SELECT s, r, ${SIMILAR_LINK}, sc, coalesce(string_to_array(sh, chr(31)), '{}') FROM unnest(${rows.map((l) => l.storyId)}::bigint[], ${rows.map((l) => l.relatedId)}::bigint[],
      ${rows.map((l) => l.score)}::real[], ${rows.map((l) => l.shared.join('\u001f'))}::text[]) AS u(s, r, sc, sh)
    ON CONFLICT (story_id, related_id) DO UPDATE SET score = EXCLUDED.score, shared = EXCLUDED.shared
      WHERE story_links.kind = ${SIMILAR_LINK} AND story_links.score < EXCLUDED.score`.execute(db);
}

/** story_links.kind of a link found by placement (similar coverage in the storyline window). */
export const SIMILAR_LINK = 'similar';

/** The placer's store (src/cluster/types.ts ClusterStore) over these statements, in the caller's transaction. */
export function sqlClusterStore(db: Db, dfCache: DfCache = newDfCache()): ClusterStore {
  return {
    findUnplacedArticleIds: (ids) => findUnplacedArticleIds(db, ids),
    documentFrequencies: (terms) => findDocumentFrequencies(db, terms, dfCache),
    termFrequencies: (terms) => findTermFrequencies(db, terms, dfCache),
    addDocumentFrequencies: (counts, docs) => addDocumentFrequencies(db, counts, docs, dfCache),
    findBandCandidatesBatch: (keys, exclude) => findBandCandidatesBatch(db, keys, exclude),
    findStoryKeyHitsBatch: (queries, limit) => findStoryKeyHitsBatch(db, queries, limit),
    loadStoriesForBatch: (ids, maxMembers) => loadStoriesForBatch(db, ids, maxMembers),
    findPublishedAt: (ids) => findPublishedAt(db, ids),
    createStoriesBatch: (seeds, now) => createStoriesBatch(db, seeds, now),
    saveSignaturesBatch: (rows) => saveSignaturesBatch(db, rows),
    repointDuplicates: (moves) => repointDuplicates(db, moves),
    mergeStories: (into, from) => mergeStories(db, into, from),
    postStoryKeysBatch: (postings) => postStoryKeysBatch(db, postings),
    attachRoundups: (links) => attachRoundups(db, links),
    addStoryLinks: (links) => addStoryLinks(db, links),
    refreshStoryAggregates: (ids, now) => refreshStoryAggregates(db, ids, now),
  };
}
