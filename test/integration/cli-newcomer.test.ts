import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { rss, startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { exitCode, spawnTs } from '../helpers/spawn.js';

// The CLI as a newcomer meets it (issue 20): help, due-only fetch with honest counts and exit codes, checked
// `sources add`, exact OPML import. Real child processes against a local feed server, on PGlite (a data
// directory) or on the PostgreSQL of DATABASE_URL (a fresh database per store).

/** A fresh store for the child processes: its environment, and how to drop it. */
async function freshStore(): Promise<{ env: Record<string, string>; close: () => Promise<void> }> {
  if (dbKind === 'postgres') {
    const t: TestDb = await createTestDb();
    // The migrations ran here; the child's own run finds nothing to do.
    return { env: { DATABASE_URL: t.url! }, close: () => t.close() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-cli-'));
  return { env: { DATA_DIR: dir, DATABASE_URL: '' }, close: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// No SEED_DEFAULT_SOURCES=false here: the CLI must not seed the default sources by itself.
const base = { ALLOW_PRIVATE_SOURCES: 'true', HOST_MIN_INTERVAL_MS: '0', FETCH_TIMEOUT_MS: '3000', READ_THREADS: '0' };

async function run(env: Record<string, string>, ...args: string[]) {
  const p = spawnTs('src/cli/main.ts', args, { ...base, ...env });
  const code = await exitCode(p);
  return { code, out: p.output() };
}

describe('npm run cli: help and unknown commands', () => {
  it('--help and -h print usage and exit 0; every command has --help; a typo names the nearest command', { timeout: 60_000 }, async () => {
    const [long, short, sub, group, typo, subTypo] = await Promise.all([
      run({}, '--help'),
      run({}, '-h'),
      run({}, 'fetch', '--help'),
      run({}, 'sources', 'add', '-h'),
      run({}, 'fecth'),
      run({}, 'sources', 'lsit'),
    ]);
    expect(long.code, long.out).toBe(0);
    expect(long.out).toContain('usage: npm run cli -- <command>');
    expect(short.code).toBe(0);
    expect(short.out).toBe(long.out);
    expect(sub.code).toBe(0);
    expect(sub.out).toContain('--all');
    expect(group.code).toBe(0);
    expect(group.out).toContain('--no-check');
    expect(typo.code).toBe(2);
    expect(typo.out).toContain('unknown command: fecth; did you mean `fetch`?');
    expect(subTypo.code).toBe(2);
    expect(subTypo.out).toContain('did you mean `sources list`?');
  });
});

describe(`npm run cli against a store (${dbKind})`, () => {
  let srv: FeedServer;
  beforeAll(async () => {
    srv = await startFeedServer();
    const feed = (title: string) => (_q: unknown, res: import('node:http').ServerResponse) =>
      void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(title, [{ guid: `${title}-1`, title: 'Troops deployed to the border at El Paso', link: `https://${title}.example/1` }]));
    srv.route('/good.xml', feed('good'));
    srv.route('/third.xml', feed('third'));
    srv.route('/page.html', (_q, res) =>
      void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>Desk</title><link rel="alternate" type="application/rss+xml" title="RSS" href="good.xml"></head><body>news</body></html>'),
    );
  });
  afterAll(async () => {
    await srv?.close();
  });

  // Separate stores and feed paths: the two run side by side.
  it.concurrent('sources add checks the URL; fetch refreshes only due sources, counts ok / failed and fails on a failure', { timeout: 120_000 }, async () => {
    const store = await freshStore();
    const cli = (...args: string[]) => run(store.env, ...args);
    try {
      const closed = 'http://127.0.0.1:9/feed.xml';
      // Refusals never open the store: they run side by side.
      const [page, missing, blocked, classifyDown, classifyBlocked] = await Promise.all([
        cli('sources', 'add', srv.url('/page.html')),
        cli('sources', 'add', srv.url('/missing')),
        run({ ...store.env, ALLOW_PRIVATE_SOURCES: 'false' }, 'sources', 'add', srv.url('/good.xml')),
        cli('classify', closed),
        run({ ...store.env, ALLOW_PRIVATE_SOURCES: 'false' }, 'classify', srv.url('/good.xml')),
      ]);
      expect(page.code, page.out).toBe(1);
      expect(page.out).toContain('not added: parse_not_a_feed');
      expect(page.out).toContain(`npm run cli -- sources add ${srv.url('/good.xml')}`);
      expect(missing.code).toBe(1);
      expect(missing.out).toContain('fetch_http_error: HTTP 404');
      expect(blocked.code).toBe(1);
      expect(blocked.out).toContain('fetch_blocked_address');
      expect(classifyDown.code, classifyDown.out).toBe(1);
      expect(classifyDown.out).toContain('fetch_network');
      expect(classifyBlocked.code).toBe(1);
      expect(classifyBlocked.out).toContain('fetch_blocked_address');

      const good = await cli('sources', 'add', srv.url('/good.xml'));
      expect(good.code, good.out).toBe(0);
      expect(good.out).toContain('checked: good, 1 items');
      expect(good.out).toContain('added source 1');
      const unchecked = await cli('sources', 'add', srv.url('/gone.xml'), '--no-check');
      expect(unchecked.code, unchecked.out).toBe(0);
      expect(unchecked.out).toContain('added source 2');
      expect(srv.hits.has('/gone.xml')).toBe(false);

      // Both are due: one ok, one 404.
      const first = await cli('fetch');
      expect(first.code, first.out).toBe(1);
      expect(first.out).toContain('refreshing due sources: 2 of 2 active are due');
      expect(first.out).toMatch(/fetch \[#+\] 2\/2 1 ok \/ 1 failed/);
      expect(first.out).toContain('source 2: fetch_http_error');
      expect(first.out.trimEnd().endsWith('1 ok / 1 failed')).toBe(true);
      expect(srv.hits.get('/good.xml')).toBe(2);

      // A new source is due; the others' next checks are later: only it is fetched.
      expect((await cli('sources', 'add', srv.url('/third.xml'))).code).toBe(0);
      const third = srv.hits.get('/third.xml');
      const second = await cli('fetch');
      expect(second.code, second.out).toBe(0);
      expect(second.out).toContain('refreshing due sources: 1 of 3 active are due');
      expect(second.out.trimEnd().endsWith('1 ok / 0 failed')).toBe(true);
      expect(srv.hits.get('/good.xml')).toBe(2);
      expect(srv.hits.get('/gone.xml')).toBe(1);
      expect(srv.hits.get('/third.xml')).toBe(third! + 1);

      const all = await cli('fetch', '--all');
      expect(all.code).toBe(1);
      expect(all.out).toContain('refreshing all 3 active sources (--all)');
      expect(all.out.trimEnd().endsWith('2 ok / 1 failed')).toBe(true);
      expect(srv.hits.get('/good.xml')).toBe(3);
    } finally {
      await store.close();
    }
  });

  it.concurrent('sources import into a fresh store adds exactly the file\'s feeds and reports each outcome', { timeout: 90_000 }, async () => {
    const store = await freshStore();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-opml-'));
    try {
      const file = path.join(dir, 'in.opml');
      fs.writeFileSync(
        file,
        `<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
          <outline text="Mexico"><outline type="rss" text="Milenio" xmlUrl="https://www.milenio.example/rss" language="es"/></outline>
          <outline type="rss" text="Desk" xmlUrl="${srv.url('/imported.xml')}"/>
          <outline type="rss" text="Desk again" xmlUrl="${srv.url('/imported.xml')}"/>
          <outline type="rss" text="Bad" xmlUrl="ftp://nope.example/feed"/>
        </body></opml>`,
      );
      const imp = await run(store.env, 'sources', 'import', file);
      expect(imp.code, imp.out).toBe(0);
      expect(imp.out).toContain('added 2, already present 0, skipped 2');
      expect(imp.out).toContain(`skipped ${srv.url('/imported.xml')}: repeated in the file`);
      expect(imp.out).toMatch(/skipped ftp:\/\/nope\.example\/feed: Only http and https/);

      const again = await run(store.env, 'sources', 'import', file);
      expect(again.out).toContain('added 0, already present 2, skipped 2');
      const list = await run(store.env, 'sources', 'list');
      expect(list.out).toContain('2 sources');
      expect(srv.hits.has('/imported.xml')).toBe(false);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
