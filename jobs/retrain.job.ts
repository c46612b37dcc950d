import type { Deps } from '../src/deps.js';
import { retrainBeat } from '../src/services/retrain.js';
import { findSharedDir } from '../src/shared-dir.js';
import type { JobContext } from './job.js';

/**
 * Refits the learnable part of the beat from the shipped labels (CORPUS_DIR/.. or ../shared) and the editors'
 * corrections, makes it the active model and reclassifies every article with it. Idempotent: a rerun with
 * nothing new trains the same model and reclassifies nothing. Running workers adopt the model at their next
 * refresh pass; this process's own classifier follows at once.
 */
export async function retrainJob(deps: Deps, ctx: JobContext) {
  const started = Date.now();
  const r = await retrainBeat(deps.db, {
    rulesFile: deps.config.beatRulesFile,
    sharedDir: findSharedDir({ CORPUS_DIR: deps.config.corpusDir }),
    now: deps.clock,
    signal: ctx.signal,
    progress: ctx.progress,
  });
  await deps.syncBeat();
  const summary = { event: 'retrain', ...r, duration_ms: Date.now() - started };
  deps.logger.info(summary);
  return summary;
}
