import type { Deps } from '../src/deps.js';
import { reclassifyArticles } from '../src/services/reclassify.js';
import type { JobContext } from './registry.js';

/** Re-applies the current beat rules to stored articles whose rules version is stale. */
export async function reclassifyJob(deps: Deps, ctx: JobContext) {
  const started = Date.now();
  const r = await reclassifyArticles(deps.db, deps.classify, deps.rulesVersion, {
    signal: ctx.signal,
    ...(ctx.progress ? { progress: ctx.progress } : {}),
    ...(deps.afterReclassify ? { afterBatch: deps.afterReclassify } : {}),
    ...(deps.beforeStore ? { beforeBatch: deps.beforeStore } : {}),
  });
  const summary = { event: 'reclassify', ...r, duration_ms: Date.now() - started };
  deps.logger.info(summary);
  return summary;
}
