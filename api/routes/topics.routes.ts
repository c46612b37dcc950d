import { createRoute, z } from '@hono/zod-openapi';
import { listTopics } from '../../src/services/topics.js';
import { listTopicStories } from '../../src/services/stories.js';
import { commonListFilter, newRouter, type ApiContext } from '../context.js';
import { decodeKeyset, encodeKeyset } from '../cursor.js';
import { pageInfo, storyDto, topicDto } from '../dto.js';
import { TopicStoriesQuery, SlugParam, StorySchema, TopicSchema, errorResponses, listOf, notFoundResponse } from '../schemas.js';

const listTopicsRoute = createRoute({
  method: 'get',
  path: '/v1/topics',
  tags: ['Topics'],
  summary: 'Every topic of the beat with its story count and last update, plus the pseudo-topic `all`',
  responses: {
    200: { description: 'Topics', content: { 'application/json': { schema: z.object({ data: z.array(TopicSchema) }).openapi('TopicList') } } },
    ...errorResponses,
  },
});

const topicStoriesRoute = createRoute({
  method: 'get',
  path: '/v1/topics/{slug}/stories',
  tags: ['Topics'],
  summary: "A topic's on-beat stories, newest event first, each with its related coverage",
  description:
    'Ordered by `eventAt` (when the event was first reported: the earliest publication date of its articles, never later than when it was first seen), newest first; later coverage moves `lastUpdatedAt`, not the order. ' +
    'Keyset pagination: follow `page.next` (or pass `page.nextCursor` as `cursor`) until it is null; every story appears exactly once. ' +
    '`since`/`until` filter on the last activity; `lang` keeps stories with coverage in that language; `source` keeps stories carried by that source; ' +
    '`press=us|mx` keeps stories with coverage from that press (outlets by country of publication), paged the same way.',
  request: { params: SlugParam, query: TopicStoriesQuery },
  responses: {
    200: { description: 'One page of stories', content: { 'application/json': { schema: listOf(StorySchema, 'StoryPage') } } },
    ...errorResponses,
    ...notFoundResponse,
  },
});

export function topicsRoutes(ctx: ApiContext) {
  const { db, topics } = ctx.deps;
  return newRouter()
    .openapi(listTopicsRoute, async (c) => {
      const list = await listTopics(db, topics);
      return c.json({ data: list.map((t) => topicDto(ctx.base, t)) }, 200);
    })
    .openapi(topicStoriesRoute, async (c) => {
      const { slug } = c.req.valid('param');
      const q = c.req.valid('query');
      const page = await listTopicStories(db, topics, slug, {
        ...commonListFilter(q),
        press: q.press,
        after: decodeKeyset(q.cursor, 'e'),
      });
      const next = page.next ? encodeKeyset(page.next, 'e') : null;
      return c.json({ data: page.items.map((s) => storyDto(ctx.base, s)), page: pageInfo(c.req.url, ctx.base, q.limit, next) }, 200);
    });
}
