import type { Db } from '../../db/client.js';
import { ALL_TOPICS, listTopicStats } from '../../db/repositories/topics.repository.js';
import { AppError } from '../errors.js';
import type { BeatTopics, TopicInfo } from '../beat/beat.js';

export interface TopicSummary extends TopicInfo {
  storyCount: number;
  lastUpdatedAt: Date | null;
}

/** The pseudo-topic for the whole beat, every on-beat story: named by the rules' `beat.all`. */
export function allTopic(topics: BeatTopics): TopicInfo {
  return { slug: ALL_TOPICS, name: topics.beat.all.name, description: topics.beat.all.description };
}

/** The topic for a slug (`all` included), or a not_found error. */
export function findTopic(topics: BeatTopics, slug: string): TopicInfo {
  if (slug === ALL_TOPICS) return allTopic(topics);
  const t = topics.find((x) => x.slug === slug);
  if (!t) throw new AppError('not_found', `No topic "${slug.slice(0, 100)}"`, { details: { parameter: 'topic' } });
  return t;
}

/** `all` first, then the rules file's topics in its order, each with its live on-beat story count. */
export async function listTopics(db: Db, topics: BeatTopics): Promise<TopicSummary[]> {
  const stats = new Map((await listTopicStats(db)).map((s) => [s.slug, s]));
  return [allTopic(topics), ...topics].map((t) => ({
    ...t,
    storyCount: stats.get(t.slug)?.storyCount ?? 0,
    lastUpdatedAt: stats.get(t.slug)?.lastUpdatedAt ?? null,
  }));
}
