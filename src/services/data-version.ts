import type { Db } from '../../db/client.js';
import { findDataVersion } from '../../db/repositories/stories.repository.js';

/**
 * A string that changes whenever something a reader sees changes (stories, articles, sources, corrections): the
 * key of the API's response cache and ETags.
 */
export function readDataVersion(db: Db): Promise<string> {
  return findDataVersion(db);
}
