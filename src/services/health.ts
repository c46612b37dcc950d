import type { Db } from '../../db/client.js';
import { countArticles } from '../../db/repositories/articles.repository.js';
import { pingDatabase } from '../../db/repositories/health.repository.js';
import { findSourceTotals } from '../../db/repositories/sources.repository.js';
import { countLiveStories } from '../../db/repositories/stories.repository.js';

/** Readiness: resolves when the database answers a trivial query, throws when it cannot be reached. */
export function checkDatabase(db: Db): Promise<void> {
  return pingDatabase(db);
}

/** What the metrics gauges show of the store: sources by status with their fetch counters, articles, live stories. */
export async function loadStoreTotals(db: Db) {
  const [sources, articles, stories] = await Promise.all([findSourceTotals(db), countArticles(db), countLiveStories(db)]);
  return { sources, articles, stories };
}
