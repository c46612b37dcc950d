import { createRoute, z } from '@hono/zod-openapi';
import type { NewsletterIssueSummary } from '../../src/render/newsletter-model.js';
import { renderNewsletterRss } from '../../src/render/newsletter-rss.js';
import {
  NEWSLETTER_MEDIA_TYPES,
  getNewsletterIssue,
  listNewsletterIssues,
  listRecentNewsletterIssues,
  renderNewsletter,
  type NewsletterFormat,
} from '../../src/services/newsletter.js';
import { newRouter, type ApiContext } from '../context.js';
import { decodeKeyset, encodeKeyset } from '../cursor.js';
import { pageInfo } from '../dto.js';
import { validationError } from '../errors.js';
import { ErrorSchema, IdParam, PaginationQuery, errorResponses, listOf, notFoundResponse } from '../schemas.js';

// Stored newsletter issues: a paginated list, one issue as JSON (its model) or rendered, and an RSS
// feed of issues whose items carry the HTML issue — what RSS-to-email services (Mailchimp,
// Buttondown) send. Issues never change once stored, so an issue may be cached for long.

const periodKind = z.enum(['daily', 'weekly']);
const slug = z.string().regex(/^[a-z0-9-]{1,64}$/, 'expected a topic slug');

const NewsletterSummarySchema = z
  .object({
    id: z.number().int(),
    topic: z.string(),
    period: z.object({ kind: periodKind, start: z.string(), end: z.string() }),
    title: z.string(),
    eventCount: z.number().int(),
    articleCount: z.number().int(),
    generatedAt: z.string(),
    delivery: z.enum(['none', 'pending', 'sent', 'failed']).openapi({ description: '`none`: stored while no SMTP was configured (never sent).' }),
    deliveredAt: z.string().nullable(),
    links: z.object({ self: z.string(), html: z.string(), text: z.string(), md: z.string() }),
  })
  .openapi('NewsletterSummary');

const NewsletterSchema = NewsletterSummarySchema.extend({
  model: z.record(z.string(), z.unknown()).openapi({ description: 'The neutral newsletter model (schema `frontera.newsletter/1`) every rendering is made from.' }),
}).openapi('Newsletter');

const ListQuery = PaginationQuery.extend({
  topic: slug.optional().openapi({ description: 'Topic slug (`all` = issues of the whole beat).', example: 'all' }),
  period: periodKind.optional(),
});

const FormatQuery = z.object({
  format: z.enum(['json', 'html', 'text', 'md']).default('json').openapi({ description: '`html` (email-safe), `text` or `md` return that rendering.' }),
});

function summaryDto(base: string, n: NewsletterIssueSummary): z.infer<typeof NewsletterSummarySchema> {
  const self = `${base}/v1/newsletters/${n.id}`;
  return {
    id: n.id,
    topic: n.topic,
    period: { kind: n.periodKind, start: n.periodStart.toISOString(), end: n.periodEnd.toISOString() },
    title: n.title,
    eventCount: n.eventCount,
    articleCount: n.articleCount,
    generatedAt: n.generatedAt.toISOString(),
    delivery: n.delivery,
    deliveredAt: n.deliveredAt?.toISOString() ?? null,
    links: { self, html: `${self}?format=html`, text: `${self}?format=text`, md: `${self}?format=md` },
  };
}

const listRoute = createRoute({
  method: 'get',
  path: '/v1/newsletters',
  tags: ['Newsletters'],
  summary: 'Stored newsletter issues, newest period first',
  description: 'Keyset pagination: follow `page.next` until it is null. Filter by `topic` and `period` (daily, weekly).',
  request: { query: ListQuery },
  responses: {
    200: { description: 'One page of issues', content: { 'application/json': { schema: listOf(NewsletterSummarySchema, 'NewsletterPage') } } },
    ...errorResponses,
    ...notFoundResponse,
  },
});

const issueRoute = createRoute({
  method: 'get',
  path: '/v1/newsletters/{id}',
  tags: ['Newsletters'],
  summary: 'One issue: JSON with its model, or rendered as email-safe HTML, plain text or Markdown',
  request: { params: IdParam, query: FormatQuery },
  responses: {
    200: {
      description: 'The issue',
      content: {
        'application/json': { schema: NewsletterSchema },
        'text/html': { schema: z.string() },
        'text/plain': { schema: z.string() },
        'text/markdown': { schema: z.string() },
      },
    },
    ...errorResponses,
    ...notFoundResponse,
  },
});

const FeedQuery = z.object({ period: periodKind.optional(), limit: z.coerce.number().int().min(1).max(50).default(20) });

export function newslettersRoutes(ctx: ApiContext) {
  const { db, topics, clock } = ctx.deps;
  const app = newRouter()
    .openapi(listRoute, async (c) => {
      const q = c.req.valid('query');
      const page = await listNewsletterIssues(db, topics, { topic: q.topic, kind: q.period, after: decodeKeyset(q.cursor), limit: q.limit });
      const next = page.next ? encodeKeyset(page.next) : null;
      return c.json({ data: page.items.map((n) => summaryDto(ctx.base, n)), page: pageInfo(c.req.url, ctx.base, q.limit, next) }, 200);
    })
    .openapi(issueRoute, async (c) => {
      const { id } = c.req.valid('param');
      const { format } = c.req.valid('query');
      const issue = await getNewsletterIssue(db, id);
      // Stored issues are immutable.
      c.header('Cache-Control', 'public, max-age=3600');
      if (format === 'json') return c.json({ ...summaryDto(ctx.base, issue), model: issue.model as unknown as Record<string, unknown> }, 200);
      c.header('Content-Type', NEWSLETTER_MEDIA_TYPES[format as NewsletterFormat]);
      return c.body(renderNewsletter(issue.model, format as NewsletterFormat), 200);
    });

  app.get('/feeds/newsletters/:file{[a-z0-9-]{1,64}\\.rss}', async (c) => {
    const topic = c.req.param('file').slice(0, -'.rss'.length);
    const parsed = FeedQuery.safeParse(c.req.query());
    if (!parsed.success) throw validationError(parsed.error, 'query');
    const issues = await listRecentNewsletterIssues(db, topics, { topic, kind: parsed.data.period, limit: parsed.data.limit });
    const self = `${ctx.base}/feeds/newsletters/${topic}.rss${new URL(c.req.url).search}`;
    const body = renderNewsletterRss(issues, {
      title: `Frontera newsletter — ${topic === 'all' ? topics.beat.all.name : (topics.find((t) => t.slug === topic)?.name ?? topic)}`,
      description: topics.beat.newsletter.feedDescription,
      link: `${ctx.base}/v1/newsletters?topic=${topic}`,
      selfUrl: self,
      baseUrl: ctx.base,
      now: clock(),
    });
    c.header('Content-Type', 'application/rss+xml; charset=utf-8');
    return c.body(body, 200);
  });

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/feeds/newsletters/{topic}.rss',
    tags: ['Newsletters', 'Feeds'],
    summary: 'RSS 2.0 feed of stored issues of a topic (`all` = the whole beat)',
    description: 'One item per issue (GUID `urn:frontera:newsletter:<id>`); `content:encoded` is the email-safe HTML issue, for RSS-to-email services.',
    request: { params: z.object({ topic: z.string().openapi({ param: { name: 'topic', in: 'path' }, example: 'all' }) }), query: FeedQuery },
    responses: {
      200: { description: 'The feed', content: { 'application/rss+xml': { schema: z.string() } } },
      404: { description: 'Unknown topic', content: { 'application/json': { schema: ErrorSchema } } },
    },
  });
  return app;
}
