import type { Deps } from '../src/deps.js';
import { reclusterAll } from '../src/services/recluster.js';
import type { JobContext } from './job.js';

/** Rebuilds stories from stored articles (for a changed clustering algorithm). */
export async function reclusterJob(deps: Deps, ctx: JobContext) {
  const started = Date.now();
  const r = await reclusterAll(deps.db, deps.clock, {
    signal: ctx.signal,
    cluster: deps.beat.beat.clusterOptions,
    ...(ctx.progress ? { progress: (done: number) => ctx.progress!(done, done) } : {}),
  });
  const summary = { event: 'recluster', ...r, duration_ms: Date.now() - started };
  deps.logger.info(summary);
  return summary;
}
