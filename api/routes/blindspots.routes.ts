import { createRoute } from '@hono/zod-openapi';
import { listBlindspots } from '../../src/services/stories.js';
import { commonListFilter, newRouter, type ApiContext } from '../context.js';
import { decodeKeyset, encodeKeyset } from '../cursor.js';
import { pageInfo, storyDto } from '../dto.js';
import { BlindspotsQuery, StorySchema, errorResponses, listOf } from '../schemas.js';

const blindspotsRoute = createRoute({
  method: 'get',
  path: '/v1/blindspots',
  tags: ['Topics'],
  summary: 'Blind spots: on-beat stories one press did not cover',
  description:
    '`side` names the press that MISSED the story: `side=us` lists the stories that no outlet published in the US covered while at least ' +
    'two outlets published in MX did (`side=mx`: the reverse). Outlets count by their source\'s country of publication (given, or ' +
    'inferred from the feed\'s domain); sources of unknown country count for neither press. Newest event first, keyset pagination as ' +
    '`/v1/topics/{slug}/stories` (every story once). Feeds: `/feeds/blindspot-us.rss|atom|json` and `/feeds/blindspot-mx.*`.',
  request: { query: BlindspotsQuery },
  responses: {
    200: { description: 'One page of stories', content: { 'application/json': { schema: listOf(StorySchema, 'BlindspotPage') } } },
    ...errorResponses,
  },
});

export function blindspotsRoutes(ctx: ApiContext) {
  const { db, topics } = ctx.deps;
  return newRouter().openapi(blindspotsRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await listBlindspots(db, topics, q.side, { ...commonListFilter(q), after: decodeKeyset(q.cursor, 'e') });
    const next = page.next ? encodeKeyset(page.next, 'e') : null;
    return c.json({ data: page.items.map((s) => storyDto(ctx.base, s)), page: pageInfo(c.req.url, ctx.base, q.limit, next) }, 200);
  });
}
