import type { Deps } from '../src/deps.js';
import { refreshAllPress } from '../src/services/press.js';
import type { JobContext } from './job.js';

/**
 * Recomputes every live story's two presses (story_press): after migration 016 (stories placed before it have
 * none until they change), after a change of the term scoring, or after many sources' countries were edited.
 */
export async function refreshPressJob(deps: Deps, ctx: JobContext) {
  const started = Date.now();
  const stories = await refreshAllPress(deps.db, { signal: ctx.signal });
  const summary = { event: 'refresh_press', stories, duration_ms: Date.now() - started };
  deps.logger.info(summary);
  return summary;
}
