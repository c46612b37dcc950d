import { createRoute } from '@hono/zod-openapi';
import { getStory } from '../../src/services/stories.js';
import { newRouter, type ApiContext } from '../context.js';
import { storyDetailDto } from '../dto.js';
import { IdParam, StoryDetailSchema, errorResponses, notFoundResponse } from '../schemas.js';

const storyRoute = createRoute({
  method: 'get',
  path: '/v1/stories/{id}',
  tags: ['Stories'],
  summary: 'One story with all its articles and related stories',
  description:
    'A story merged into another answers **301** with `Location` set to the survivor (merges are permanent; the survivor lists ' +
    'the merged ids in `mergedFrom`). Related stories: stories whose articles share at least two of this story’s most frequent ' +
    'entity ids within ±7 days (`reason: "entities"`), then stories sharing a topic in the same window (`reason: "topics"`), at most 10.',
  request: { params: IdParam },
  responses: {
    200: { description: 'The story', content: { 'application/json': { schema: StoryDetailSchema } } },
    301: { description: 'Merged story: see Location' },
    ...errorResponses,
    ...notFoundResponse,
  },
});

export function storiesRoutes(ctx: ApiContext) {
  return newRouter().openapi(storyRoute, async (c) => {
    const { id } = c.req.valid('param');
    const r = await getStory(ctx.deps.db, id);
    if (r.kind === 'merged') {
      c.header('Cache-Control', 'public, max-age=3600');
      return c.redirect(`${ctx.base}/v1/stories/${r.survivorId}`, 301);
    }
    return c.json(storyDetailDto(ctx.base, r.story), 200);
  });
}
