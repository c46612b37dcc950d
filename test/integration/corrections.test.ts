import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { createDataVersion } from '../../api/http-cache.js';
import { listBeatModels } from '../../db/repositories/beat-models.repository.js';
import { insertSources, markSourcesDue } from '../../db/repositories/sources.repository.js';
import { findDataVersion } from '../../db/repositories/stories.repository.js';
import { refreshFeedsJob } from '../../jobs/refresh-feeds.job.js';
import { retrainJob } from '../../jobs/retrain.job.js';
import { sha1, titleKey } from '../../src/beat/labels-corpus.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { beatTopics } from '../api/api-helpers.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { testConfig, TestClock } from '../helpers/deps.js';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.js';

// The editor's correction loop end to end, on the database of this run (PGlite, or PostgreSQL with
// DATABASE_URL): real feed items ingested from a local HTTP server → an off-beat article marked on the beat
// through the API → it and its story enter the topic's feeds → marked off → they leave → the export parses →
// retrain stores a model and reclassifies every article once, the correction still winning; a second retrain
// changes nothing; a worker process that was already running adopts the new model at its next pass.

const ADMIN_TOKEN = 'editor-token-0123456789abcdef';
const BASE = 'http://frontera.test';
const FIXTURE = fs.readFileSync(new URL('../fixtures/feeds/border-desk.rss', import.meta.url), 'utf8');
const LABEL_FIELDS = ['key', 'relevance', 'topics', 'lang', 'event', 'confidence', 'title_sha1', 'reason'];

describe(`editor corrections: mark → feeds → export → retrain → reclassify (${dbKind})`, () => {
  let t: TestDb;
  let srv: FeedServer;
  let deps: Deps;
  /** Another worker process on the same database, started before the retrain. */
  let other: Deps;
  let app: ReturnType<typeof createApp>;
  let feedXml = FIXTURE;
  const clock = new TestClock(new Date('2026-11-25T12:00:00Z'));
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const silent = createLogger('silent');
  // No shipped labels here (the test does not depend on ../shared): retrain learns from the corrections alone.
  const config = testConfig({ ADMIN_TOKEN, PUBLIC_BASE_URL: BASE, RATE_LIMIT_PER_MINUTE: '0', CORPUS_DIR: '/nonexistent/frontera/corpus', READ_THREADS: '1' });

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    srv.route('/border-desk.rss', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(feedXml));
    deps = await createDeps(config, { handle: t, migrate: false, seed: false, logger: silent, clock: clock.now });
    other = await createDeps(config, { handle: t, migrate: false, seed: false, logger: silent, clock: clock.now });
    // The data version is re-read on every request, as another API process would see the writes.
    app = createApp(deps, { version: createDataVersion(() => findDataVersion(t.db), 0) });
    await insertSources(t.db, [{ url: srv.url('/border-desk.rss'), name: 'Border Desk', lang: 'en' }], clock.now());
  });
  afterAll(async () => {
    await srv?.close();
    await deps?.readPool?.close();
    await other?.readPool?.close();
    await t?.close();
  });

  const request = async (method: string, path: string, body?: unknown) => {
    const r = await app.request(path, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    return { status: r.status, body: text && r.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text, headers: r.headers };
  };
  const article = (id: number) =>
    t.db.selectFrom('articles').select(['id', 'title', 'relevance', 'topics', 'evidence', 'rules_version', 'story_id']).where('id', '=', id).executeTakeFirstOrThrow();
  const story = (id: number) => t.db.selectFrom('stories').select(['id', 'relevance', 'topics']).where('id', '=', id).executeTakeFirstOrThrow();
  const feedJson = async (topic: string, items = '') => JSON.parse((await request('GET', `/feeds/${topic}.json${items}`)).body) as { items: { id: string }[] };
  const feedRss = async (topic: string) => (await request('GET', `/feeds/${topic}.rss`)).body as string;
  const refreshPass = async (d: Deps) => {
    clock.advanceMinutes(61);
    await markSourcesDue(t.db, clock.now());
    return refreshFeedsJob(d);
  };

  let target: { id: number; title: string };

  it('ingests the fixture feed; the rules leave some items off the beat', async () => {
    const r = await refreshPass(deps);
    expect(r).toMatchObject({ sources: 1, ok: 1, created: 5 });
    const rows = await t.db.selectFrom('articles').select(['id', 'title', 'relevance', 'rules_version']).orderBy('id').execute();
    expect(rows.every((a) => a.rules_version === deps.rulesVersion)).toBe(true);
    const off = rows.find((a) => a.relevance === 'off_beat');
    expect(off, 'an off-beat article in the fixture').toBeDefined();
    target = { id: off!.id, title: off!.title };
    expect((await article(target.id)).story_id).toBeNull(); // off-beat articles are never clustered
  });

  it('marking it on the beat applies at once: the article, its new story, the topic feeds (JSON and RSS)', async () => {
    const r = await request('PUT', `/v1/articles/${target.id}/label`, { relevance: 'on', topics: ['fentanyl-trafficking'], note: 'the editor says so' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.correction).toMatchObject({ articleId: target.id, relevance: 'on_beat', topics: ['fentanyl-trafficking'], note: 'the editor says so', correctedBy: 'api' });
    expect(r.body.article.canonicalUrl).toMatch(/^https:\/\/borderdesk\.example\/2026\/11\/[a-z-]+$/);
    expect(r.body.correction.key).toBe(`article:${r.body.article.canonicalUrl}`);
    expect(r.body.article).toMatchObject({ id: target.id, relevance: 'on_beat', topics: ['fentanyl-trafficking'] });
    expect(r.body.article.evidence[0]).toEqual({ rule: 'editor:correction', matched: 'on the beat — the editor says so', field: 'title', weight: 0 });

    const a = await article(target.id);
    expect(a.story_id).not.toBeNull();
    expect(await story(a.story_id!)).toMatchObject({ relevance: 'on_beat', topics: ['fentanyl-trafficking'] });

    const storyGuid = `urn:frontera:story:${a.story_id}`;
    expect((await feedJson('fentanyl-trafficking')).items.map((i) => i.id)).toContain(storyGuid);
    expect((await feedJson('all', '?items=articles')).items.map((i) => i.id)).toContain(`urn:frontera:article:${target.id}`);
    expect(await feedRss('fentanyl-trafficking')).toContain(`<guid isPermaLink="false">${storyGuid}</guid>`);
    // "Matched because" on the story page says why.
    const page = await app.request(`/stories/${a.story_id}`, { headers: { Accept: 'text/html' } });
    expect(await page.text()).toContain('Editor’s correction');
  });

  it('the correction survives an edited version of the item and a reclassification', async () => {
    feedXml = FIXTURE.replace(`<title>${target.title}</title>`, `<title>${target.title} (updated)</title>`);
    expect(feedXml).not.toBe(FIXTURE);
    const r = await refreshPass(deps);
    expect(r).toMatchObject({ updated: 1, created: 0 });
    const a = await article(target.id);
    expect(a.title).toBe(`${target.title} (updated)`);
    expect(a).toMatchObject({ relevance: 'on_beat', topics: ['fentanyl-trafficking'] });
    expect((a.evidence as { rule: string }[])[0]!.rule).toBe('editor:correction');
  });

  it('marking it off the beat takes it and its story out of the feeds', async () => {
    const { story_id } = await article(target.id);
    const r = await request('PUT', `/v1/articles/${target.id}/label`, { relevance: 'off_beat' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.article).toMatchObject({ relevance: 'off_beat', topics: [] });
    expect(await story(story_id!)).toMatchObject({ relevance: 'off_beat', topics: [] });
    const storyGuid = `urn:frontera:story:${story_id}`;
    expect((await feedJson('fentanyl-trafficking')).items.map((i) => i.id)).not.toContain(storyGuid);
    expect((await feedJson('all')).items.map((i) => i.id)).not.toContain(storyGuid);
    expect((await feedJson('all', '?items=articles')).items.map((i) => i.id)).not.toContain(`urn:frontera:article:${target.id}`);
    expect(await feedRss('all')).not.toContain(storyGuid);
  });

  it('exports the corrections as labels (JSONL, the shipped labels’ fields) and lists them', async () => {
    // A second correction, adjacent, so the export has more than one line.
    const others = await t.db.selectFrom('articles').select(['id']).where('id', '!=', target.id).orderBy('id').execute();
    expect((await request('PUT', `/v1/articles/${others[0]!.id}/label`, { relevance: 'adjacent', by: 'desk-editor' })).status).toBe(200);

    const r = await request('GET', '/v1/admin/corrections.jsonl');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (r.body as string).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(LABEL_FIELDS);
      expect(['en', 'es']).toContain(l.lang);
      expect(l.event).toBeNull();
      expect(l.confidence).toBe('high');
      expect(l.key).toMatch(/^article:https:\/\/borderdesk\.example\//);
      expect(l.topics.length > 0).toBe(l.relevance === 'on_beat');
    }
    const mine = lines.find((l) => l.relevance === 'off_beat')!;
    expect(mine).toMatchObject({ topics: [], reason: 'editor correction', title_sha1: sha1(titleKey(`${target.title} (updated)`)) });
    expect(lines.find((l) => l.relevance === 'adjacent')).toMatchObject({ reason: 'editor correction' });

    const list = await request('GET', '/v1/admin/corrections');
    expect(list.status).toBe(200);
    expect(list.body.data.map((c: { articleId: number }) => c.articleId)).toEqual([others[0]!.id, target.id].sort((x, y) => x - y));
    expect(list.body.data.find((c: { correctedBy: string }) => c.correctedBy === 'desk-editor')).toMatchObject({ relevance: 'adjacent', topics: [] });
  });

  it('retrain stores a model, reclassifies every article once with its stamp, the corrections still win; a rerun changes nothing', async () => {
    const before = deps.rulesVersion;
    const total = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM articles`.execute(t.db)).rows[0]!.n);
    const first = await retrainJob(deps, { signal: new AbortController().signal });
    expect(first).toMatchObject({ labels_file: null, shipped_examples: 0, corrections: 2, examples: 2, model: 'stored', reclassified: total });
    expect(first.note).toMatch(/trained on the corrections alone/);
    const models = await listBeatModels(t.db);
    expect(models).toHaveLength(1);
    const stamp = `${before}+m${models[0]!.version}`;
    expect(first.rules_version).toBe(stamp);
    // This process adopted the model at once.
    expect(deps.rulesVersion).toBe(stamp);

    const rows = await t.db.selectFrom('articles').select(['id', 'relevance', 'topics', 'rules_version', 'evidence']).orderBy('id').execute();
    expect(rows.every((a) => a.rules_version === stamp)).toBe(true);
    const corrected = rows.find((a) => a.id === target.id)!;
    expect(corrected).toMatchObject({ relevance: 'off_beat', topics: [] });
    expect((corrected.evidence as { rule: string }[])[0]!.rule).toBe('editor:correction');

    const second = await retrainJob(deps, { signal: new AbortController().signal });
    expect(second).toMatchObject({ model: 'unchanged', model_version: first.model_version, reclassified: 0 });
    expect(await listBeatModels(t.db)).toHaveLength(1);
  });

  it('a worker process started before the retrain adopts the model at its next pass, reader threads included', async () => {
    expect(other.rulesVersion).not.toBe(deps.rulesVersion);
    const oldPool = other.readPool;
    await refreshPass(other);
    expect(other.rulesVersion).toBe(deps.rulesVersion);
    expect(other.readPool).not.toBe(oldPool);
    // The new threads classify with the model: same stamp as the main thread.
    await other.readPool!.whenReady();
    const before = other.readPool!.counts.onThreads;
    const read = await other.readPool!.read(new TextEncoder().encode(FIXTURE), { contentType: 'application/rss+xml', feedUrl: srv.url('/border-desk.rss'), now: clock.now() });
    expect(other.readPool!.counts.onThreads - before).toBe(1);
    expect(read.classifications!.map((c) => c.rulesVersion)).toEqual(read.items.map(() => deps.rulesVersion));
    expect(other.readPool!.classifiesLike(other.classify)).toBe(true);
    // Nothing else to adopt: a further pass keeps the pool.
    const pool = other.readPool;
    await refreshPass(other);
    expect(other.readPool).toBe(pool);
  });

  it('removing a correction hands the article back to the classifier, at once', async () => {
    const r = await request('DELETE', `/v1/articles/${target.id}/label`);
    expect(r.status).toBe(200);
    expect(r.body.removed).toBe(true);
    const a = await article(target.id);
    expect((a.evidence as { rule: string }[]).some((e) => e.rule === 'editor:correction')).toBe(false);
    expect(a.rules_version).toBe(deps.rulesVersion);
    expect((await request('DELETE', `/v1/articles/${target.id}/label`)).body.removed).toBe(false);
    const lines = ((await request('GET', '/v1/admin/corrections.jsonl')).body as string).trimEnd().split('\n');
    expect(lines).toHaveLength(1);
  });
});

describe(`label routes reject bad requests (${dbKind})`, () => {
  let t: TestDb;
  let app: ReturnType<typeof createApp>;
  let noAdmin: ReturnType<typeof createApp>;
  let id: number;
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    t = await createTestDb();
    const base = { db: t.db, logger: createLogger('silent'), clock: () => new Date('2026-11-25T12:00:00Z'), topics: beatTopics() };
    app = createApp({ ...base, config: testConfig({ ADMIN_TOKEN, RATE_LIMIT_PER_MINUTE: '0' }) });
    noAdmin = createApp({ ...base, config: testConfig({ RATE_LIMIT_PER_MINUTE: '0' }) });
    const [src] = await insertSources(t.db, [{ url: 'https://desk.example/feed' }], new Date());
    const row = await t.db
      .insertInto('articles')
      .values({
        dedup_key: 'u:https://desk.example/1',
        url: 'https://desk.example/1',
        canonical_url: 'https://desk.example/1',
        title: 'City council approves new bike lanes',
        enclosures: '[]',
        entities: '[]',
        evidence: '[]',
        published_at: new Date(),
        first_seen_at: new Date(),
        updated_at: new Date(),
        content_hash: 'h1',
        first_source_id: src!.id,
        relevance: 'off_beat',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = row.id;
  });
  afterAll(async () => t?.close());

  const put = (a: typeof app, path: string, body: unknown, headers: Record<string, string> = auth) =>
    a.request(path, { method: 'PUT', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const error = async (r: Response) => ((await r.json()) as { error: { code: string; message: string; parameter?: string } }).error;

  it('401 without a valid token, 403 when admin is disabled', async () => {
    const none = await put(app, `/v1/articles/${id}/label`, { relevance: 'on' }, { 'content-type': 'application/json' });
    expect(none.status).toBe(401);
    expect((await error(none)).code).toBe('unauthorized');
    expect((await put(app, `/v1/articles/${id}/label`, { relevance: 'on' }, { ...auth, Authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await app.request(`/v1/articles/${id}/label`, { method: 'DELETE' })).status).toBe(401);
    expect((await app.request('/v1/admin/corrections.jsonl')).status).toBe(401);
    expect((await app.request('/v1/admin/corrections')).status).toBe(401);
    const off = await put(noAdmin, `/v1/articles/${id}/label`, { relevance: 'on' });
    expect(off.status).toBe(403);
    expect((await error(off)).code).toBe('forbidden');
  });

  it('400 with a JSON error naming the parameter', async () => {
    const bad = await put(app, `/v1/articles/${id}/label`, { relevance: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await error(bad)).toMatchObject({ code: 'invalid_parameter', parameter: 'relevance' });
    expect(await error(await put(app, `/v1/articles/${id}/label`, {}))).toMatchObject({ parameter: 'relevance' });
    const topic = await put(app, `/v1/articles/${id}/label`, { relevance: 'on', topics: ['no-such-topic'] });
    expect(topic.status).toBe(400);
    const topicError = await error(topic);
    expect(topicError).toMatchObject({ code: 'invalid_parameter', parameter: 'topics' });
    expect(topicError.message).toContain('no-such-topic');
    const offWithTopics = await put(app, `/v1/articles/${id}/label`, { relevance: 'off', topics: ['border-security'] });
    expect(await error(offWithTopics)).toMatchObject({ parameter: 'topics' });
    // On the beat with no topic given, none from the classifier and no story: say so.
    const noTopic = await put(app, `/v1/articles/${id}/label`, { relevance: 'on' });
    expect(noTopic.status).toBe(400);
    expect(await error(noTopic)).toMatchObject({ parameter: 'topics' });
    expect((await put(app, `/v1/articles/${id}/label`, '{"relevance":')).status).toBe(400);
    expect((await put(app, '/v1/articles/abc/label', { relevance: 'on' })).status).toBe(400);
    // Nothing was stored by any of them.
    expect(await t.db.selectFrom('beat_corrections').selectAll().execute()).toEqual([]);
  });

  it('404 for an unknown article', async () => {
    const r = await put(app, '/v1/articles/999999/label', { relevance: 'off' });
    expect(r.status).toBe(404);
    expect((await error(r)).code).toBe('not_found');
    expect((await app.request('/v1/articles/999999/label', { method: 'DELETE', headers: auth })).status).toBe(404);
  });

  it('the routes are in the OpenAPI document', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/v1/articles/{id}/label'] ?? {}).sort()).toEqual(['delete', 'put']);
    expect(doc.paths['/v1/admin/corrections']?.['get']).toBeDefined();
    expect(doc.paths['/v1/admin/corrections.jsonl']?.['get']).toBeDefined();
  });
});
