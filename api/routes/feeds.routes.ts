import { z } from '@hono/zod-openapi';
import { exportOpml } from '../../src/services/sources.js';
import { buildTopicFeed } from '../../src/services/topic-feed.js';
import { renderAtom } from '../../src/render/atom.js';
import { renderJsonFeed } from '../../src/render/json-feed.js';
import { renderRss } from '../../src/render/rss.js';
import type { FeedFormat, TopicFeed } from '../../src/render/topic-feed-model.js';
import { newRouter, type ApiContext } from '../context.js';
import { validationError } from '../errors.js';
import { ErrorSchema } from '../schemas.js';

// Subscribable feeds: /feeds/<topic>.rss|.atom|.json (`all` = the whole beat), the blind spots of each press
// (/feeds/blindspot-us.* : what the US press did not cover; blindspot-mx.*) and /feeds/sources.opml.

export const FEED_MEDIA_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

const RENDER: Record<FeedFormat, (f: TopicFeed) => string> = { rss: renderRss, atom: renderAtom, json: renderJsonFeed };

const FeedQuery = z.object({
  items: z.enum(['stories', 'articles']).default('stories').openapi({ description: '`articles`: one item per article instead of one per story.' }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  lang: z.string().regex(/^[a-z]{2,3}$/, 'expected a 2–3 letter language code').optional(),
  source: z.coerce.number().int().positive().optional(),
  press: z.enum(['us', 'mx']).optional().openapi({ description: 'Stories only: those with coverage from this press (`us`, `mx`: outlets whose country of publication is US, MX).' }),
});

export function feedsRoutes(ctx: ApiContext) {
  const app = newRouter();
  const { db, topics, clock } = ctx.deps;

  app.get('/feeds/sources.opml', async (c) => {
    c.header('Content-Type', 'text/x-opml; charset=utf-8');
    return c.body(await exportOpml(db, clock()), 200);
  });

  app.get('/feeds/:file{[a-z0-9-]{1,64}\\.(?:rss|atom|json)}', async (c) => {
    const file = c.req.param('file');
    const dot = file.lastIndexOf('.');
    const slug = file.slice(0, dot);
    const format = file.slice(dot + 1) as FeedFormat;
    const parsed = FeedQuery.safeParse(c.req.query());
    if (!parsed.success) throw validationError(parsed.error, 'query');
    const q = parsed.data;
    const feed = await buildTopicFeed(db, topics, {
      slug,
      items: q.items,
      limit: q.limit,
      lang: q.lang,
      sourceId: q.source,
      press: q.press,
      baseUrl: ctx.base,
      now: clock(),
      selfQuery: new URL(c.req.url).search,
    });
    c.header('Content-Type', FEED_MEDIA_TYPES[format]);
    return c.body(RENDER[format](feed), 200);
  });

  for (const [format, media] of Object.entries(FEED_MEDIA_TYPES) as [FeedFormat, string][]) {
    app.openAPIRegistry.registerPath({
      method: 'get',
      path: `/feeds/{topic}.${format}`,
      tags: ['Feeds'],
      summary: `${{ rss: 'RSS 2.0', atom: 'Atom 1.0', json: 'JSON Feed 1.1' }[format]} feed of a topic (\`all\` = the whole beat)`,
      description:
        'One item per story (GUID `urn:frontera:story:<id>`, stable as the story gains coverage; its updated date moves), linking the first ' +
        'report, with every outlet’s article listed in the content' +
        (format === 'atom' ? ' and as `link rel="related"`' : format === 'json' ? ' and in the `_frontera` extension object' : '') +
        '. `?items=articles`: one item per article (`urn:frontera:article:<id>`). `?press=us|mx`: only stories with coverage from that press. ' +
        '`blindspot-us` / `blindspot-mx` as the topic: the blind spots of that press (stories it did not cover while at least two outlets of the other press did; see `/v1/blindspots`).',
      request: { params: z.object({ topic: z.string().openapi({ param: { name: 'topic', in: 'path' }, example: 'all' }) }), query: FeedQuery },
      responses: {
        200: { description: 'The feed', content: { [media.split(';')[0]!]: { schema: z.string() } } },
        304: { description: 'Not modified (If-None-Match)' },
        404: { description: 'Unknown topic', content: { 'application/json': { schema: ErrorSchema } } },
      },
    });
  }
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/feeds/sources.opml',
    tags: ['Feeds'],
    summary: 'The source list as OPML 2.0',
    responses: { 200: { description: 'OPML', content: { 'text/x-opml': { schema: z.string() } } } },
  });
  return app;
}
