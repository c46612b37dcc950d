import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../src/errors.js';
import { getArticle } from '../../src/services/articles.js';
import type { Beat } from '../../src/beat/beat.js';
import {
  correctionKey,
  exportCorrectionsJsonl,
  findCorrection,
  listCorrections,
  markArticle,
  parseRelevance,
  unmarkArticle,
  type CorrectedArticle,
} from '../../src/services/corrections.js';
import { LiveBeat } from '../../src/services/live-beat.js';
import { requireAdmin } from '../admin-auth.js';
import { newRouter, type ApiContext } from '../context.js';
import { articleDto } from '../dto.js';
import { ArticleSchema, CorrectionSchema, IdParam, LabelBody, adminResponses, errorResponses, notFoundResponse } from '../schemas.js';

// An editor's corrections of the beat classifier (admin): mark an article on the beat, adjacent or off it,
// remove the mark, list and export them (the labels' JSONL format). See src/services/corrections.ts.

const security = [{ bearerAuth: [] }];
const json = <T extends z.ZodTypeAny>(schema: T) => ({ 'application/json': { schema } });

export function correctionsRoutes(ctx: ApiContext) {
  const { db, clock, config } = ctx.deps;
  const admin = requireAdmin(config.adminToken);

  // The classifier a correction reclassifies with: the process's own (shared with its worker under `npm
  // start`), else one loaded on first use; synced with the active learned model before every correction.
  let own: Promise<LiveBeat> | null = null;
  const currentBeat = async (): Promise<Beat> => {
    const live =
      ctx.deps.beat ??
      (await (own ??= LiveBeat.load(db, config.beatRulesFile).catch((e: unknown) => {
        own = null;
        throw e;
      })));
    await live.sync(db);
    return live.beat;
  };

  const correctionDto = (a: CorrectedArticle): z.infer<typeof CorrectionSchema> => ({
    articleId: a.articleId,
    key: correctionKey(a),
    relevance: a.relevance,
    topics: a.topics,
    note: a.note,
    correctedBy: a.correctedBy,
    correctedAt: a.correctedAt.toISOString(),
    title: a.title,
    url: a.url,
    storyId: a.storyId,
    links: { article: `${ctx.base}/v1/articles/${a.articleId}`, story: a.storyId === null ? null : `${ctx.base}/v1/stories/${a.storyId}` },
  });

  const put = createRoute({
    method: 'put',
    path: '/v1/articles/{id}/label',
    tags: ['Corrections (admin)'],
    summary: 'Mark an article on the beat, adjacent or off the beat',
    description:
      'Stores the correction (re-marking replaces it) and applies it at once: the article takes the relevance and topics ' +
      '(its evidence gains an `editor:correction` entry), its story re-derives topics and relevance, an article newly on ' +
      'the beat or adjacent gets a story. The correction outlives every later reclassification, retraining and edit of the item.',
    security,
    middleware: [admin] as const,
    request: { params: IdParam, body: { required: true, content: json(LabelBody) } },
    responses: {
      200: { description: 'Corrected', content: json(z.object({ correction: CorrectionSchema, article: ArticleSchema }).openapi('LabelResult')) },
      ...errorResponses,
      ...adminResponses,
      ...notFoundResponse,
    },
  });
  const remove = createRoute({
    method: 'delete',
    path: '/v1/articles/{id}/label',
    tags: ['Corrections (admin)'],
    summary: "Remove an article's correction: the classifier decides again, at once",
    security,
    middleware: [admin] as const,
    request: { params: IdParam },
    responses: {
      200: {
        description: 'The article as classified now; `removed` is false when it had no correction',
        content: json(z.object({ removed: z.boolean(), article: ArticleSchema }).openapi('UnlabelResult')),
      },
      ...errorResponses,
      ...adminResponses,
      ...notFoundResponse,
    },
  });
  const list = createRoute({
    method: 'get',
    path: '/v1/admin/corrections',
    tags: ['Corrections (admin)'],
    summary: 'Every correction, article id order',
    security,
    middleware: [admin] as const,
    responses: { 200: { description: 'Corrections', content: json(z.object({ data: z.array(CorrectionSchema) }).openapi('CorrectionList')) }, ...adminResponses },
  });
  const exportRoute = {
    method: 'get' as const,
    path: '/v1/admin/corrections.jsonl',
    tags: ['Corrections (admin)'],
    summary: 'Every correction as labels (JSONL, the format of ../shared/labels)',
    description:
      'One object per line: key, relevance, topics, lang, event (null), confidence ("high"), title_sha1, reason (the note, or "editor correction").',
    security,
    responses: { 200: { description: 'JSON lines', content: { 'application/x-ndjson': { schema: z.string() } } }, ...adminResponses },
  };

  const app = newRouter();
  // Not JSON: declared in the document, served by a plain handler (registered before /v1/admin/corrections).
  app.openAPIRegistry.registerPath(exportRoute);
  app.get(exportRoute.path, admin, async (c) => {
    c.header('Content-Type', 'application/x-ndjson; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="frontera-corrections.jsonl"');
    return c.body(await exportCorrectionsJsonl(db), 200);
  });
  app.openapi(list, async (c) => c.json({ data: (await listCorrections(db)).map(correctionDto) }, 200));
  app.openapi(put, async (c) => {
    const { id } = c.req.valid('param');
    const b = c.req.valid('json');
    const relevance = parseRelevance(b.relevance);
    if (!relevance) throw new AppError('invalid_parameter', 'Invalid parameter "relevance"', { details: { parameter: 'relevance' } });
    await markArticle(db, await currentBeat(), id, relevance, { topics: b.topics, note: b.note ?? null, by: b.by ?? 'api' }, clock());
    ctx.version.bump();
    const corrected = await findCorrection(db, id);
    if (!corrected) throw new AppError('not_found', `No article ${id}`); // removed meanwhile
    return c.json({ correction: correctionDto(corrected), article: articleDto(ctx.base, await getArticle(db, id)) }, 200);
  });
  app.openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    const removed = await unmarkArticle(db, await currentBeat(), id, clock());
    ctx.version.bump();
    return c.json({ removed, article: articleDto(ctx.base, await getArticle(db, id)) }, 200);
  });
  return app;
}
