import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSource, listSources } from '../../db/repositories/sources.repository.js';
import { checkSourcesJob } from '../../jobs/check-sources.job.js';
import { sourcesCheckCommand } from '../../src/cli/sources-check.command.js';
import type { Deps } from '../../src/deps.js';
import { addSources, loadDefaultSources } from '../../src/services/sources.js';
import { verifySources } from '../../src/services/source-checks.js';
import { getJson, makeApp } from '../api/api-helpers.js';
import { createTestDb, dbKind, emptyStore, type TestDb } from '../helpers/db.js';
import { testConfig } from '../helpers/deps.js';
import { rss, startFeedServer, type FeedServer } from '../helpers/feed-server.js';
import { exitCode, spawnTs } from '../helpers/spawn.js';

// Verifying sources against a real local server: a good feed, an HTML page that advertises its feed, a 404,
// and a feed whose newest item is 30 days old (up but dead: the job flags it stale; fresh again clears it).
describe(`sources check and the check-sources job (${dbKind})`, () => {
  let t: TestDb;
  let srv: FeedServer;
  const NOW = new Date('2026-12-07T12:00:00Z');
  const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toUTCString();
  let oldFeedAge = 30;
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
  const deps = () => ({ db: t.db, config: testConfig({ STALE_AFTER_DAYS: '14' }), logger, clock: () => NOW });
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestDb();
    srv = await startFeedServer();
    srv.route('/good.xml', (_q, res) =>
      void res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(
        rss('Good Desk', [
          { guid: 'g1', title: 'Cartel arrests in Sinaloa', pubDate: daysAgo(0.25) },
          { guid: 'g2', title: 'Fentanyl seizure at the border', pubDate: daysAgo(2) },
        ]),
      ),
    );
    srv.route('/page.html', (_q, res) =>
      void res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><html><head><title>Desk</title><link rel="alternate" type="application/rss+xml" href="/good.xml"></head><body>news</body></html>'),
    );
    srv.route('/old.xml', (_q, res) =>
      void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Old Desk', [{ guid: 'o1', title: 'Last word', pubDate: daysAgo(oldFeedAge) }])),
    );
    await emptyStore(t.db);
    const r = await addSources(
      t.db,
      ['/good.xml', '/page.html', '/missing.xml', '/old.xml'].map((p) => ({ url: srv.url(p), name: p.slice(1) })),
      NOW,
    );
    for (const s of r.added) ids[s.name!] = s.id;
  });
  afterAll(async () => {
    await srv?.close();
    await t?.close();
  });

  it('probes each source without storing items: ok, html with the advertised feed, failed 404, and stale', async () => {
    const results = await verifySources(deps());
    const by = (name: string) => results.find((r) => r.source.name === name)!.verification;
    expect(results).toHaveLength(4);
    expect(by('good.xml')).toMatchObject({ status: 'ok', httpStatus: 200, contentType: 'application/rss+xml; charset=utf-8', items: 2, newestItemAgeHours: 6 });
    expect(by('good.xml').durationMs).toBeGreaterThanOrEqual(0);
    expect(by('page.html')).toMatchObject({ status: 'html', httpStatus: 200, errorCode: 'parse_not_a_feed', suggestions: [srv.url('/good.xml')] });
    expect(by('missing.xml')).toMatchObject({ status: 'failed', httpStatus: 404, errorCode: 'fetch_http_error', items: null });
    expect(by('old.xml')).toMatchObject({ status: 'ok', items: 1, newestItemAgeHours: 30 * 24 });
    expect(results.find((r) => r.source.name === 'old.xml')!.becameStale).toBe(true);

    // Stored: the verification, and nothing of the refresh (no items, no fetch count, next check unchanged).
    const good = (await findSource(t.db, ids['good.xml']!))!;
    expect(good.lastVerified).toMatchObject({ at: NOW, status: 'ok', items: 2, httpStatus: 200 });
    expect(good).toMatchObject({ itemsStored: 0, fetchCount: 0, lastFetchedAt: null, staleSince: null });
    expect(good.nextCheckAt).toEqual(NOW);
    expect((await findSource(t.db, ids['page.html']!))!.lastVerified!.suggestions).toEqual([srv.url('/good.xml')]);
  });

  it('the weekly job flags a feed whose newest item is 30 days old, logs it, and a fresh feed clears the flag', async () => {
    lines.length = 0;
    const first = await checkSourcesJob(deps(), { signal: new AbortController().signal });
    expect(first).toMatchObject({ checked: 4, ok: 2, html: 1, failed: 1, stale: 1 });
    const old = (await findSource(t.db, ids['old.xml']!))!;
    // Flagged by the first probe (the previous test) and kept: stale since then, not since this run.
    expect(old.staleSince).toEqual(NOW);
    const logged = lines.map((l) => JSON.parse(l));
    const stale = logged.filter((l) => l.event === 'source_stale');
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ source_id: ids['old.xml'], newest_item_age_hours: 720 });
    expect(logged.filter((l) => l.event === 'source_check_failed').map((l) => l.source_id).sort()).toEqual([ids['page.html'], ids['missing.xml']].sort());
    expect(logged.at(-1)).toMatchObject({ event: 'check_sources_done', checked: 4, stale: 1, stale_after_days: 14 });
    expect((await findSource(t.db, ids['good.xml']!))!.staleSince).toBeNull();

    oldFeedAge = 1;
    lines.length = 0;
    const second = await checkSourcesJob(deps(), { signal: new AbortController().signal });
    expect(second).toMatchObject({ stale: 0, recovered: 1 });
    expect((await findSource(t.db, ids['old.xml']!))!.staleSince).toBeNull();
    expect(lines.map((l) => JSON.parse(l)).some((l) => l.event === 'source_fresh_again' && l.source_id === ids['old.xml'])).toBe(true);
    oldFeedAge = 30;
  });

  it('/v1/sources shows lastVerified, staleSince, country, standIn and note', async () => {
    await checkSourcesJob(deps(), { signal: new AbortController().signal });
    const app = makeApp(t);
    const r = await getJson(app, '/v1/sources');
    expect(r.status).toBe(200);
    const old = r.body.data.find((s: { id: number }) => s.id === ids['old.xml']);
    expect(old).toMatchObject({
      country: null,
      standIn: false,
      note: null,
      staleSince: NOW.toISOString(),
      lastVerified: { at: NOW.toISOString(), status: 'ok', httpStatus: 200, items: 1, newestItemAgeHours: 720, suggestions: [] },
    });
    const page = r.body.data.find((s: { id: number }) => s.id === ids['page.html']);
    expect(page.lastVerified).toMatchObject({ status: 'html', suggestions: [srv.url('/good.xml')] });
    const html = await app.request('/sources');
    const text = await html.text();
    expect(text).toContain('Last verified');
    expect(text).toMatch(/stale since/);
  });

  it('sources check prints each source, the suggestions of a page, and exits 1 when one failed', async () => {
    const out: string[] = [];
    const log = console.log;
    const err = console.error;
    console.log = (s: string) => void out.push(s);
    console.error = (s: string) => void out.push(s);
    const withDeps = <T,>(fn: (d: Deps) => Promise<T>) => fn(deps() as unknown as Deps);
    try {
      expect(await sourcesCheckCommand([String(ids['good.xml'])], withDeps)).toBe(0);
      const okLine = out.find((l) => l.includes(srv.url('/good.xml')))!;
      expect(okLine).toMatch(/ok\s+HTTP 200\s+application\/rss\+xml\s+2 items\s+newest 6\.0 h\s+\d+ ms/);
      out.length = 0;
      expect(await sourcesCheckCommand(['--all'], withDeps)).toBe(1);
      const text = out.join('\n');
      expect(text).toMatch(/html\s+HTTP 200\s+text\/html/);
      expect(text).toContain(`the page advertises a feed:\n          ${srv.url('/good.xml')}`);
      expect(text).toMatch(/failed\s+HTTP 404/);
      expect(text).toMatch(/old\.xml.*STALE/);
      expect(text).toContain('4 checked: 2 ok / 2 failed, 1 stale');
      expect(await sourcesCheckCommand([], withDeps)).toBe(2);
    } finally {
      console.log = log;
      console.error = err;
    }
  });

  it('seeding the default list stores country, note and stand_in', async () => {
    await emptyStore(t.db);
    await addSources(t.db, loadDefaultSources(), NOW);
    const all = await listSources(t.db);
    expect(all.length).toBe(loadDefaultSources().length);
    for (const s of all) expect([s.country, s.note]).not.toContain(null);
    const milenio = all.find((s) => s.url.includes('site:milenio.com'))!;
    expect(milenio).toMatchObject({ standIn: true, country: 'MX', lang: 'es' });
    expect(all.find((s) => s.url === 'https://www.dea.gov/press-releases/rss')).toMatchObject({ standIn: false, country: 'US' });
  });
});

describe.runIf(dbKind === 'pglite')('npm run cli -- sources check (a real process)', () => {
  let dir: string;
  let srv: FeedServer;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-check-'));
    srv = await startFeedServer();
    srv.route('/feed.xml', (_q, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Desk', [{ guid: '1', title: 'x', pubDate: new Date().toUTCString() }])));
  });
  afterAll(async () => {
    await srv?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('checks every source and exits 1 on a 404', { timeout: 120_000 }, async () => {
    const env = { DATA_DIR: dir, DATABASE_URL: '', ALLOW_PRIVATE_SOURCES: 'true', SEED_DEFAULT_SOURCES: 'false', HOST_MIN_INTERVAL_MS: '0', LOG_LEVEL: 'silent' };
    const run = async (...args: string[]) => {
      const p = spawnTs('src/cli/main.ts', args, env);
      return { code: await exitCode(p), out: p.output() };
    };
    expect((await run('sources', 'add', srv.url('/feed.xml'), '--no-check')).code).toBe(0);
    const ok = await run('sources', 'check', '--all');
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toMatch(/ok\s+HTTP 200\s+application\/rss\+xml\s+1 items/);
    expect((await run('sources', 'add', srv.url('/gone.xml'), '--no-check')).code).toBe(0);
    const bad = await run('sources', 'check', '--all');
    expect(bad.code, bad.out).toBe(1);
    expect(bad.out).toContain('2 checked: 1 ok / 1 failed');
  });
});

