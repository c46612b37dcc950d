// No secrets in logs: a worker run at LOG_LEVEL=debug with a password in DATABASE_URL and feeds that carry
// credentials (sent as an Authorization header, some failing, one redirecting) — the captured output and the
// stored error messages contain neither the passwords nor the Authorization header value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { insertSources } from '../../db/repositories/sources.repository.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { rss, startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { exitCode, spawnTs } from '../helpers/spawn.js';

const onPostgres = dbKind === 'postgres';
if (!onPostgres) console.warn('log-secrets skipped: the worker child process needs PostgreSQL (set DATABASE_URL)');

const DB_PASSWORD = 'Db-S3cret-9f8e7d';
const FEED_USER = 'reader';
const FEED_PASSWORD = 'Feed-P4ss-1a2b3c';
const BASIC = Buffer.from(`${FEED_USER}:${FEED_PASSWORD}`).toString('base64');

describe.runIf(onPostgres)('secrets never reach the logs', () => {
  let t: TestDb;
  let srv: FeedServer;
  let authSeen = 0;

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    srv.route('/private', (req, res) => {
      if (req.headers.authorization !== `Basic ${BASIC}`) return void res.writeHead(401, { 'www-authenticate': 'Basic realm="feeds"' }).end();
      authSeen++;
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Private', [{ guid: 'p1', title: 'Members only', link: 'https://private.example/1' }]));
    });
    srv.route('/private-broken', (_q, res) => void res.writeHead(500).end('boom'));
    srv.route('/private-unauthorized', (_q, res) => void res.writeHead(401).end());
    srv.route('/private-moved', (_q, res) => void res.writeHead(302, { location: '/private-broken' }).end());
    const withCreds = (path: string) => {
      const u = new URL(srv.url(path));
      u.username = FEED_USER;
      u.password = FEED_PASSWORD;
      return u.toString();
    };
    await insertSources(
      t.db,
      ['/private', '/private-broken', '/private-unauthorized', '/private-moved'].map((p) => ({ url: withCreds(p) })),
      new Date(Date.now() - 1000),
    );
  });
  afterAll(async () => {
    await srv?.close();
    await t?.close();
  });

  it('a debug-level worker run logs neither the DATABASE_URL password nor feed credentials', { timeout: 120_000 }, async () => {
    const dbUrl = new URL(t.url!);
    dbUrl.password = DB_PASSWORD; // the server trusts local connections, so any password connects
    const w = spawnTs('jobs/run.ts', ['refresh-feeds'], {
      DATABASE_URL: dbUrl.toString(),
      ALLOW_PRIVATE_SOURCES: 'true',
      HOST_MIN_INTERVAL_MS: '0',
      SEED_DEFAULT_SOURCES: 'false',
      LOG_LEVEL: 'debug',
    });
    expect(await exitCode(w), w.output().slice(-2000)).toBe(0);
    const out = w.output();
    expect(out).toContain('"feed_failed"'); // the failure paths, which log URLs and messages, did run
    expect(authSeen).toBe(1); // the credentials did work, as a header
    for (const secret of [DB_PASSWORD, FEED_PASSWORD, BASIC, encodeURIComponent(FEED_PASSWORD)]) expect(out).not.toContain(secret);
    expect(out).not.toMatch(/authorization|Basic [A-Za-z0-9+/=]{8,}/i);

    const stored = await sql<{ m: string | null }>`SELECT string_agg(coalesce(last_error_message, ''), ' ') AS m FROM sources`.execute(t.db);
    expect(stored.rows[0]!.m ?? '').not.toContain(FEED_PASSWORD);
    expect(stored.rows[0]!.m ?? '').not.toContain(BASIC);
  });
});
