import type { Db } from '../../db/client.js';
import {
  findStoryOrMerge,
  listMergedStoryIds,
  listLinkedStories,
  listStoriesPage,
  listStoryArticles,
  listStoryRoundups,
  resolveStoryId,
} from '../../db/repositories/stories.repository.js';
import { ALL_TOPICS } from '../../db/repositories/topics.repository.js';
import { AppError } from '../errors.js';
import type { Keyset, Page, StoryDetail, StoryLinksAndRoundups, StoryWithArticles } from '../model/read-model.js';
import type { BeatTopics } from '../beat/beat.js';
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
  /** Only stories with coverage from this press. */
  press?: 'us' | 'mx' | undefined;
  /** Only the blind spots of this press: stories it did not cover that the other press did (src/services/press.ts). */
  blindspot?: 'us' | 'mx' | undefined;
}

/** A blind spot matters when the press that covered the story did so with at least this many outlets. */
export const BLINDSPOT_MIN_OUTLETS = 2;

export const ARTICLES_PER_STORY_IN_LISTS = 20;
const RELATED_STORIES = 10;
const ROUNDUPS_PER_STORY = 20;

/**
 * One page of a topic's on-beat stories, newest event first (eventAt), each with its articles and its two
 * presses (read in the stories' own query): two queries per page (stories, then the page's articles),
 * whatever the page size.
 */
export async function listTopicStories(
  db: Db,
  topics: BeatTopics,
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
    press: q.press ? (q.press.toUpperCase() as 'US' | 'MX') : undefined,
    blindspot: q.blindspot ? { missing: q.blindspot.toUpperCase() as 'US' | 'MX', minOutlets: BLINDSPOT_MIN_OUTLETS } : undefined,
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
  // A live story is one read; only a merged one follows its chain to the survivor.
  const found = await findStoryOrMerge(db, id);
  if (!found) throw new AppError('not_found', `No story ${id}`);
  if (found.mergedInto !== null) {
    const survivorId = await resolveStoryId(db, id);
    if (survivorId === null) throw new AppError('not_found', `No story ${id}`);
    if (survivorId !== id) return { kind: 'merged', survivorId };
  }
  const story = found.story;
  const [articles, mergedFrom, related, roundups] = await Promise.all([
    listStoryArticles(db, [id], 10_000),
    listMergedStoryIds(db, id),
    listLinkedStories(db, [id], RELATED_STORIES),
    listStoryRoundups(db, [id], ROUNDUPS_PER_STORY),
  ]);
  return {
    kind: 'story',
    story: { ...story, articles: articles.get(id) ?? [], mergedFrom, related: related.get(id) ?? [], roundups: roundups.get(id) ?? [] },
  };
}

/**
 * The storyline links and roundups of a page of stories: two queries for the whole page (the feeds'
 * related stories and related coverage), never one per story.
 */
export async function listLinksAndRoundups(db: Db, storyIds: number[], perStory = RELATED_STORIES): Promise<StoryLinksAndRoundups> {
  const [related, roundups] = await Promise.all([
    listLinkedStories(db, storyIds, perStory),
    listStoryRoundups(db, storyIds, ROUNDUPS_PER_STORY),
  ]);
  return { related, roundups };
}

/**
 * The blind spots of one press, newest event first: on-beat stories that press did not cover at all (no article
 * of an outlet published in its country) while the other press covered them with at least
 * BLINDSPOT_MIN_OUTLETS outlets. `side` names the press that missed the story.
 */
export async function listBlindspots(
  db: Db,
  topics: BeatTopics,
  side: 'us' | 'mx',
  q: Omit<StoryPageQuery, 'press' | 'blindspot'> & { topic?: string | undefined },
): Promise<Page<StoryWithArticles>> {
  return listTopicStories(db, topics, q.topic ?? ALL_TOPICS, { ...q, blindspot: side });
}
