import type { Db } from '../../db/client.js';
import { lockClustering } from '../../db/repositories/clustering.repository.js';
import { listLiveStoryIds, refreshStoryPress } from '../../db/repositories/story-press.repository.js';

// Recomputing the two presses outside clustering (clustering itself calls refreshStoryPress in its own
// transaction). Each batch takes the clustering lock first, like every clustering transaction: a story being
// placed and recomputed here at once would otherwise race on story_press's primary key.

const BATCH = 500;

/** The press sides of these stories, recomputed in batches of one transaction each. */
export async function refreshPressOf(db: Db, storyIds: readonly number[]): Promise<void> {
  for (let i = 0; i < storyIds.length; i += BATCH) {
    await db.transaction().execute(async (trx) => {
      await lockClustering(trx);
      await refreshStoryPress(trx, storyIds.slice(i, i + BATCH));
    });
  }
}

/** Every live story's press sides (after migration 016, or a change of the scoring); returns how many stories. */
export async function refreshAllPress(db: Db, opts: { signal?: AbortSignal } = {}): Promise<number> {
  let after = 0;
  let n = 0;
  while (!opts.signal?.aborted) {
    const ids = await listLiveStoryIds(db, after, BATCH);
    if (ids.length === 0) break;
    await refreshPressOf(db, ids);
    n += ids.length;
    after = ids[ids.length - 1]!;
  }
  return n;
}
