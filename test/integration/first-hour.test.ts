// Issue 20, a newcomer's first hour: the real entry points, spawned as a newcomer runs them.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.js';
import { migrateToLatest } from '../../db/migrator.js';
import { addSources } from '../../src/services/sources.js';
import { dbKind } from '../helpers/db.js';
import { startFeedServer } from '../helpers/feed-server.js';
import { freePort } from '../helpers/net.js';
import { exitCode, repoRoot, spawnTs } from '../helpers/spawn.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-first-hour-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;
const dataDir = () => path.join(tmp, `data-${++dirs}`);
/** The embedded database in a fresh directory, whatever this run's DATABASE_URL. */
const pglite = () => ({ DATABASE_URL: '', DATA_DIR: dataDir(), SEED_DEFAULT_SOURCES: 'false', READ_THREADS: '0' });

/** `npm run <script> -- args` in `cwd`, as a newcomer types it. */
function npm(script: string, args: string[], env: Record<string, string>, cwd = repoRoot): ChildProcess & { output: () => string } {
  const child = spawn('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return Object.assign(child, { output: () => out });
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await Promise.resolve(check()).catch(() => false))) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
const healthy = (port: number) => async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;

/** A start failure: exit 1, one line, no stack frames. */
function expectOneLineError(code: number | null, out: string, pattern: RegExp) {
  expect(code, out).toBe(1);
  expect(out).not.toMatch(/\n\s+at /);
  const lines = out.trim().split('\n');
  expect(lines, out).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
}

describe.runIf(dbKind === 'pglite')('Ctrl-C (signals; the PostgreSQL run adds nothing here)', () => {
  it('SIGINT to the `npm start` process alone stops it cleanly with exit 0', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const app = npm('start', [], { ...pglite(), PORT: String(port), LOG_FORMAT: 'json' });
    await waitFor(healthy(port), 45_000);
    const t0 = Date.now();
    app.kill('SIGINT'); // the npm process only, not its process group
    expect(await exitCode(app), app.output()).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(app.output()).toContain('"event":"shutdown"');
  });

  it('waits for in-flight work on the first SIGINT, and a second SIGINT exits at once, non-zero', { timeout: 60_000 }, async () => {
    const srv = await startFeedServer();
    srv.route('/slow.xml', () => {}); // never answers: a fetch stays in flight
    try {
      const env = { ...pglite(), ALLOW_PRIVATE_SOURCES: 'true', HOST_MIN_INTERVAL_MS: '0', FETCH_TIMEOUT_MS: '60000', LOG_FORMAT: 'json' };
      const h = await openDb({ dataDir: env.DATA_DIR });
      await migrateToLatest(h.db);
      await addSources(h.db, [{ url: srv.url('/slow.xml'), name: 'slow', lang: 'en' }], new Date());
      await h.close();
      const port = await freePort();
      const app = spawnTs('jobs/main.ts', [], { ...env, PORT: String(port) });
      await waitFor(() => (srv.hits.get('/slow.xml') ?? 0) > 0, 45_000);
      app.kill('SIGINT');
      await waitFor(() => app.output().includes('"event":"shutdown"'), 5_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(app.exitCode, 'still finishing the in-flight fetch').toBeNull();
      app.kill('SIGINT');
      expect(await exitCode(app), app.output()).toBe(130);
      expect(app.output()).toMatch(/SIGINT received again: exiting now/);
    } finally {
      await srv.close();
    }
  });
});

describe('configuration errors are one line, not a stack trace', () => {
  it('PORT=abc (npm start)', { timeout: 30_000 }, async () => {
    const p = spawnTs('jobs/main.ts', [], { ...pglite(), PORT: 'abc' });
    expectOneLineError(await exitCode(p), p.output(), /PORT: expected a whole number \(got "abc"\).*\.env\.example/);
  });

  it('LOG_LEVEL=loud (start:api)', { timeout: 30_000 }, async () => {
    const p = spawnTs('api/main.ts', [], { ...pglite(), LOG_LEVEL: 'loud' });
    expectOneLineError(await exitCode(p), p.output(), /LOG_LEVEL: .*"info".*\(got "loud"\)/);
  });

  it('a port already in use', { timeout: 60_000 }, async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const p = spawnTs('api/main.ts', [], { ...pglite(), PORT: String(port), LOG_LEVEL: 'warn' });
      expectOneLineError(await exitCode(p), p.output(), new RegExp(`127\\.0\\.0\\.1:${port}: the port is already in use.*PORT`));
    } finally {
      blocker.close();
    }
  });

  it.runIf(dbKind === 'postgres')('a database that does not exist (PostgreSQL run only)', { timeout: 30_000 }, async () => {
    const u = new URL(process.env.DATABASE_URL!);
    u.pathname = '/frontera_no_such_database';
    const p = spawnTs('jobs/main.ts', [], { DATABASE_URL: u.toString(), LOG_LEVEL: 'warn' });
    expectOneLineError(await exitCode(p), p.output(), /database "frontera_no_such_database" does not exist .*DATABASE_URL/);
  });
  it.skipIf(dbKind === 'postgres')('a database that does not exist: needs a PostgreSQL server, covered by the DATABASE_URL run', () => {});
});

describe('an unreachable database', () => {
  it('makes `npm run cli -- sources list` fail within seconds, naming host:port', { timeout: 30_000 }, async () => {
    const port = await freePort(); // nothing listens there
    const t0 = Date.now();
    const p = npm('cli', ['sources', 'list'], { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x`, LOG_LEVEL: 'error' });
    const code = await exitCode(p);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(code, p.output()).not.toBe(0);
    expect(p.output()).toContain(`cannot reach the database at 127.0.0.1:${port}: nothing answered`);
    expect(p.output()).not.toMatch(/\n\s+at /);
  });
});

describe('.env in the working directory', () => {
  it('is read, and the real environment wins over it', { timeout: 30_000 }, async () => {
    const cwd = fs.mkdtempSync(path.join(tmp, 'cwd-'));
    fs.writeFileSync(path.join(cwd, '.env'), '# from the file\nLOG_LEVEL=loud\nPORT=from-the-file\n');
    const tsx = pathToFileURL(path.join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href;
    const child = spawn(process.execPath, ['--import', tsx, path.join(repoRoot, 'api/main.ts')], {
      cwd,
      env: { ...process.env, ...pglite(), PORT: '4321', LOG_LEVEL: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    expectOneLineError(await exitCode(child), (await new Promise((r) => setTimeout(r, 50)), out), /LOG_LEVEL: .*\(got "loud"\)/);
    expect(out).not.toContain('PORT'); // the environment's PORT=4321 won over the file's
  });
});

describe('LOG_FORMAT', () => {
  const migrateLog = async (format: string) => {
    const p = spawnTs('jobs/run.ts', ['recluster'], { ...pglite(), LOG_FORMAT: format });
    expect(await exitCode(p), p.output()).toBe(0);
    return p.output().split('\n').filter((l) => l.includes('migrated'));
  };
  it('pretty prints readable lines, json prints JSON', { timeout: 60_000 }, async () => {
    const pretty = await migrateLog('pretty');
    expect(pretty).toHaveLength(1);
    expect(pretty[0]).toMatch(/INFO.*migrated/);
    expect(() => JSON.parse(pretty[0]!)).toThrow();
    const json = await migrateLog('json');
    expect(json).toHaveLength(1);
    expect(JSON.parse(json[0]!)).toMatchObject({ event: 'migrated', level: 30 });
  });
});
