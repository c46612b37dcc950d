// The real ingest path for integration tests: a loopback feed server, addSources, refreshDueSources with a
// test classifier, then the cluster scheduler settling every pending placement; the HTTP app over the same
// database. Registers its vitest hooks (a fresh database per file, emptied before each test).
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { sql } from 'kysely';
import { createLogger } from '../../src/logger.js';
import { ClusterScheduler } from '../../src/services/cluster-scheduler.js';
import { refreshDueSources, type Classify } from '../../src/services/refresh-feeds.js';
import { addSources } from '../../src/services/sources.js';
import { makeApp } from '../api/api-helpers.js';
import { createTestDb, emptyStore, type TestDb } from './db.js';
import { refreshDeps, testConfig, TestClock } from './deps.js';
import { rss, startFeedServer, type FeedServer, type TestItem } from './feed-server.js';

export interface IngestHarness {
  readonly t: TestDb;
  readonly srv: FeedServer;
  readonly clock: TestClock;
  readonly app: ReturnType<typeof makeApp>;
  /** Serves `items` at `path`, adds it as a source, fetches every due source, places the articles into stories. */
  ingest(path: string, items: TestItem[]): Promise<void>;
  /** The story of the article stored for `url`. */
  storyOf(url: string): Promise<number>;
}

export function useIngestHarness(opts: { classify: Classify; start: Date }): IngestHarness {
  let t: TestDb;
  let srv: FeedServer;
  let clock: TestClock;
  let app: ReturnType<typeof makeApp>;
  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    app = makeApp(t);
  });
  afterAll(async () => {
    await srv?.close();
    await t?.close();
  });
  beforeEach(async () => {
    await emptyStore(t.db);
    clock = new TestClock(new Date(opts.start));
  });
  return {
    get t() { return t; },
    get srv() { return srv; },
    get clock() { return clock; },
    get app() { return app; },
    async ingest(path, items) {
      srv.route(path, (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(path, items)));
      await addSources(t.db, [{ url: srv.url(path) }], clock.now());
      const out = await refreshDueSources(refreshDeps(t, clock, testConfig(), { classify: opts.classify }));
      expect(out.find((o) => o.url === srv.url(path))).toMatchObject({ outcome: 'ok', created: items.length });
      await new ClusterScheduler(t.db, clock.now, createLogger('silent')).settle();
    },
    async storyOf(url) {
      return Number((await sql<{ story_id: number }>`SELECT story_id FROM articles WHERE url = ${url}`.execute(t.db)).rows[0]!.story_id);
    },
  };
}
