import { sql } from 'kysely';
import type { StoryEvidence } from '../../src/model/read-model.js';
import type { Db } from '../client.js';

/**
 * Why each story is on the beat: the classifier evidence of its member articles, folded per story
 * (one row per rule and matched text, its strongest weight and how many articles it fired in),
 * an editor's corrections first (weight 0: they are no rule), then strongest first, at most `perStory` each —
 * one query for a whole page of stories.
 */
export async function listStoryEvidence(db: Db, storyIds: number[], perStory: number): Promise<Map<number, StoryEvidence[]>> {
  const out = new Map<number, StoryEvidence[]>();
  if (storyIds.length === 0) return out;
  const rows = await sql<{ story_id: number; rule: string; matched: string; field: string; weight: number; articles: number }>`
    SELECT x.story_id, x.rule, x.matched, x.field, x.weight, x.articles FROM (
      SELECT g.*, row_number() OVER (PARTITION BY g.story_id ORDER BY (g.rule LIKE 'editor:%') DESC, g.weight DESC, g.articles DESC, g.rule, g.matched) AS rn
      FROM (
        SELECT a.story_id, e->>'rule' AS rule, coalesce(e->>'matched', '') AS matched, coalesce(e->>'field', '') AS field,
               max(coalesce((e->>'weight')::float8, 0)) AS weight, count(DISTINCT a.id)::int4 AS articles
        FROM articles a
          CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(a.evidence) = 'array' THEN a.evidence ELSE '[]'::jsonb END) e
        WHERE a.story_id = ANY(${storyIds}::int8[]) AND e ? 'rule'
        GROUP BY 1, 2, 3, 4
      ) g
    ) x
    WHERE x.rn <= ${perStory}
    ORDER BY x.story_id, x.rn`.execute(db);
  for (const r of rows.rows) {
    const list = out.get(r.story_id) ?? [];
    list.push({ rule: r.rule, matched: r.matched, field: r.field === 'body' ? 'body' : 'title', weight: Number(r.weight), articles: Number(r.articles) });
    out.set(r.story_id, list);
  }
  return out;
}
