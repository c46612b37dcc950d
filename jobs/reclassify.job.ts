import type { Deps } from '../src/deps.js';
import { reclassifyWithStories } from '../src/services/recluster.js';
import type { JobContext } from './job.js';

/** Re-applies the current beat rules to stored articles whose rules version is stale; their stories follow. */
export async function reclassifyJob(deps: Deps, ctx: JobContext) {
  const started = Date.now();
  const r = await reclassifyWithStories(deps.db, deps.classify, deps.rulesVersion, deps.clock, {
    signal: ctx.signal,
    cluster: deps.beat.beat.clusterOptions,
    ...(ctx.progress ? { progress: ctx.progress } : {}),
  });
  const summary = { event: 'reclassify', ...r, duration_ms: Date.now() - started };
  deps.logger.info(summary);
  return summary;
}
