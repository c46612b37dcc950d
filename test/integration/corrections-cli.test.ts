import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../db/client.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { repoRoot } from '../helpers/spawn.js';

// The correction loop from the command line, as an editor runs it: `npm run cli -- label …`, `labels export`
// and `npm run job -- retrain` in real child processes, against the embedded database in a DATA_DIR (PGlite)
// or the PostgreSQL of DATABASE_URL. Between commands the test reads the database itself (PGlite: opening
// the data directory once the command has exited and released its lock).

const FIXTURE = fs.readFileSync(new URL('../fixtures/feeds/border-desk.rss', import.meta.url), 'utf8');

function npm(script: 'cli' | 'job', args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; stdout: string }> {
  const child = spawn('npm', ['run', '--silent', script, '--', ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stdout = '';
  child.stdout.on('data', (d) => ((out += d), (stdout += d)));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, stdout })));
}

describe(`npm run cli -- label / labels export and npm run job -- retrain (${dbKind})`, () => {
  let srv: FeedServer;
  let dir: string;
  let t: TestDb | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-label-cli-'));
    srv = await startFeedServer();
    srv.route('/border-desk.rss', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FIXTURE));
    const common = {
      ALLOW_PRIVATE_SOURCES: 'true',
      SEED_DEFAULT_SOURCES: 'false',
      HOST_MIN_INTERVAL_MS: '0',
      READ_THREADS: '0',
      LOG_LEVEL: 'warn',
      CORPUS_DIR: path.join(dir, 'no-corpus'),
    };
    if (dbKind === 'postgres') {
      t = await createTestDb();
      env = { ...common, DATABASE_URL: t.url! };
    } else {
      env = { ...common, DATABASE_URL: '', DATA_DIR: path.join(dir, 'data') };
    }
  });
  afterAll(async () => {
    await srv?.close();
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Reads the database between commands (PGlite: only one process may hold the data directory). */
  async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (t) return fn(t.db);
    const h = await openDb({ dataDir: env.DATA_DIR! });
    try {
      return await fn(h.db);
    } finally {
      await h.close();
    }
  }
  const cli = (...args: string[]) => npm('cli', args, env);

  it('labels an article on, off, exports, retrains twice, clears; refuses bad input', { timeout: 300_000 }, async () => {
    expect((await cli('sources', 'add', srv.url('/border-desk.rss'), '--name', 'Border Desk')).code).toBe(0);
    const fetched = await cli('fetch');
    expect(fetched.out).toContain('1 sources fetched, 5 new articles, 0 errors');

    const off = await withDb((db) => db.selectFrom('articles').select(['id', 'title']).where('relevance', '=', 'off_beat').orderBy('id').executeTakeFirstOrThrow());

    const on = await cli('label', String(off.id), 'on', '--topics', 'border-security', '--note', 'a border story after all');
    expect(on.code, on.out).toBe(0);
    expect(on.out).toContain(`article ${off.id}: marked on_beat (border-security)`);
    const marked = await withDb(async (db) => {
      const a = await db.selectFrom('articles').select(['relevance', 'topics', 'story_id']).where('id', '=', off.id).executeTakeFirstOrThrow();
      const s = a.story_id === null ? null : await db.selectFrom('stories').select(['relevance', 'topics']).where('id', '=', a.story_id).executeTakeFirst();
      return { a, s };
    });
    expect(marked.a).toMatchObject({ relevance: 'on_beat', topics: ['border-security'] });
    expect(marked.s).toMatchObject({ relevance: 'on_beat', topics: ['border-security'] });

    expect((await cli('label', String(off.id), 'adjacent', '--note', 'local transport, near the beat')).out).toContain(`article ${off.id}: marked adjacent`);
    const file = path.join(dir, 'corrections.jsonl');
    const exported = await cli('labels', 'export', '--out', file);
    expect(exported.code, exported.out).toBe(0);
    expect(exported.out).toContain('1 corrections exported');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        key: expect.stringMatching(/^article:https:\/\/borderdesk\.example\/2026\/11\//),
        relevance: 'adjacent',
        topics: [],
        lang: 'en',
        event: null,
        confidence: 'high',
        title_sha1: expect.stringMatching(/^[0-9a-f]{40}$/),
        reason: 'local transport, near the beat',
      },
    ]);
    // The same lines on stdout, the count on stderr.
    expect((await cli('labels', 'export')).stdout).toBe(fs.readFileSync(file, 'utf8'));

    const first = await npm('job', ['retrain'], env);
    expect(first.code, first.out).toBe(0);
    const r1 = JSON.parse(first.stdout.trim().split('\n').pop()!);
    expect(r1).toMatchObject({ event: 'retrain', labels_file: null, corrections: 1, model: 'stored', reclassified: 5 });
    expect(r1.note).toContain('trained on the corrections alone');
    const second = await npm('job', ['retrain'], env);
    const r2 = JSON.parse(second.stdout.trim().split('\n').pop()!);
    expect(r2).toMatchObject({ model: 'unchanged', model_version: r1.model_version, reclassified: 0 });
    // A process started now classifies with the stored model: its reclassify finds nothing stale.
    const reclassify = await npm('job', ['reclassify'], env);
    expect(JSON.parse(reclassify.stdout.trim().split('\n').pop()!)).toMatchObject({ reclassified: 0, rulesVersion: r1.rules_version });
    const after = await withDb(async (db) => ({
      models: await db.selectFrom('beat_models').select(['version']).execute(),
      stamps: [...new Set((await db.selectFrom('articles').select('rules_version').execute()).map((a) => a.rules_version))],
      corrected: await db.selectFrom('articles').select(['relevance']).where('id', '=', off.id).executeTakeFirstOrThrow(),
    }));
    expect(after.models).toHaveLength(1);
    expect(after.stamps).toEqual([r1.rules_version]);
    expect(after.corrected.relevance).toBe('adjacent');

    const cleared = await cli('label', String(off.id), '--clear');
    expect(cleared.out).toContain(`article ${off.id}: correction removed`);
    expect((await cli('label', String(off.id), '--clear')).out).toContain(`article ${off.id} had no correction`);
    expect(await withDb((db) => db.selectFrom('beat_corrections').selectAll().execute())).toEqual([]);

    const badId = await cli('label', 'abc', 'on');
    expect(badId.code).toBe(2);
    expect(badId.out).toContain('label takes a numeric article id');
    expect((await cli('label', String(off.id), 'maybe')).code).toBe(2);
    const missing = await cli('label', '999999', 'off');
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('not_found: No article 999999');
    const badTopic = await cli('label', String(off.id), 'on', '--topics', 'nope');
    expect(badTopic.code).toBe(1);
    expect(badTopic.out).toContain('invalid_parameter');
  });
});
