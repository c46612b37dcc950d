// The default sources go into an empty database only when `npm start` asks for them (jobs/main.ts passes
// seed: config.seedDefaultSources); the API alone, a one-off job and the CLI build their deps without it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDeps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { createTestDb, dbKind, emptyStore, type TestDb } from '../helpers/db.js';
import { testConfig } from '../helpers/deps.js';

async function sourceCount(t: TestDb): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM sources`.execute(t.db);
  return r.rows[0]!.n;
}

describe(`default sources are seeded only when asked (${dbKind})`, () => {
  let t: TestDb;
  const silent = createLogger('silent');
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    await emptyStore(t.db);
    await sql`DELETE FROM sources`.execute(t.db);
  });

  it('deps without seed (API, jobs, CLI) leave an empty database empty', async () => {
    const deps = await createDeps(testConfig(), { handle: t, migrate: false, logger: silent });
    await deps.readPool?.close();
    expect(await sourceCount(t)).toBe(0);
  });

  it('seed: true (npm start) fills an empty database once, and a second start adds nothing', async () => {
    const first = await createDeps(testConfig(), { handle: t, migrate: false, logger: silent, seed: true });
    await first.readPool?.close();
    const n = await sourceCount(t);
    expect(n).toBeGreaterThan(30);
    const second = await createDeps(testConfig(), { handle: t, migrate: false, logger: silent, seed: true });
    await second.readPool?.close();
    expect(await sourceCount(t)).toBe(n);
  });
});
