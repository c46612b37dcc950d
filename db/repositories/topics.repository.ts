import { sql } from 'kysely';
import type { TopicStat } from '../../src/model/read-model.js';
import type { Db } from '../client.js';

export const ALL_TOPICS = 'all';

/**
 * Live on-beat story counts and last activity per topic slug, plus the pseudo-topic `all`
 * (every on-beat story, whatever its topics) — one pass over the live stories.
 */
export async function listTopicStats(db: Db): Promise<TopicStat[]> {
  const r = await sql<{ slug: string; n: number; last: Date | null }>`
    WITH live AS (
      SELECT topics, last_updated_at FROM stories WHERE merged_into IS NULL AND relevance = 'on_beat'
    )
    SELECT t.slug, count(*) AS n, max(l.last_updated_at) AS last
    FROM live l CROSS JOIN LATERAL unnest(l.topics) AS t (slug)
    GROUP BY t.slug
    UNION ALL
    SELECT ${ALL_TOPICS}, count(*), max(last_updated_at) FROM live`.execute(db);
  return r.rows.map((x) => ({ slug: x.slug, storyCount: Number(x.n), lastUpdatedAt: x.last }));
}
