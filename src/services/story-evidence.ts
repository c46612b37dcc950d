import type { Db } from '../../db/client.js';
import { listStoryEvidence } from '../../db/repositories/evidence.repository.js';
import type { StoryEvidence } from '../model/read-model.js';

const EVIDENCE_PER_STORY = 12;

/** The classification evidence of several stories in one query (reader pages: "matched because …"). */
export function explainStories(db: Db, storyIds: number[], perStory = EVIDENCE_PER_STORY): Promise<Map<number, StoryEvidence[]>> {
  return listStoryEvidence(db, storyIds, perStory);
}
