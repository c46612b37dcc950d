import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dbKind } from '../helpers/db.js';
import { exitCode, spawnTs } from '../helpers/spawn.js';
import { freePort } from '../helpers/net.js';

async function waitFor<T>(fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

// What a newcomer runs: `npm start` on a fresh data directory, no database server.
describe.runIf(dbKind === 'pglite')('npm start (scheduler + API on PGlite)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-start-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('migrates, seeds the default sources, serves the API, refuses a second process, and stops cleanly on SIGTERM', { timeout: 240_000 }, async () => {
    const port = await freePort();
    const env = { DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', PORT: String(port), FETCH_TIMEOUT_MS: '3000', LOG_LEVEL: 'info' };
    const app = spawnTs('jobs/main.ts', [], env);
    try {
      const health = await waitFor(async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? true : undefined), 60_000);
      expect(health).toBe(true);
      const sources = (await (await fetch(`http://127.0.0.1:${port}/v1/sources`)).json()) as { data: unknown[] };
      expect(sources.data.length).toBeGreaterThanOrEqual(30);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

      // The embedded database belongs to this process: a CLI command is told so instead of corrupting it.
      const cli = spawnTs('src/cli/main.ts', ['sources', 'list'], env);
      expect(await exitCode(cli)).toBe(1);
      expect(cli.output()).toMatch(/in use by process \d+/);
    } finally {
      app.kill('SIGTERM');
    }
    expect(await exitCode(app), app.output()).toBe(0);
    expect(app.output()).toContain('"event":"shutdown"');
    expect(app.output()).toContain('"event":"migrated"');
    expect(app.output()).toContain('"event":"sources_seeded"');
  });
});
