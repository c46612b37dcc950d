import { createRoute } from '@hono/zod-openapi';
import { search } from '../../src/services/search.js';
import { commonListFilter, newRouter, type ApiContext } from '../context.js';
import { decodeSearchCursor, encodeSearchCursor } from '../cursor.js';
import { articleDto, pageInfo } from '../dto.js';
import { SearchHitSchema, SearchQuery, errorResponses, listOf } from '../schemas.js';

const searchRoute = createRoute({
  method: 'get',
  path: '/v1/search',
  tags: ['Search'],
  summary: 'Full-text search in English and Spanish, ranked, with highlighted snippets',
  description:
    'The query is accent-folded and parsed with `websearch_to_tsquery` in both the English and the Spanish configuration ' +
    '(OR-ed), so "culiacan" finds "Culiacán" and "detenido" finds "detenidos". The newest 500 matches are ranked by text relevance ' +
    '(for a word with more than 4,000 matches, those among the newest 2,500 searchable articles) ' +
    '— `ts_rank_cd`, title above summary — with a recency boost: a week newer counts twice as relevant. ' +
    'Snippets are HTML-escaped; the only markup is `<mark>`. Same filters as /v1/articles (on publication time). ' +
    'Searches the beat: on-beat, adjacent and unclassified articles. Off-beat articles are stored but not indexed ' +
    '(they become searchable when a reclassification puts them on the beat); list them with /v1/articles?relevance=off_beat.',
  request: { query: SearchQuery },
  responses: {
    200: { description: 'One page of hits', content: { 'application/json': { schema: listOf(SearchHitSchema, 'SearchPage') } } },
    ...errorResponses,
  },
});

export function searchRoutes(ctx: ApiContext) {
  return newRouter().openapi(searchRoute, async (c) => {
    const q = c.req.valid('query');
    const r = await search(ctx.deps.db, q.q, {
      topic: q.topic,
      relevance: q.relevance,
      ...commonListFilter(q),
      after: decodeSearchCursor(q.cursor),
    });
    const next = r.next ? encodeSearchCursor(r.next) : null;
    return c.json(
      {
        data: r.items.map((h) => ({ rank: h.rank, textRank: h.textRank, titleHtml: h.titleHtml, snippetHtml: h.snippetHtml, article: articleDto(ctx.base, h.article) })),
        page: pageInfo(c.req.url, ctx.base, q.limit, next),
      },
      200,
    );
  });
}
