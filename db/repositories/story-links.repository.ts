import { sql } from 'kysely';
import type { Db } from '../client.js';

// Storyline links between stories (migration 015), of two kinds, read alike by the story page, the API, the
// feeds and the newsletter: 'similar' rows are written by placement (clustering.repository addStoryLinks:
// coverage scoring as related within three weeks) and kept; 'storyline' rows, below, are recomputed for the
// stories a batch touched from the entities their articles share, and only those rows are rewritten here.
//
// A link: two live beat stories (on_beat or adjacent) whose articles share ≥ MIN_SHARED *distinctive*
// entity ids, published within ±WINDOW of each other's span. Distinctive = not carried by more than
// max(COMMON_FLOOR, COMMON_SHARE × stories begun in the window) stories: on this beat the gazetteer never
// emits "Mexico" itself, but the president, the Sinaloa cartel or a state such as Sinaloa ride along in
// a large share of all stories and would tie unrelated events together. Measured against the window's
// own stories rather than a list of ids, so it follows the news (a city at the heart of a storyline is
// distinctive; the same city in every story of a fortnight is not) and needs no upkeep of the gazetteer.

/** Window around a story's span [first_published_at, last_published_at]. */
export const LINK_WINDOW_DAYS = 7;
/** Shared distinctive entity ids for a link. */
export const MIN_SHARED = 2;
/** Links kept per refreshed story (the reverse rows of its neighbours come on top). */
export const LINKS_PER_STORY = 10;
/** An entity carried by more stories than this share of the window's stories is ubiquitous… */
export const COMMON_SHARE = 0.05;
/** …but never below this many stories (a small store has no ubiquitous entity). */
export const COMMON_FLOOR = 5;
/** A story's most frequent entity ids looked at (before and after dropping ubiquitous ones). */
const ENTITIES_CONSIDERED = 12;
const ENTITIES_USED = 8;
/** Rows read per entity lookup: bounds the cost of each (story, entity) pair whatever the store size. */
const LOOKUP_ROWS = 200;
const DF_ROWS = 1000;

export const STORYLINE = 'storyline';

/**
 * Recomputes the storyline links of the given (touched) stories, in two statements whatever their
 * number: their links go in both directions (and those of stories merged into them, whose rows stay),
 * then each live beat story gets its top LINKS_PER_STORY links, each stored both ways. Symmetric by
 * construction: every row is written with its reverse, and every delete removes both. Runs inside the
 * caller's transaction (the clustering one: stories do not move under it).
 *
 * Cost per story is bounded: its own members' entities, ≤ ENTITIES_CONSIDERED document-frequency
 * probes (shared across the batch), ≤ ENTITIES_USED GIN lookups of ≤ LOOKUP_ROWS rows each.
 */
export async function refreshStoryLinks(db: Db, storyIds: number[]): Promise<void> {
  if (storyIds.length === 0) return;
  // Both directions, through the primary key (story_id) and story_links_related_idx (related_id).
  await sql`
    WITH gone AS (
      SELECT ARRAY(
        SELECT unnest(${storyIds}::bigint[])
        UNION SELECT id FROM stories WHERE merged_into = ANY(${storyIds}::bigint[])
      ) AS ids
    )
    DELETE FROM story_links l USING gone
    WHERE (l.story_id = ANY(gone.ids) OR l.related_id = ANY(gone.ids))
      AND (l.kind = ${STORYLINE} OR EXISTS (
        -- Placement's links ('similar') stay, unless one side was merged away or left the beat.
        SELECT 1 FROM stories s WHERE s.id IN (l.story_id, l.related_id)
          AND (s.merged_into IS NOT NULL OR s.relevance IS NULL OR s.relevance NOT IN ('on_beat', 'adjacent'))))`.execute(db);

  const windowSql = sql.raw(`interval '${LINK_WINDOW_DAYS} days'`);
  await sql`
    WITH t AS (
      SELECT s.id, s.first_published_at - ${windowSql} AS lo, s.last_published_at + ${windowSql} AS hi
      FROM stories s
      WHERE s.id = ANY(${storyIds}::bigint[]) AND s.merged_into IS NULL AND s.relevance IN ('on_beat', 'adjacent')
    ),
    win AS (SELECT min(lo) AS lo, max(hi) AS hi FROM t),
    live AS (
      -- The window's stories (stories_event_idx): the denominator of "ubiquitous".
      SELECT count(*)::float8 AS n FROM stories s, win
      WHERE s.merged_into IS NULL AND s.event_at >= win.lo AND s.event_at < win.hi
    ),
    ent AS (
      SELECT story_id, eid, n FROM (
        SELECT a.story_id, e->>'id' AS eid, count(*) AS n,
               row_number() OVER (PARTITION BY a.story_id ORDER BY count(*) DESC, e->>'id') AS rn
        FROM t JOIN articles a ON a.story_id = t.id
        CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(a.entities) = 'array' THEN a.entities ELSE '[]'::jsonb END) e
        WHERE jsonb_typeof(e) = 'object' AND e ? 'id'
        GROUP BY a.story_id, e->>'id'
      ) x
      WHERE rn <= ${ENTITIES_CONSIDERED}
    ),
    df AS (
      -- Stories carrying the entity in the batch's window (GIN entities_idx), read up to DF_ROWS articles.
      SELECT d.eid, greatest(1, (
        SELECT count(DISTINCT x.story_id) FROM (
          SELECT a.story_id FROM articles a, win
          WHERE a.entities @> jsonb_build_array(jsonb_build_object('id', d.eid)) AND a.story_id IS NOT NULL
            AND a.published_at >= win.lo AND a.published_at <= win.hi
          LIMIT ${DF_ROWS}) x)) AS df
      FROM (SELECT DISTINCT eid FROM ent) d
    ),
    keep AS (
      SELECT story_id, eid, df FROM (
        SELECT ent.story_id, ent.eid, df.df,
               row_number() OVER (PARTITION BY ent.story_id ORDER BY ent.n DESC, ent.eid) AS rn
        FROM ent JOIN df ON df.eid = ent.eid, live
        WHERE df.df <= greatest(${COMMON_FLOOR}::float8, ${COMMON_SHARE}::float8 * live.n)
      ) y
      WHERE rn <= ${ENTITIES_USED}
    ),
    hits AS (
      SELECT k.story_id, h.story_id AS related_id, k.eid, k.df
      FROM keep k JOIN t ON t.id = k.story_id
      CROSS JOIN LATERAL (
        SELECT DISTINCT a.story_id FROM (
          SELECT a.story_id FROM articles a
          WHERE a.entities @> jsonb_build_array(jsonb_build_object('id', k.eid)) AND a.story_id IS NOT NULL
            AND a.story_id <> k.story_id AND a.published_at >= t.lo AND a.published_at <= t.hi
          LIMIT ${LOOKUP_ROWS}) a
      ) h
    ),
    pairs AS (
      -- score: the shared entities' rarity (sum of log inverse story frequency), the tie-break after their count.
      SELECT h.story_id, h.related_id, array_agg(h.eid ORDER BY h.eid) AS shared,
             sum(ln((greatest(live.n, h.df) + 1) / h.df)) AS score
      FROM hits h JOIN stories r ON r.id = h.related_id, live
      WHERE r.merged_into IS NULL AND r.relevance IN ('on_beat', 'adjacent')
      GROUP BY h.story_id, h.related_id
      HAVING count(*) >= ${MIN_SHARED}
    ),
    top AS (
      SELECT story_id, related_id, shared, score FROM (
        SELECT p.*, row_number() OVER (PARTITION BY p.story_id ORDER BY cardinality(p.shared) DESC, p.score DESC, p.related_id DESC) AS rn
        FROM pairs p
      ) z
      WHERE rn <= ${LINKS_PER_STORY}
    ),
    both_ways AS (
      SELECT story_id, related_id, shared, score FROM top
      UNION ALL
      SELECT related_id, story_id, shared, score FROM top
    )
    -- When both stories of a pair were refreshed, each direction keeps the better of the two findings:
    -- the same choice over the same candidates, so a→b and b→a carry the same shared ids and score.
    INSERT INTO story_links (story_id, related_id, kind, score, shared)
    SELECT DISTINCT ON (story_id, related_id) story_id, related_id, ${STORYLINE}, score, shared
    FROM both_ways
    ORDER BY story_id, related_id, cardinality(shared) DESC, score DESC, shared::text
    -- Shared entities explain a link better than similar words: a pair placement linked takes this kind.
    ON CONFLICT (story_id, related_id) DO UPDATE SET kind = EXCLUDED.kind, score = EXCLUDED.score, shared = EXCLUDED.shared`.execute(db);
}
