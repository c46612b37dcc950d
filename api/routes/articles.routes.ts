import { createRoute } from '@hono/zod-openapi';
import { getArticle, listArticles } from '../../src/services/articles.js';
import { commonListFilter, newRouter, type ApiContext } from '../context.js';
import { decodeKeyset, encodeKeyset } from '../cursor.js';
import { articleDto, pageInfo } from '../dto.js';
import { ArticleFilterQuery, ArticleSchema, IdParam, errorResponses, listOf, notFoundResponse } from '../schemas.js';

const listRoute = createRoute({
  method: 'get',
  path: '/v1/articles',
  tags: ['Articles'],
  summary: 'Articles, newest published first',
  description: 'Keyset pagination as for stories. `since`/`until` filter on the publication time.',
  request: { query: ArticleFilterQuery },
  responses: {
    200: { description: 'One page of articles', content: { 'application/json': { schema: listOf(ArticleSchema, 'ArticlePage') } } },
    ...errorResponses,
  },
});

const oneRoute = createRoute({
  method: 'get',
  path: '/v1/articles/{id}',
  tags: ['Articles'],
  summary: 'One article with every source that carried it and why it matched the beat',
  request: { params: IdParam },
  responses: {
    200: { description: 'The article', content: { 'application/json': { schema: ArticleSchema } } },
    ...errorResponses,
    ...notFoundResponse,
  },
});

export function articlesRoutes(ctx: ApiContext) {
  const { db } = ctx.deps;
  return newRouter()
    .openapi(listRoute, async (c) => {
      const q = c.req.valid('query');
      const page = await listArticles(db, {
        topic: q.topic,
        relevance: q.relevance,
        ...commonListFilter(q),
        after: decodeKeyset(q.cursor),
      });
      const next = page.next ? encodeKeyset(page.next) : null;
      return c.json({ data: page.items.map((a) => articleDto(ctx.base, a)), page: pageInfo(c.req.url, ctx.base, q.limit, next) }, 200);
    })
    .openapi(oneRoute, async (c) => {
      const { id } = c.req.valid('param');
      return c.json(articleDto(ctx.base, await getArticle(db, id)), 200);
    });
}
