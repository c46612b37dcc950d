import type { Deps } from '../src/deps.js';
import { lockClustering } from '../src/services/cluster-articles.js';
import { reclassifyArticles } from '../src/services/reclassify.js';
import type { JobContext } from './registry.js';

/** Re-applies the current beat rules to stored articles whose rules version is stale. */
export async function reclassifyJob(deps: Deps, ctx: JobContext) {
  const started = Date.now();
  const r = await reclassifyArticles(deps.db, deps.classify, deps.rulesVersion, {
    signal: ctx.signal,
    ...(ctx.progress ? { progress: ctx.progress } : {}),
    ...(deps.afterReclassify ? { afterBatch: deps.afterReclassify } : {}),
    // Same lock as clustering, taken before the batch writes (stories re-derive their topics in it).
    beforeBatch: lockClustering,
  });
  const summary = { event: 'reclassify', ...r, duration_ms: Date.now() - started };
  deps.logger.info(summary);
  return summary;
}
