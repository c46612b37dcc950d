import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { createApp } from '../../api/app.js';
import { createDataVersion } from '../../api/http-cache.js';
import { findDataVersion } from '../../db/repositories/stories.repository.js';
import { createLogger } from '../../src/logger.js';
import { createBeat, type BeatTopics } from '../../src/beat/beat.js';
import type { TestDb } from '../helpers/db.js';
import { testConfig } from '../helpers/deps.js';
import { T0 } from './seed.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const BASE = 'http://frontera.test';

let topicsCache: BeatTopics | null = null;
export function beatTopics(): BeatTopics {
  return (topicsCache ??= createBeat().topics);
}

/** Counts every statement sent to the database (raw `sql` included): the N+1 guard. */
export class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

export function makeApp(t: TestDb, env: Record<string, string> = {}, counter?: QueryCounter) {
  const db = counter ? t.db.withPlugin(counter) : t.db;
  const config = testConfig({ PUBLIC_BASE_URL: BASE, RATE_LIMIT_PER_MINUTE: '0', ...env });
  // Version re-read on every request in tests, so a write is visible at once.
  return createApp(
    { db, config, logger: createLogger('silent'), clock: () => T0, topics: beatTopics() },
    { version: createDataVersion(() => findDataVersion(t.db), 0) },
  );
}

export async function getJson<T = any>(app: ReturnType<typeof makeApp>, path: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
  const r = await app.request(path, init);
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : null) as T, headers: r.headers };
}

/** Follows page.next until it is null; returns every item in order. */
export async function walk<T = any>(app: ReturnType<typeof makeApp>, first: string): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let next: string | null = first;
  let pages = 0;
  while (next) {
    const r: { status: number; body: any } = await getJson(app, next.replace(BASE, ''));
    if (r.status !== 200) throw new Error(`${next}: ${r.status} ${JSON.stringify(r.body)}`);
    items.push(...r.body.data);
    next = r.body.page.next;
    if (++pages > 200) throw new Error('pagination does not terminate');
  }
  return { items, pages };
}
