import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newsletterJob } from '../../jobs/newsletter.job.js';
import { jobs } from '../../jobs/registry.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { parseDay, periodContaining } from '../../src/render/newsletter-period.js';
import { buildNewsletter, renderNewsletter } from '../../src/services/newsletter.js';
import { BASE, beatTopics, getJson, makeApp, walk } from '../api/api-helpers.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { testConfig } from '../helpers/deps.js';
import { NOW, WEEK_OF, seedNewsletter } from './fixture.js';
import { expectEmailSafe } from './helpers.js';

// The scheduled job (idempotent per topic × period kind × period start), SMTP delivery against a
// local server, and the API routes through app.request().

interface Received {
  from: string;
  to: string[];
  data: string;
}

function startSmtp(): Promise<{ server: SMTPServer; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      let data = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => (data += c));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data });
        cb();
      });
    },
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.server.address() as AddressInfo).port, received })));
}

describe(`newsletter job, delivery and API on ${dbKind}`, () => {
  let t: TestDb;
  let now = NOW;
  const signal = new AbortController().signal;
  const deps = (env: Record<string, string> = {}): Promise<Deps> =>
    createDeps(testConfig({ PUBLIC_BASE_URL: BASE, ...env }), { handle: t, migrate: false, seed: false, clock: () => now, logger: createLogger('silent') });
  const rows = async () =>
    (
      await sql<{ id: number; topic: string; period_kind: string; period_start: Date; delivery: string }>`
        SELECT id, topic, period_kind, period_start, delivery FROM newsletters ORDER BY id`.execute(t.db)
    ).rows.map((r) => `${r.id} ${r.topic} ${r.period_kind} ${r.period_start.toISOString().slice(0, 10)} ${r.delivery}`);

  beforeAll(async () => {
    t = await createTestDb();
    await seedNewsletter(t.db);
  });
  afterAll(async () => t?.close());

  it('is registered as a named job', () => {
    expect(jobs['newsletter']?.name).toBe('newsletter');
  });

  it('stores the last complete day and ISO week once per topic; a rerun is a no-op', async () => {
    const d = await deps({ NEWSLETTER_TOPICS: 'all,extradition-justice,arms-trafficking' });
    // Monday 30 Nov 11:00: the last complete day is Sunday 29 Nov (no events: nothing stored), the week is 48.
    const first = await newsletterJob(d, { signal });
    expect(first).toMatchObject({ created: 3, existing: 0, empty: 3, sent: 0 });
    expect(await rows()).toEqual(['1 all weekly 2026-11-23 none', '2 extradition-justice weekly 2026-11-23 none', '3 arms-trafficking weekly 2026-11-23 none']);
    const second = await newsletterJob(d, { signal });
    expect(second).toMatchObject({ created: 0, existing: 3, empty: 3 });
    // Two workers at once: the unique key lets exactly one insert win.
    await sql`DELETE FROM newsletters`.execute(t.db);
    const both = await Promise.all([newsletterJob(d, { signal }), newsletterJob(d, { signal })]);
    expect(both.reduce((n, r) => n + r.created, 0)).toBe(3);
    expect((await rows()).map((r) => r.split(' ').slice(1).join(' ')).sort()).toEqual([
      'all weekly 2026-11-23 none',
      'arms-trafficking weekly 2026-11-23 none',
      'extradition-justice weekly 2026-11-23 none',
    ]);
  });

  it('stores exactly the model the CLI would render for the same period', async () => {
    const stored = (await sql<{ model: unknown }>`SELECT model FROM newsletters WHERE topic = 'all'`.execute(t.db)).rows[0]!.model;
    const fresh = await buildNewsletter(t.db, beatTopics(), { slug: 'all', period: periodContaining('weekly', parseDay(WEEK_OF)), baseUrl: BASE, now });
    for (const f of ['html', 'text', 'md'] as const) expect(renderNewsletter(stored as never, f)).toBe(renderNewsletter(fresh, f));
  });

  it('sends new issues by SMTP (multipart text + HTML) once, and never without SMTP', async () => {
    const smtp = await startSmtp();
    try {
      now = new Date('2026-11-25T11:00:00Z'); // daily = 24 Nov (has events), weekly = week 47 (the CJNG sanctions)
      const d = await deps({
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        NEWSLETTER_FROM: 'Frontera <digest@frontera.test>',
        NEWSLETTER_TO: 'desk@frontera.test, editor@frontera.test',
      });
      const r = await newsletterJob(d, { signal });
      expect(r).toMatchObject({ created: 2, sent: 2, send_failed: 0 });
      expect(smtp.received).toHaveLength(2);
      const msg = smtp.received.find((m) => m.data.includes('Frontera daily brief'))!;
      expect(msg.from).toBe('digest@frontera.test');
      expect(msg.to).toEqual(['desk@frontera.test', 'editor@frontera.test']);
      expect(msg.data).toMatch(/Content-Type: multipart\/alternative/i);
      expect(msg.data).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
      expect(msg.data).toMatch(/Content-Type: text\/html; charset=utf-8/i);
      expect(msg.data).toMatch(/^Subject: /m);
      expect((await rows()).filter((x) => x.endsWith('sent'))).toHaveLength(2);
      // Rerun: nothing new stored, nothing sent again.
      expect(await newsletterJob(d, { signal })).toMatchObject({ created: 0, sent: 0 });
      expect(smtp.received).toHaveLength(2);
      // Without SMTP_URL, a new issue is stored as never-to-be-sent and no connection is made.
      await sql`DELETE FROM newsletters WHERE period_kind = 'daily'`.execute(t.db);
      expect(await newsletterJob(await deps(), { signal })).toMatchObject({ created: 1, sent: 0 });
      expect(smtp.received).toHaveLength(2);
      expect((await rows()).filter((x) => x.includes('daily'))).toEqual([expect.stringMatching(/ all daily 2026-11-24 none$/)]);
    } finally {
      await new Promise<void>((r) => smtp.server.close(() => r()));
      now = NOW;
    }
  });

  it('retries a failed delivery on later runs, then gives up', async () => {
    await sql`DELETE FROM newsletters WHERE period_kind = 'daily'`.execute(t.db);
    // A port nobody listens on.
    const d = await deps({ SMTP_URL: 'smtp://127.0.0.1:9', NEWSLETTER_FROM: 'a@frontera.test', NEWSLETTER_TO: 'b@frontera.test' });
    now = new Date('2026-11-25T11:00:00Z');
    try {
      const outcomes = [];
      for (let i = 0; i < 4; i++) outcomes.push(await newsletterJob(d, { signal }));
      expect(outcomes.map((o) => o.send_failed)).toEqual([1, 1, 1, 0]);
      const r = await sql<{ delivery: string; delivery_attempts: number; last_delivery_error: string }>`
        SELECT delivery, delivery_attempts, last_delivery_error FROM newsletters WHERE period_kind = 'daily'`.execute(t.db);
      expect(r.rows[0]).toMatchObject({ delivery: 'failed', delivery_attempts: 3 });
      expect(r.rows[0]!.last_delivery_error).toBeTruthy();
    } finally {
      now = NOW;
    }
  });

  describe('API', () => {
    const app = () => makeApp(t);

    it('lists issues newest period first, filtered and paginated', async () => {
      const all = await walk(app(), '/v1/newsletters?limit=1');
      expect(all.items.length).toBeGreaterThanOrEqual(4);
      const starts = all.items.map((n: any) => n.period.start);
      expect(starts).toEqual([...starts].sort().reverse());
      expect(new Set(all.items.map((n: any) => n.id)).size).toBe(all.items.length);
      const weekly = await getJson(app(), '/v1/newsletters?topic=all&period=weekly');
      expect(weekly.status).toBe(200);
      expect(weekly.body.data.map((n: any) => [n.topic, n.period.kind, n.period.start])).toEqual([
        ['all', 'weekly', '2026-11-23T00:00:00.000Z'],
        ['all', 'weekly', '2026-11-16T00:00:00.000Z'],
      ]);
      const n = weekly.body.data[0];
      expect(n.links.html).toBe(`${BASE}/v1/newsletters/${n.id}?format=html`);
      expect(n).toMatchObject({ title: 'Frontera weekly digest: All US–Mexico security news', eventCount: 37, articleCount: 79 });
      expect((await getJson(app(), '/v1/newsletters?topic=nope')).status).toBe(404);
      expect((await getJson(app(), '/v1/newsletters?period=monthly')).body.error.parameter).toBe('period');
    });

    it('serves one issue as JSON (with its model) or rendered with the right content type', async () => {
      const list = await getJson(app(), '/v1/newsletters?topic=all&period=weekly');
      const id = list.body.data[0].id;
      const json = await getJson(app(), `/v1/newsletters/${id}`);
      expect(json.status).toBe(200);
      expect(json.body.model.schema).toBe('frontera.newsletter/1');
      expect(json.body.model.figures.events).toBe(37);
      const types = { html: 'text/html; charset=utf-8', text: 'text/plain; charset=utf-8', md: 'text/markdown; charset=utf-8' };
      for (const [format, type] of Object.entries(types)) {
        const r = await app().request(`/v1/newsletters/${id}?format=${format}`);
        expect(r.status).toBe(200);
        expect(r.headers.get('content-type')).toBe(type);
        const body = await r.text();
        expect(body).toBe(renderNewsletter(json.body.model, format as 'html'));
        if (format === 'html') expectEmailSafe(body);
      }
      expect((await getJson(app(), `/v1/newsletters/${id}?format=pdf`)).status).toBe(400);
      expect((await getJson(app(), '/v1/newsletters/999999')).status).toBe(404);
    });

    it('publishes an RSS feed of issues whose items carry the HTML issue', async () => {
      const r = await app().request('/feeds/newsletters/all.rss');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
      const xml = await r.text();
      const items = xml.split('<item>').slice(1);
      expect(items.length).toBeGreaterThanOrEqual(3);
      expect(items[0]).toMatch(/<guid isPermaLink="false">urn:frontera:newsletter:\d+<\/guid>/);
      expect(items[0]).toContain('<content:encoded>&lt;table role=&quot;presentation&quot;');
      expect(xml).not.toMatch(/<script/i);
      expect(xml).toContain(`<atom:link href="${BASE}/feeds/newsletters/all.rss" rel="self"`);
      const weeklyOnly = await (await app().request('/feeds/newsletters/all.rss?period=weekly')).text();
      expect(weeklyOnly.split('<item>').length - 1).toBe(2);
      expect((await app().request('/feeds/newsletters/nope.rss')).status).toBe(404);
      // A topic without issues is an empty, valid feed.
      const empty = await (await app().request('/feeds/newsletters/border-security.rss')).text();
      expect(empty).toContain('<channel>');
      expect(empty).not.toContain('<item>');
    });

    it('the feed of issues is RSS 2.0 that python3-feedparser reads cleanly (the topic feeds’ builder)', async (ctx) => {
      const xml = await (await app().request('/feeds/newsletters/all.rss')).text();
      const dir = mkdtempSync(path.join(os.tmpdir(), 'frontera-newsletter-rss-'));
      try {
        const file = path.join(dir, 'all.rss');
        writeFileSync(file, xml);
        const script =
          'import json, sys, feedparser\nd = feedparser.parse(sys.argv[1])\n' +
          'print(json.dumps({"bozo": d.bozo, "e": str(d.get("bozo_exception", "")), "version": d.version, "ttl": d.feed.get("ttl"),' +
          ' "entries": [{"id": e.id, "link": e.link, "tags": [t.term for t in e.get("tags", [])], "html": e.content[0].value} for e in d.entries]}))';
        const run = promisify(execFile);
        try {
          await run('/usr/bin/python3', ['-c', 'import feedparser']);
        } catch {
          ctx.skip('python3-feedparser not installed (apt-get install -y python3-feedparser)');
          return;
        }
        const { stdout } = await run('/usr/bin/python3', ['-c', script, file]);
        const d = JSON.parse(stdout);
        expect(d.bozo, d.e).toBeFalsy();
        expect(d.version).toBe('rss20');
        expect(d.ttl).toBe('60');
        expect(d.entries.length).toBe(xml.split('<item>').length - 1);
        for (const e of d.entries) {
          expect(e.id).toMatch(/^urn:frontera:newsletter:\d+$/);
          expect(e.link).toBe(`${BASE}/v1/newsletters/${e.id.split(':').pop()}?format=html`);
          expect(['daily', 'weekly']).toContain(e.tags[0]);
          // feedparser sanitizes the HTML (role= goes); the tables and links stay.
          expect(e.html.startsWith('<table'), e.html.slice(0, 200)).toBe(true);
          expect(e.html).toContain(`href="${BASE}/stories/`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('serves a new or removed issue at once (the feed is not in the data-version response cache)', async () => {
      const a = app();
      const count = async () => (await (await a.request('/feeds/newsletters/all.rss')).text()).split('<item>').length - 1;
      const before = await count();
      await sql`DELETE FROM newsletters WHERE id = (SELECT max(id) FROM newsletters WHERE topic = 'all')`.execute(t.db);
      expect(await count()).toBe(before - 1);
    });

    it('documents the routes in the OpenAPI document', async () => {
      const doc = await getJson(app(), '/openapi.json');
      expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/newsletters', '/v1/newsletters/{id}', '/feeds/newsletters/{topic}.rss']));
    });
  });
});
