// What production runs: `npm run build`, then the compiled entry points (as `npm start`, the Docker image and
// docker-compose start them), from an install that holds dist/ and the runtime dependencies only: no tsx, no
// esbuild, no TypeScript. The reader thread must load compiled code there, and both processes stop cleanly.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.js';
import { addSources } from '../../src/services/sources.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { rss, startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { freePort } from '../helpers/net.js';
import { exitCode, repoRoot } from '../helpers/spawn.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-build-'));
const app = path.join(tmp, 'app');
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

/**
 * dist/ and package.json copied, and a node_modules holding every installed package but the dev dependencies
 * (links to the real ones): what `npm ci --omit=dev` gives the Docker image. Copied, not linked: Node resolves
 * a linked dist/ to its real path, whose node_modules has everything.
 */
function productionInstall(): void {
  fs.cpSync(path.join(repoRoot, 'dist'), path.join(app, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(app, 'package.json'));
  const dev = new Set(Object.keys(pkg.devDependencies));
  const from = path.join(repoRoot, 'node_modules');
  const to = path.join(app, 'node_modules');
  const link = (name: string) => {
    fs.mkdirSync(path.dirname(path.join(to, name)), { recursive: true });
    fs.symlinkSync(path.join(from, name), path.join(to, name));
  };
  for (const name of fs.readdirSync(from)) {
    if (name.startsWith('.')) continue;
    if (!name.startsWith('@')) {
      if (!dev.has(name)) link(name);
      continue;
    }
    for (const sub of fs.readdirSync(path.join(from, name))) if (!dev.has(`${name}/${sub}`)) link(`${name}/${sub}`);
  }
}

function start(entry: string, args: string[], env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: app,
    // NODE_OPTIONS could carry a loader of the test run's (tsx): the compiled code must do without.
    env: { ...process.env, NODE_OPTIONS: '', LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return Object.assign(child, { output: () => out });
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await Promise.resolve(check()).catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe(`npm run build, then the compiled API and worker (${dbKind})`, () => {
  let db: TestDb | undefined;
  let feeds: FeedServer;
  /** The database both processes use: this file's PostgreSQL database, or an embedded store in a temp DATA_DIR. */
  let dbEnv: Record<string, string>;

  beforeAll(async () => {
    // As `npm start` does (prestart): compile unless dist/ is already built from these sources.
    const built = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--if-stale'], { cwd: repoRoot, encoding: 'utf8' });
    expect(built.status, `${built.stdout}\n${built.stderr}`).toBe(0);
    productionInstall();
    feeds = await startFeedServer();
    if (dbKind === 'postgres') {
      db = await createTestDb({ migrate: false }); // the compiled processes migrate it
      dbEnv = { DATABASE_URL: db.url! };
    } else {
      dbEnv = { DATABASE_URL: '', DATA_DIR: path.join(tmp, 'data') };
    }
  }, 300_000);

  afterAll(async () => {
    await feeds?.close();
    await db?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('ships tsx and esbuild as dev dependencies only, and nothing of them is left in the install', () => {
    for (const name of ['tsx', 'esbuild', 'typescript']) {
      expect(pkg.dependencies, name).not.toHaveProperty(name);
      expect(pkg.devDependencies, name).toHaveProperty(name);
      expect(fs.existsSync(path.join(app, 'node_modules', name)), name).toBe(false);
    }
    expect(fs.existsSync(path.join(app, 'node_modules/hono'))).toBe(true);
  });

  it('compiled, the repository root is still the folder of package.json (../shared is found beside it)', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('./dist/src/shared-dir.js'); console.log(m.repoRoot)"], {
      cwd: app,
      env: { ...process.env, NODE_OPTIONS: '' },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.realpathSync(r.stdout.trim())).toBe(fs.realpathSync(app));
  });

  it('node dist/api/main.js serves /healthz, /readyz, pages and their assets, and stops on SIGTERM', { timeout: 180_000 }, async () => {
    const port = await freePort();
    const api = start('dist/api/main.js', [], { ...dbEnv, HOST: '127.0.0.1', PORT: String(port) });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${base}/healthz`)).status === 200, 120_000, () => `/healthz\n${api.output()}`);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      // Files read next to the compiled modules (import.meta.url): the rules behind the topics, the static assets.
      const topics = (await (await fetch(`${base}/v1/topics`)).json()) as { data: unknown[] };
      expect(topics.data.length).toBeGreaterThan(0);
      const home = await fetch(`${base}/`);
      expect(home.status).toBe(200);
      const css = /href="(\/static\/app\.css[^"]*)"/.exec(await home.text())?.[1];
      expect(css, 'the home page links its stylesheet').toBeTruthy();
      const sheet = await fetch(`${base}${css}`);
      expect(sheet.status).toBe(200);
      expect(sheet.headers.get('content-type')).toMatch(/text\/css/);
      expect((await sheet.text()).length).toBeGreaterThan(100);
      // The API reference: its own files beside the compiled module, the viewer's resolved from node_modules.
      const docs = await fetch(`${base}/docs`);
      expect(docs.status).toBe(200);
      const assets = [...(await docs.text()).matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1]!);
      expect(assets.length, 'the docs page loads its scripts and styles').toBeGreaterThan(0);
      for (const a of assets) expect((await fetch(`${base}${a}`)).status, a).toBe(200);
    } finally {
      api.kill('SIGTERM');
      await exitCode(api);
    }
    expect(api.exitCode, api.output()).toBe(0);
    expect(api.output()).toContain('"event":"shutdown"');
  });

  it('node dist/jobs/main.js --no-api reads feeds on a compiled reader thread, stores them, and stops on SIGTERM', { timeout: 180_000 }, async () => {
    const ready = { seen: false };
    const items = (feed: string) => [
      { guid: `${feed}-1`, title: 'Extraditan a Estados Unidos a 26 integrantes del Cártel de Sinaloa', link: `https://${feed}.example/1` },
      { guid: `${feed}-2`, title: 'Border officials seize fentanyl at the Nogales port of entry', link: `https://${feed}.example/2` },
    ];
    // Threads start with the first feed read (on the main thread meanwhile); the second feed answers once a
    // thread has loaded, so it is read there.
    feeds.route('/first.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('First wire', items('first'))));
    feeds.route('/second.xml', async (_req, res) => {
      await waitFor(() => ready.seen, 120_000, () => 'the reader thread').catch(() => {});
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Second wire', items('second')));
    });
    const h = db ?? (await openDb({ dataDir: dbEnv.DATA_DIR! }));
    try {
      // The API test migrated the store; a newcomer's `npm start` would seed the defaults (from the internet).
      const wires = ['first', 'second'].map((f) => ({ url: feeds.url(`/${f}.xml`), name: `${f} wire`, lang: 'en' }));
      await addSources(h.db, wires, new Date());
    } finally {
      if (!db) await h.close();
    }
    const worker = start('dist/jobs/main.js', ['--no-api'], {
      ...dbEnv,
      SEED_DEFAULT_SOURCES: 'false',
      ALLOW_PRIVATE_SOURCES: 'true',
      HOST_MIN_INTERVAL_MS: '0',
      READ_THREADS: '1',
    });
    try {
      await waitFor(() => /"event":"read_(thread_ready|pool_disabled)"/.test(worker.output()), 120_000, () => `the reader thread\n${worker.output()}`);
      expect(worker.output(), 'the compiled reader thread loads').not.toContain('read_pool_disabled');
      ready.seen = true;
      await waitFor(() => worker.output().includes('"event":"refresh_pass"'), 120_000, () => `a refresh pass\n${worker.output()}`);
    } finally {
      worker.kill('SIGTERM');
      await exitCode(worker);
    }
    expect(worker.exitCode, worker.output()).toBe(0);
    const out = worker.output();
    expect(out).not.toContain('read_pool_disabled');
    const pass = out.split('\n').find((l) => l.includes('"event":"refresh_pass"'));
    expect(JSON.parse(pass!)).toMatchObject({ sources: 2, ok: 2, failed: 0, items_new: 4 });
    expect(out).toContain('"event":"shutdown"');
  });
});
