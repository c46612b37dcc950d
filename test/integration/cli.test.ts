import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpml } from '../../src/opml/parse-opml.js';
import { dbKind } from '../helpers/db.js';
import { rss, startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { exitCode, spawnTs } from '../helpers/spawn.js';

// The CLI against the embedded database, as a newcomer would run it (PGlite in DATA_DIR).
describe.runIf(dbKind === 'pglite')('npm run cli (PGlite data dir)', () => {
  let dir: string;
  let srv: FeedServer;
  const env = () => ({ DATA_DIR: dir, DATABASE_URL: '', ALLOW_PRIVATE_SOURCES: 'true', SEED_DEFAULT_SOURCES: 'false', HOST_MIN_INTERVAL_MS: '0' });
  const cli = async (...args: string[]) => {
    const p = spawnTs('src/cli/main.ts', args, env());
    const code = await exitCode(p);
    return { code, out: p.output() };
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-cli-'));
    srv = await startFeedServer();
    srv.route('/feed.xml', (_q, res) =>
      void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(
        rss('Border Desk', [
          { guid: '1', title: 'Troops deployed to the border at El Paso', link: 'https://desk.example/1' },
          { guid: '2', title: 'Sheinbaum rechaza intervención militar de Estados Unidos', link: 'https://desk.example/2' },
        ]),
      ),
    );
  });
  afterAll(async () => {
    await srv?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds, lists, exports, imports, fetches and removes sources', { timeout: 240_000 }, async () => {
    const add = await cli('sources', 'add', srv.url('/feed.xml'), '--name', 'Border Desk', '--lang', 'en');
    expect(add.code, add.out).toBe(0);
    expect(add.out).toContain('added source 1');

    const opmlFile = path.join(dir, 'in.opml');
    fs.writeFileSync(
      opmlFile,
      `<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
        <outline text="Mexico"><outline type="rss" text="Milenio" xmlUrl="https://www.milenio.com/rss" language="es"/></outline>
        <outline type="rss" text="Dup" xmlUrl="${srv.url('/feed.xml')}"/>
        <outline type="rss" text="Bad" xmlUrl="ftp://nope"/>
      </body></opml>`,
    );
    const imp = await cli('sources', 'import', opmlFile);
    expect(imp.out).toContain('added 1, already present 1, skipped 1');

    const exp = await cli('sources', 'export');
    const feeds = await parseOpml(exp.out);
    expect(feeds.map((f) => f.url).sort()).toEqual([srv.url('/feed.xml'), 'https://www.milenio.com/rss'].sort());

    const fetch = await cli('fetch', '--source', '1');
    expect(fetch.code, fetch.out).toBe(0);
    expect(fetch.out).toContain('1 sources fetched, 2 new articles, 0 errors');

    const list = await cli('sources', 'list');
    expect(list.out).toMatch(/ok 200 .* items 2 +Border Desk/);

    const rm = await cli('sources', 'remove', '2');
    expect(rm.out).toContain('removed source 2');
    const bad = await cli('sources', 'frobnicate');
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('unknown command');
  });
});
