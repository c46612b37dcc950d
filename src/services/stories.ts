import type { Db } from '../../db/client.js';
import {
  findStory,
  listMergedStoryIds,
  listRelatedStories,
  listStoriesPage,
  listStoryArticles,
  resolveStoryId,
} from '../../db/repositories/stories.repository.js';
import { ALL_TOPICS } from '../../db/repositories/topics.repository.js';
import { AppError } from '../errors.js';
import type { Keyset, Page, StoryDetail, StoryWithArticles } from '../model/read-model.js';
import type { TopicInfo } from './beat.js';
import { findTopic } from './topics.js';

export interface StoryPageQuery {
  since?: Date | undefined;
  until?: Date | undefined;
  lang?: string | undefined;
  sourceId?: number | undefined;
  after?: Keyset | undefined;
  limit: number;
  /** Articles listed per story (the related coverage); the story's articleCount has the total. */
  articlesPerStory?: number;
}

export const ARTICLES_PER_STORY_IN_LISTS = 20;
const RELATED_STORIES = 10;

/**
 * One page of a topic's on-beat stories, newest event first (eventAt), each with its articles:
 * two queries per page (stories, then the page's articles), whatever the page size.
 */
export async function listTopicStories(
  db: Db,
  topics: readonly TopicInfo[],
  slug: string,
  q: StoryPageQuery,
): Promise<Page<StoryWithArticles>> {
  const topic = findTopic(topics, slug);
  const page = await listStoriesPage(db, {
    topic: topic.slug === ALL_TOPICS ? null : topic.slug,
    relevance: 'on_beat',
    since: q.since,
    until: q.until,
    lang: q.lang,
    sourceId: q.sourceId,
    after: q.after,
    limit: q.limit,
  });
  const articles = await listStoryArticles(
    db,
    page.items.map((s) => s.id),
    q.articlesPerStory ?? ARTICLES_PER_STORY_IN_LISTS,
  );
  return { items: page.items.map((s) => ({ ...s, articles: articles.get(s.id) ?? [] })), next: page.next };
}

export type StoryLookup = { kind: 'story'; story: StoryDetail } | { kind: 'merged'; survivorId: number };

/**
 * A story with all its articles and related stories. A merged story's id does not return the old
 * story: the caller redirects to the survivor (which lists it in mergedFrom).
 */
export async function getStory(db: Db, id: number): Promise<StoryLookup> {
  const survivorId = await resolveStoryId(db, id);
  if (survivorId === null) throw new AppError('not_found', `No story ${id}`);
  if (survivorId !== id) return { kind: 'merged', survivorId };
  const story = await findStory(db, id);
  if (!story) throw new AppError('not_found', `No story ${id}`);
  const [articles, mergedFrom, related] = await Promise.all([
    listStoryArticles(db, [id], 10_000),
    listMergedStoryIds(db, id),
    listRelatedStories(db, story, RELATED_STORIES),
  ]);
  return { kind: 'story', story: { ...story, articles: articles.get(id) ?? [], mergedFrom, related } };
}
