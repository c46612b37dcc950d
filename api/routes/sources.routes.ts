import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../src/errors.js';
import { addCheckedSource, editSource, exportOpml, importOpml, listAllSources, makeSourcesDue, removeSource } from '../../src/services/sources.js';
import { requireAdmin } from '../admin-auth.js';
import { newRouter, type ApiContext } from '../context.js';
import { sourceDto } from '../dto.js';
import { ErrorSchema, IdParam, NewSourceBody, PatchSourceBody, SourceSchema, adminResponses, errorResponses, notFoundResponse } from '../schemas.js';

const MAX_OPML_BYTES = 1024 * 1024;
const security = [{ bearerAuth: [] }];
const json = <T extends z.ZodTypeAny>(schema: T) => ({ 'application/json': { schema } });

// A new source is fetched once before it is stored unless the client says `check: false` (body or query).
const CreateSourceBody = NewSourceBody.extend({
  check: z.boolean().optional().openapi({ description: 'Fetch and read the URL before storing it (default true)' }),
});
const CreateSourceQuery = z.object({ check: z.enum(['true', 'false']).optional() });
const SourceCheckError = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      suggestions: z.array(z.string()).openapi({ description: 'Feed URLs the page advertises (<link rel="alternate">)' }),
    }),
  })
  .openapi('SourceCheckError');

export function sourcesRoutes(ctx: ApiContext) {
  const { db, clock } = ctx.deps;
  const admin = requireAdmin(ctx.deps.config.adminToken);
  const opmlLimit = bodyLimit({
    maxSize: MAX_OPML_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', `OPML body over ${MAX_OPML_BYTES} bytes`);
    },
  });

  const list = createRoute({
    method: 'get',
    path: '/v1/sources',
    tags: ['Sources'],
    summary: 'Every source with its health',
    responses: { 200: { description: 'Sources', content: json(z.object({ data: z.array(SourceSchema) }).openapi('SourceList')) }, ...errorResponses },
  });
  const create = createRoute({
    method: 'post',
    path: '/v1/sources',
    tags: ['Sources (admin)'],
    summary: 'Add a feed (fetched and read once first, unless check is false)',
    security,
    middleware: [admin] as const,
    request: { query: CreateSourceQuery, body: { required: true, content: json(CreateSourceBody) } },
    responses: {
      201: { description: 'Added', content: json(SourceSchema) },
      409: { description: 'Already present', content: json(ErrorSchema) },
      422: {
        description: 'The URL is not a feed that can be read now (HTTP error, blocked address, HTML page: its advertised feeds as suggestions)',
        content: json(SourceCheckError),
      },
      ...errorResponses,
      ...adminResponses,
    },
  });
  const patch = createRoute({
    method: 'patch',
    path: '/v1/sources/{id}',
    tags: ['Sources (admin)'],
    summary: 'Rename, re-point, pause, resume or retire a source; set its country of publication',
    security,
    middleware: [admin] as const,
    request: { params: IdParam, body: { required: true, content: json(PatchSourceBody) } },
    responses: {
      200: { description: 'Updated', content: json(SourceSchema) },
      409: { description: 'Another source has that URL', content: json(ErrorSchema) },
      ...errorResponses,
      ...adminResponses,
      ...notFoundResponse,
    },
  });
  const remove = createRoute({
    method: 'delete',
    path: '/v1/sources/{id}',
    tags: ['Sources (admin)'],
    summary: 'Delete a source (its articles stay)',
    security,
    middleware: [admin] as const,
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted' }, ...errorResponses, ...adminResponses, ...notFoundResponse },
  });
  const importRoute = createRoute({
    method: 'post',
    path: '/v1/sources/import',
    tags: ['Sources (admin)'],
    summary: 'Import an OPML subscription list (body: the OPML document, ≤ 1 MiB)',
    security,
    middleware: [admin, opmlLimit] as const,
    request: { body: { required: true, content: { 'text/x-opml': { schema: z.string() }, 'application/xml': { schema: z.string() } } } },
    responses: {
      200: {
        description: 'Import report',
        content: json(z.object({ added: z.array(SourceSchema), skipped: z.number().int(), invalid: z.array(z.string()) })),
      },
      413: { description: 'Body too large', content: json(ErrorSchema) },
      ...errorResponses,
      ...adminResponses,
    },
  });
  const exportRoute = createRoute({
    method: 'get',
    path: '/v1/sources/export',
    tags: ['Sources (admin)'],
    summary: 'Export the source list as OPML',
    security,
    middleware: [admin] as const,
    responses: { 200: { description: 'OPML 2.0', content: { 'text/x-opml': { schema: z.string() } } }, ...adminResponses },
  });
  const refresh = createRoute({
    method: 'post',
    path: '/v1/refresh',
    tags: ['Sources (admin)'],
    summary: 'Make sources due now; the worker fetches them on its next tick',
    security,
    middleware: [admin] as const,
    request: { body: { required: false, content: json(z.object({ ids: z.array(z.number().int().positive()).max(10_000).optional() })) } },
    responses: { 202: { description: 'Accepted', content: json(z.object({ marked: z.number().int() })) }, ...errorResponses, ...adminResponses },
  });

  const app = newRouter();
  // The static path must win over /v1/sources/{id}: register it first.
  app.openapi(exportRoute, async (c) => {
    c.header('Content-Type', 'text/x-opml; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="frontera-sources.opml"');
    return c.body(await exportOpml(db, clock()), 200);
  });
  app.openapi(list, async (c) => c.json({ data: (await listAllSources(db)).map(sourceDto) }, 200));
  app.openapi(create, async (c) => {
    const b = c.req.valid('json');
    const check = b.check !== false && c.req.valid('query').check !== 'false' ? ctx.deps.config.fetch : null;
    const r = await addCheckedSource(db, b, check, clock());
    if (r.rejected) {
      const suggestions = (r.rejected.details?.['suggestions'] as string[] | undefined) ?? [];
      c.header('Cache-Control', 'no-store');
      return c.json({ error: { code: r.rejected.code, message: `Not added: ${r.rejected.message}`, suggestions } }, 422);
    }
    ctx.version.bump();
    c.header('Location', `${ctx.base}/v1/sources/${r.source.id}`);
    return c.json(sourceDto(r.source), 201);
  });
  app.openapi(patch, async (c) => {
    const s = await editSource(db, c.req.valid('param').id, c.req.valid('json'), clock());
    ctx.version.bump();
    return c.json(sourceDto(s), 200);
  });
  app.openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await removeSource(db, id))) throw new AppError('not_found', `No source ${id}`);
    ctx.version.bump();
    return c.body(null, 204);
  });
  app.openapi(importRoute, async (c) => {
    const text = await c.req.text();
    if (!text.trim()) throw new AppError('invalid_parameter', 'Invalid parameter "body": empty OPML document', { details: { parameter: 'body' } });
    let r: Awaited<ReturnType<typeof importOpml>>;
    try {
      r = await importOpml(db, text, clock());
    } catch (e) {
      // The OPML parser's parse_* errors describe the client's document: a 400 here.
      if (e instanceof AppError && !e.code.startsWith('parse_')) throw e;
      const why = e instanceof Error ? e.message : 'not an OPML document';
      throw new AppError('invalid_parameter', `Invalid parameter "body": ${why}`, { details: { parameter: 'body' }, cause: e });
    }
    ctx.version.bump();
    return c.json({ added: r.added.map(sourceDto), skipped: r.skipped, invalid: r.invalid }, 200);
  });
  app.openapi(refresh, async (c) => {
    // The body is optional: without a JSON body every active source is made due.
    const ids = (c.req.valid('json') as { ids?: number[] } | undefined)?.ids;
    const marked = await makeSourcesDue(db, clock(), ids);
    ctx.version.bump();
    return c.json({ marked }, 202);
  });
  return app;
}
