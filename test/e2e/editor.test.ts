import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from '../../api/server.js';
import { CONTENT_SECURITY_POLICY } from '../../api/pages/security-headers.js';
import { createLogger } from '../../src/logger.js';
import { beatTopics, makeApp } from '../api/api-helpers.js';
import { T0, seed, type Seeded } from '../api/seed.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { testConfig } from '../helpers/deps.js';
import { freePort } from '../helpers/net.js';

// The editor's controls on the reader pages: the sign-in page, story pages that load the editor script only
// for a browser signed in there (everyone else keeps script-free, shared-cacheable pages), and — in a real
// headless Chromium when present — labelling an article from its story page, with no console error.

const ADMIN_TOKEN = 'editor-token-0123456789abcdef';
const EDITOR_COOKIE = { Cookie: 'frontera_editor=1', Accept: 'text/html' };

describe(`editor pages (${dbKind})`, () => {
  let t: TestDb;
  let s: Seeded;
  let app: ReturnType<typeof makeApp>;
  beforeAll(async () => {
    t = await createTestDb();
    s = await seed(t.db);
    app = makeApp(t, { ADMIN_TOKEN });
  });
  afterAll(async () => t?.close());

  it('/editor: a sign-in form that loads the editor script under the same CSP, never cached', async () => {
    const r = await app.request('/editor', { headers: { Accept: 'text/html' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const html = await r.text();
    expect(html).toMatch(/<script src="\/static\/editor\.js\?v=[\w-]+" defer=""><\/script>/);
    expect(html).toContain('<form id="editor-signin"');
    // The token input has no name: a submission without script sends nothing.
    expect(html).toMatch(/<input id="editor-token" type="password"[^>]*>/);
    expect(html.match(/<input id="editor-token"[^>]*>/)![0]).not.toContain('name=');
    const js = await app.request(html.match(/src="(\/static\/editor\.js\?v=[\w-]+)"/)![1]!);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('a story page carries the script only for a signed-in editor, rendered for that browser alone', async () => {
    const path = `/stories/${s.stories['extradition']}`;
    const editor = await app.request(path, { headers: EDITOR_COOKIE });
    expect(editor.headers.get('cache-control')).toBe('private, no-store');
    expect(await editor.text()).toContain('/static/editor.js?v=');
    // The reader's page right after: no script, and the editor's version never went into the shared cache.
    const reader = await app.request(path, { headers: { Accept: 'text/html' } });
    expect(reader.headers.get('cache-control')).toBe('public, max-age=60');
    expect(reader.headers.get('vary')).toBe('Cookie');
    expect(await reader.text()).not.toMatch(/<script/i);
    const again = await app.request(path, { headers: { Accept: 'text/html' } });
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(await again.text()).not.toMatch(/<script/i);
    // Other pages never load it.
    expect(await (await app.request('/', { headers: EDITOR_COOKIE })).text()).not.toMatch(/<script/i);
  });
});

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);

describe.skipIf(!HAVE_CHROMIUM)(
  HAVE_CHROMIUM ? `editor controls in headless Chromium (${dbKind})` : `editor controls in headless Chromium — SKIPPED: ${CHROMIUM} is missing (apt-get install chromium)`,
  () => {
    let t: TestDb;
    let s: Seeded;
    let browser: Browser;
    let stop: () => Promise<void>;
    let base: string;

    beforeAll(async () => {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      [t, browser] = await Promise.all([
        createTestDb(),
        chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] }),
      ]);
      s = await seed(t.db);
      const config = testConfig({ HOST: '127.0.0.1', PORT: String(port), PUBLIC_BASE_URL: base, RATE_LIMIT_PER_MINUTE: '0', ADMIN_TOKEN });
      stop = await startApi({ db: t.db, config, logger: createLogger('silent'), clock: () => T0, topics: beatTopics() });
    });
    afterAll(async () => {
      await browser?.close();
      await stop?.();
      await t?.close();
    });

    const watch = (page: Page) => {
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
      });
      return problems;
    };
    const correction = (articleId: number) => t.db.selectFrom('beat_corrections').selectAll().where('article_id', '=', articleId).executeTakeFirst();

    it('signs in, labels an article off the beat from its story page, clears it, signs out', { timeout: 60_000 }, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const problems = watch(page);

      // Before signing in, a story page has no controls.
      const storyPath = `/stories/${s.stories['extradition']}`;
      await page.goto(`${base}${storyPath}`);
      expect(await page.locator('.editor-controls').count()).toBe(0);

      await page.goto(`${base}/editor`);
      await page.locator('#editor-status', { hasText: 'Not signed in.' }).waitFor();
      await page.fill('#editor-token', ADMIN_TOKEN);
      await page.click('#editor-signin button[type=submit]');
      await page.locator('#editor-status', { hasText: 'Signed in (0 corrections so far)' }).waitFor();

      await page.goto(`${base}${storyPath}`);
      const first = page.locator('li.timeline-item').first();
      const articleId = Number(await first.getAttribute('data-article-id'));
      await first.locator('.editor-status', { hasText: 'as classified' }).waitFor();
      expect(await first.locator('.editor-controls button[data-relevance]').allInnerTexts()).toEqual(['On the beat', 'Adjacent', 'Off the beat']);
      expect(await first.locator('button[data-relevance=on_beat]').getAttribute('aria-pressed')).toBe('true');
      // The topic choice lists the beat's topics.
      await expect.poll(() => first.locator('select option').count()).toBe(beatTopics().length + 1); // "automatic" + every topic
      fs.mkdirSync('test/out/screenshots', { recursive: true });
      await page.screenshot({ path: 'test/out/screenshots/editor-story.png' });

      await Promise.all([page.waitForEvent('load'), first.locator('button[data-relevance=off_beat]').click()]);
      const again = page.locator(`li.timeline-item[data-article-id="${articleId}"]`);
      await again.locator('.editor-status', { hasText: 'corrected by an editor' }).waitFor();
      expect(await again.locator('button[data-relevance=off_beat]').getAttribute('aria-pressed')).toBe('true');
      expect(await correction(articleId)).toMatchObject({ relevance: 'off_beat', corrected_by: 'api' });
      await page.locator('details.why summary').click();
      expect(await page.locator('details.why li.editor-correction').first().innerText()).toBe('Editor’s correction: off the beat');

      await Promise.all([page.waitForEvent('load'), again.locator('button.editor-clear').click()]);
      await page.locator(`li.timeline-item[data-article-id="${articleId}"] .editor-status`, { hasText: 'as classified' }).waitFor();
      expect(await correction(articleId)).toBeUndefined();

      await page.goto(`${base}/editor`);
      await page.click('#editor-signout');
      await page.locator('#editor-status', { hasText: 'Signed out.' }).waitFor();
      await page.goto(`${base}${storyPath}`);
      expect(await page.locator('script').count()).toBe(0);
      expect(problems).toEqual([]);
      await context.close();
    });

    it('a wrong token is refused on the sign-in page, and no control appears', { timeout: 60_000 }, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/editor`);
      await page.fill('#editor-token', 'not-the-token-0123456789');
      await page.click('#editor-signin button[type=submit]');
      await page.locator('#editor-status', { hasText: 'Not signed in: A valid admin bearer token is required' }).waitFor();
      await page.goto(`${base}/stories/${s.stories['extradition']}`);
      expect(await page.locator('script').count()).toBe(0);
      await context.close();
    });
  },
);
