import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from '../../api/server.js';
import { createLogger } from '../../src/logger.js';
import { periodContaining } from '../../src/render/newsletter-period.js';
import { storeNewsletterIssue } from '../../src/services/newsletter.js';
import { beatTopics } from '../api/api-helpers.js';
import { T0, seed, type Seeded } from '../api/seed.js';
import { seedPress } from '../api/seed-press.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { testConfig } from '../helpers/deps.js';
import { freePort } from '../helpers/net.js';

// The reader pages in a real headless Chromium against the real server (startApi) on 127.0.0.1,
// with the API tests' seeded data. Asserts what a person sees, and that nothing goes wrong quietly:
// no console error, no page error, no CSP violation, no failed request, no dialog.

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SHOTS = path.resolve('test/out/screenshots');
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };
const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const PHONE_390: BrowserContextOptions = { ...PHONE, viewport: { width: 390, height: 844 } };

interface Watched {
  page: Page;
  problems: string[];
  dialogs: string[];
}

describe.skipIf(!HAVE_CHROMIUM)(
  HAVE_CHROMIUM ? `reader pages in headless Chromium (${dbKind})` : `reader pages in headless Chromium — SKIPPED: ${CHROMIUM} is missing (apt-get install chromium)`,
  () => {
    let t: TestDb;
    let s: Seeded;
    let browser: Browser;
    let stop: () => Promise<void>;
    let base: string;
    const open: Watched[] = [];

    beforeAll(async () => {
      fs.mkdirSync(SHOTS, { recursive: true });
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      [t, browser] = await Promise.all([
        createTestDb(),
        chromium.launch({
          executablePath: CHROMIUM,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        }),
      ]);
      s = await seed(t.db);
      await seedPress(t.db); // the outlets' countries and every story's two presses (issue 18)
      const config = testConfig({ HOST: '127.0.0.1', PORT: String(port), PUBLIC_BASE_URL: base, RATE_LIMIT_PER_MINUTE: '0' });
      stop = await startApi({ db: t.db, config, logger: createLogger('silent'), clock: () => T0, topics: beatTopics() });
    });

    afterAll(async () => {
      await browser?.close();
      await stop?.();
      await t?.close();
    });

    /** A fresh page that records everything that should never happen. */
    async function newPage(opts: BrowserContextOptions = DESKTOP): Promise<Watched> {
      const context = await browser.newContext(opts);
      const page = await context.newPage();
      const w: Watched = { page, problems: [], dialogs: [] };
      // Runs through the DevTools protocol, not as a page script: the CSP does not apply to it.
      await page.addInitScript(() => {
        const g = globalThis as any; // browser globals (the tests compile without the DOM lib)
        const seen: string[] = (g.__cspViolations = []);
        g.document.addEventListener('securitypolicyviolation', (e: any) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      page.on('console', (m) => {
        if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) w.problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => w.problems.push(`pageerror: ${e.message}`));
      page.on('requestfailed', (r) => w.problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
      page.on('response', (r) => {
        if (r.status() >= 400) w.problems.push(`HTTP ${r.status()}: ${r.url()}`);
      });
      page.on('dialog', (d) => {
        w.dialogs.push(d.message());
        void d.dismiss();
      });
      open.push(w);
      return w;
    }

    async function assertClean(w: Watched) {
      const csp = w.page.isClosed() ? [] : await w.page.evaluate(() => (globalThis as any).__cspViolations as string[]);
      expect(csp, 'CSP violations').toEqual([]);
      expect(w.problems, 'console errors, page errors, failed requests').toEqual([]);
      expect(w.dialogs, 'dialogs').toEqual([]);
    }

    afterEach(async () => {
      for (const w of open.splice(0)) await w.page.context().close();
    });

    /** The whole page, and what fits the first screen (the part worth looking at first). */
    const shot = async (page: Page, name: string) => {
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
      await page.screenshot({ path: path.join(SHOTS, `${name}-screen.png`) });
    };
    const texts = (page: Page, selector: string) => page.locator(selector).allInnerTexts();

    it('front page: the latest events, each once, with every outlet’s coverage', async () => {
      const w = await newPage();
      const { page } = w;
      const res = await page.goto(`${base}/`);
      expect(res?.status()).toBe(200);
      expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
      expect(await page.title()).toBe('Latest US–Mexico security news · Frontera');
      expect(await page.locator('h1').innerText()).toBe('The beat at a glance');

      // Feeds are discoverable.
      const alternates = await page.locator('link[rel=alternate]').evaluateAll((ls) => ls.map((l) => `${l.getAttribute('type')} ${l.getAttribute('href')}`));
      expect(alternates).toEqual(['application/rss+xml /feeds/all.rss', 'application/atom+xml /feeds/all.atom', 'application/feed+json /feeds/all.json']);

      // Tabs: "All" is the current one.
      const current = page.locator('nav.tabs a[aria-current=page]');
      expect(await current.count()).toBe(1);
      expect(await current.innerText()).toMatch(new RegExp(`^All\\s+${s.onBeatStoryIds.length}$`));

      // Newest on-beat activity first; the newer adjacent and off-beat stories are not on the beat page.
      const headlines = await texts(page, 'article.story h2');
      // Newest event first (story time = first report): Culiacán was first reported 100 minutes before T0, the
      // extradition 300 minutes before (its later coverage moves only its "updated").
      expect(headlines[0]).toBe('Army deployed to Culiacán after Sinaloa cartel clashes');
      expect(headlines).toContain('Sinaloa cartel leader extradited to the United States');
      expect(headlines).not.toContain('Mexican peso rises after security talks');
      expect(headlines).not.toContain('Hurricane forms in the Gulf of Mexico');
      expect(headlines).toHaveLength(15);
      expect(new Set(headlines.map((h, i) => `${h}#${i}`)).size).toBe(15);

      const card = page.locator('article.story', { has: page.locator(`h2 a[href="/stories/${s.stories['extradition']}"]`) });
      expect(await card.count()).toBe(1);
      const meta = await card.locator('p.meta').innerText();
      expect(meta).toContain('First report: Reuters, 25 Nov 2026, 07:00 UTC');
      expect(meta).toContain('3 outlets');
      expect(meta).toContain('2 languages (EN 2 · ES 1)');
      expect(await card.locator('p.meta time').getAttribute('datetime')).toBe('2026-11-25T07:00:00.000Z');
      expect(await card.locator('ul.badges a').allInnerTexts()).toEqual(['Extraditions and US trials', 'Cartel leadership and violence']);

      // Related coverage: every outlet, its language marked and in the lang attribute.
      const items = card.locator('li.coverage-item');
      expect(await items.count()).toBe(3);
      expect(await items.locator('.badge.lang').allInnerTexts()).toEqual(['EN', 'ES', 'EN']);
      expect(await items.locator('.outlet').allInnerTexts()).toEqual(['Reuters', 'El Universal', 'AP News']);
      const spanish = items.nth(1).locator('a');
      expect(await spanish.innerText()).toBe('Extraditan a EU a líder del cártel de Sinaloa detenido en Culiacán');
      expect(await spanish.getAttribute('lang')).toBe('es');
      expect(await spanish.getAttribute('href')).toBe('https://www.eluniversal.example/nacion/extraditan-lider');
      expect(await spanish.getAttribute('rel')).toBe('noopener noreferrer');

      // "Matched because …" is there on demand, without script.
      const why = card.locator('details.why');
      expect(await why.locator('li').first().isVisible()).toBe(false);
      await shot(page, 'home-desktop');
      await why.locator('summary').click();
      expect(await why.locator('li').first().isVisible()).toBe(true);
      expect(await why.locator('li').first().innerText()).toMatch(/“?extradition”? in the title → topic: Extraditions and US trials/);

      // Older events: the next page continues where this one stopped.
      await page.locator('nav.pager a[rel=next]').click();
      await page.waitForURL(/cursor=/);
      const older = await texts(page, 'article.story h2');
      expect(older.length).toBeGreaterThan(0);
      expect(older.filter((h) => headlines.includes(h) && !/operation|operativo/i.test(h))).toEqual([]);
      expect(await page.locator('nav.pager a', { hasText: 'Newest' }).getAttribute('href')).toBe('/');
      await assertClean(w);
    });

    it('switching topic: the tab is marked, the list holds only that topic, the topic’s feeds are linked', async () => {
      const w = await newPage();
      const { page } = w;
      await page.goto(`${base}/`);
      await page.locator('nav.tabs a', { hasText: 'Fentanyl and drug trafficking' }).click();
      await page.waitForURL(`${base}/?topic=fentanyl-trafficking`);
      expect(await page.locator('h1').innerText()).toBe('Fentanyl and drug trafficking');
      const tab = page.locator('nav.tabs a[aria-current=page]');
      expect(await tab.innerText()).toMatch(/^Fentanyl and drug trafficking\s+6$/);
      const cards = page.locator('article.story');
      expect(await cards.count()).toBe(6);
      for (let i = 0; i < 6; i++) expect(await cards.nth(i).locator('ul.badges').innerText()).toContain('Fentanyl and drug trafficking');
      expect(await page.locator('link[rel=alternate]').first().getAttribute('href')).toBe('/feeds/fentanyl-trafficking.rss');
      expect(await page.locator('footer .subscribe').innerText()).toBe('Subscribe to Fentanyl and drug trafficking: RSS · Atom · JSON Feed');
      await shot(page, 'topic-desktop');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(page, 'topic-desktop-dark');
      await assertClean(w);
    });

    it('a story: the timeline of coverage in time order, related stories; a merged id lands on the survivor', async () => {
      const w = await newPage();
      const { page } = w;
      await page.goto(`${base}/?topic=fentanyl-trafficking`);
      await page.locator('article.story h2 a', { hasText: 'Record fentanyl seizure at the Nogales port of entry' }).click();
      await page.waitForURL(`${base}/stories/${s.stories['fentanyl']}`);
      expect(await page.locator('h1').innerText()).toBe('Record fentanyl seizure at the Nogales port of entry');
      const items = page.locator('li.timeline-item');
      expect(await items.count()).toBe(3);
      expect(await items.locator('.outlet').allInnerTexts()).toEqual(['AP News', 'Milenio', 'Border Report']);
      expect(await items.locator('.badge.lang').allInnerTexts()).toEqual(['EN', 'ES', 'EN']);
      const times = await items.locator('.when time').evaluateAll((ts) => ts.map((x) => x.getAttribute('datetime')!));
      expect([...times].sort()).toEqual(times);
      expect(await items.nth(1).locator('h3 a').getAttribute('lang')).toBe('es');
      expect(await items.nth(1).locator('.summary').innerText()).toBe('Agentes estadounidenses aseguraron pastillas de fentanilo ocultas entre pepinos.');
      expect(await page.locator('p.note').innerText()).toContain(`#${s.stories['fentanyl-dup']}, #${s.stories['fentanyl-dup2']}`);
      await shot(page, 'story-desktop');
      // Related stories are stored storyline links (placement's, both ways): the extradition and the Culiacán
      // deployment are one storyline in the fixture; each page lists the other.
      await page.goto(`${base}/stories/${s.stories['extradition']}`);
      expect(await page.locator('ul.related li a').getAttribute('href')).toBe(`/stories/${s.stories['culiacan']}`);
      await page.goto(`${base}/stories/${s.stories['culiacan']}`);
      expect(await page.locator('ul.related li a').getAttribute('href')).toBe(`/stories/${s.stories['extradition']}`);

      // A merged story's address (even through a chain of merges) moves to the survivor.
      const res = await page.goto(`${base}/stories/${s.stories['fentanyl-dup2']}`);
      expect(res?.status()).toBe(200);
      expect(page.url()).toBe(`${base}/stories/${s.stories['fentanyl']}`);
      await assertClean(w);
    });

    it('search from the header: highlighted matches across languages, accents optional; a result opens its story', async () => {
      const w = await newPage();
      const { page } = w;
      await page.goto(`${base}/`);
      await page.locator('header #site-q').fill('culiacan');
      await page.locator('header #site-q').press('Enter');
      await page.waitForURL(`${base}/search?q=culiacan`);
      expect(await page.locator('#q').inputValue()).toBe('culiacan');
      const results = page.locator('li.result');
      expect(await results.count()).toBeGreaterThanOrEqual(2);
      const marks = await page.locator('li.result mark').allInnerTexts();
      expect(marks.length).toBeGreaterThan(0);
      expect(new Set(marks.map((m) => m.toLowerCase()))).toEqual(new Set(['culiacán']));
      expect(await results.locator('.badge.lang').allInnerTexts()).toContain('ES');
      await shot(page, 'search-desktop');
      const first = results.first().locator('h2 a');
      const href = await first.getAttribute('href');
      expect(href).toMatch(/^\/stories\/\d+$/);
      await first.click();
      await page.waitForURL(`${base}${href}`);
      expect(await page.locator('li.timeline-item').count()).toBeGreaterThan(0);
      await assertClean(w);
    });

    it('sources and newsletters pages', async () => {
      const w = await newPage();
      const { page } = w;
      await page.goto(`${base}/sources`);
      expect(await page.locator('h1').innerText()).toBe('Sources');
      const rows = page.locator('tr.source');
      expect(await rows.count()).toBe(6);
      const reuters = page.locator('tr.source', { hasText: 'Reuters' });
      expect(await reuters.locator('td[data-label="304 share"]').innerText()).toBe('75% of 20 fetches');
      expect(await reuters.locator('td[data-label="Status"]').innerText()).toBe('active');
      const border = page.locator('tr.source', { hasText: 'Border Report' });
      expect(await border.locator('td[data-label="Errors"]').innerText()).toBe('3 in a row: fetch_http_error — HTTP 503');
      expect(await border.locator('td[data-label="Last fetch"]').innerText()).toBe('25 Nov 2026, 11:50 UTC · HTTP 503');
      expect(await page.locator('tr.source', { hasText: 'Defunct Daily' }).locator('td[data-label="Last fetch"]').innerText()).toBe('never');
      await shot(page, 'sources-desktop');

      // No issue yet: an empty state that points to the feeds.
      await page.locator('header nav a', { hasText: 'Newsletters' }).click();
      await page.waitForURL(`${base}/newsletters`);
      expect(await page.locator('header nav a[aria-current=page]').innerText()).toBe('Newsletters');
      expect(await page.locator('p.empty').innerText()).toContain('No newsletter issue has been published yet');

      // One stored weekly issue of the whole beat: listed with its preview and its first events.
      const stored = await storeNewsletterIssue(t.db, beatTopics(), { slug: 'all', period: { ...periodContaining('weekly', T0), kind: 'weekly' }, baseUrl: base, now: T0, deliver: false });
      expect(stored.outcome).toBe('created');
      await page.reload();
      const issue = page.locator('li.issue');
      expect(await issue.count()).toBe(1);
      expect(await issue.locator('h2 a').getAttribute('href')).toMatch(/^\/v1\/newsletters\/\d+\?format=html$/);
      expect(await issue.locator('p.meta').innerText()).toMatch(/events · \d+ articles · published 25 Nov 2026, 12:00 UTC$/);
      const events = await issue.locator('.issue-events a').allInnerTexts();
      expect(events.length).toBeGreaterThan(0);
      expect(events).toContain('Sinaloa cartel leader extradited to the United States');
      await shot(page, 'newsletters-desktop');
      await assertClean(w);
    });

    // Issue 18: the story page's "US press / Mexican press" section, two columns at 1280 px, stacked at 375 px.
    it('a story with both presses: side by side on a desktop, stacked on a phone, no sideways scroll', async () => {
      const shots = process.env['PRESS_SHOTS_DIR'] ?? '/tmp/press-shots';
      fs.mkdirSync(shots, { recursive: true });
      for (const [opts, name, width] of [[DESKTOP, 'story-press-1280', 1280], [PHONE, 'story-press-375', 375]] as const) {
        const w = await newPage(opts);
        const { page } = w;
        await page.goto(`${base}/stories/${s.stories['extradition']}`);
        expect(await page.locator('#press-h').count()).toBe(1);
        expect(await page.locator('.press > .press-line').innerText()).toBe('US first · Mexican press 1 h later · 2 US / 1 MX outlets');
        const us = (await page.locator('.press-us').boundingBox())!;
        const mx = (await page.locator('.press-mx').boundingBox())!;
        if (width === 1280) {
          expect(Math.abs(us.y - mx.y), 'columns side by side').toBeLessThan(2);
          expect(mx.x).toBeGreaterThan(us.x + us.width - 1);
        } else {
          expect(mx.y, 'stacked: the Mexican press under the US press').toBeGreaterThanOrEqual(us.y + us.height - 1);
          expect(Math.abs(us.x - mx.x)).toBeLessThan(2);
        }
        const m = await page.evaluate(() => {
          const d = (globalThis as any).document;
          return { client: d.documentElement.clientWidth as number, scroll: d.documentElement.scrollWidth as number, body: d.body.scrollWidth as number };
        });
        expect(m.client).toBe(width);
        expect(m.scroll, `${name} scrolls sideways`).toBeLessThanOrEqual(m.client);
        expect(m.body, `${name} scrolls sideways`).toBeLessThanOrEqual(m.client);
        await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
        await page.locator('section.press').screenshot({ path: path.join(shots, `${name}-section.png`) });
        await assertClean(w);
      }
    });

    it('on a phone (375×812) every page fits the screen: no horizontal scroll', async () => {
      const w = await newPage(PHONE);
      const { page } = w;
      const pages: [string, string][] = [
        ['/', 'home'],
        ['/?topic=cartel-violence', 'topic'],
        [`/stories/${s.stories['extradition']}`, 'story'],
        ['/search?q=fentanilo', 'search'],
        ['/sources', 'sources'],
        ['/newsletters', 'newsletters'],
        ['/blindspots', 'blindspots'],
      ];
      for (const [p, name] of pages) {
        await page.goto(`${base}${p}`);
        const m = await page.evaluate(() => {
          const d = (globalThis as any).document;
          return { client: d.documentElement.clientWidth as number, scroll: d.documentElement.scrollWidth as number, body: d.body.scrollWidth as number };
        });
        expect(m.client, `${p}: the viewport meta makes the layout 375 px wide`).toBe(375);
        expect(m.scroll, `${p} scrolls sideways`).toBeLessThanOrEqual(m.client);
        expect(m.body, `${p} scrolls sideways`).toBeLessThanOrEqual(m.client);
        await shot(page, `${name}-phone`);
      }
      await assertClean(w);
    });

    // Issue 20, item 13: at 390 px the topic chips ran off the right edge (a row scrolling with nothing to show it
    // did) and the header search was hidden; at 1280 px the search placeholder was cut.
    it('on a phone (390×844) every topic chip is on screen and the header search box is visible', async () => {
      const w = await newPage(PHONE_390);
      const { page } = w;
      const pages: [string, string, boolean][] = [
        ['/', 'home', true],
        ['/?topic=cartel-violence', 'topic', true],
        [`/stories/${s.stories['extradition']}`, 'story', false],
      ];
      for (const [p, name, hasChips] of pages) {
        await page.goto(`${base}${p}`);
        const vw = await page.evaluate(() => (globalThis as any).document.documentElement.clientWidth as number);
        expect(vw).toBe(390);
        if (hasChips) {
          // The chips wrap: each one wholly inside the viewport, none behind a sideways scroll.
          const chips = await page.locator('nav.tabs a').evaluateAll((as) =>
            as.map((a) => {
              const r = a.getBoundingClientRect();
              return { text: a.textContent, left: r.left, right: r.right };
            }),
          );
          expect(chips.length, `${p}: topic chips`).toBeGreaterThan(5);
          for (const c of chips) expect(c.left >= 0 && c.right <= vw, `${p}: chip "${c.text}" at ${Math.round(c.left)}–${Math.round(c.right)} px is cut off`).toBe(true);
        }
        // The header search stays reachable: visible, inside the viewport, wide enough to type in.
        const input = page.locator('header.site input[type=search]');
        expect(await input.isVisible(), `${p}: header search box visible`).toBe(true);
        const box = (await input.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(vw);
        expect(box.width).toBeGreaterThanOrEqual(160);
        expect(await page.locator('header.site button[type=submit]').isVisible()).toBe(true);
        const scroll = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
        expect(scroll, `${p} scrolls sideways`).toBeLessThanOrEqual(vw);
        await shot(page, `${name}-phone-390`);
      }
      // The box is not decoration: typing and Enter search.
      await page.goto(`${base}/`);
      await page.locator('header.site input[type=search]').fill('culiacan');
      await page.locator('header.site input[type=search]').press('Enter');
      await page.waitForURL(/\/search\?q=culiacan/);
      expect(await page.locator('.result').count(), 'search results for culiacan').toBeGreaterThan(0);
      await assertClean(w);
    });

    it('on a desktop (1280 px) the search placeholder is shown whole', async () => {
      const w = await newPage({ ...DESKTOP, deviceScaleFactor: 2 });
      const { page } = w;
      await page.goto(`${base}/`);
      const input = page.locator('header.site input[type=search]');
      const placeholder = (await input.getAttribute('placeholder'))!;
      expect(placeholder.length).toBeGreaterThan(10);
      // The placeholder's width in the input's own font against the room inside its padding.
      const m = await input.evaluate((el: any) => {
        const g = globalThis as any;
        const cs = g.getComputedStyle(el);
        const ctx = g.document.createElement('canvas').getContext('2d');
        ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        return { text: ctx.measureText(el.placeholder).width as number, room: room as number };
      });
      // type=search reserves room for its clear button: the honest test is the placeholder typed in as a value.
      const asValue = await input.evaluate((el: any) => {
        el.value = el.placeholder;
        const r = { scroll: el.scrollWidth as number, client: el.clientWidth as number };
        el.value = '';
        return r;
      });
      expect(m.text, `placeholder "${placeholder}" needs ${Math.ceil(m.text)} px, the box has ${Math.floor(m.room)} px`).toBeLessThanOrEqual(m.room);
      expect(asValue.scroll, `placeholder "${placeholder}" typed in overflows the box`).toBeLessThanOrEqual(asValue.client);
      await page.locator('header.site').screenshot({ path: path.join(SHOTS, 'header-desktop.png') });
      await input.screenshot({ path: path.join(SHOTS, 'header-search-desktop.png') });
      await assertClean(w);
    });

    it('the API reference: Swagger UI shows every operation of /openapi.json and runs one, under the CSP; without JavaScript, the list', async () => {
      const spec = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, Record<string, { tags?: string[] }>> };
      const ops = Object.values(spec.paths).flatMap((item) =>
        Object.entries(item).filter(([m]) => ['get', 'head', 'post', 'put', 'patch', 'delete'].includes(m)).map(([, op]) => op),
      );
      const operations = ops.length;
      expect(operations).toBeGreaterThan(20);
      // Swagger UI shows an operation under each of its tags.
      const blocks = ops.reduce((n, op) => n + Math.max(1, op.tags?.length ?? 0), 0);

      const w = await newPage();
      const { page } = w;
      const res = await page.goto(`${base}/docs`);
      expect(res?.status()).toBe(200);
      expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.locator('.swagger-ui .opblock').first().waitFor();
      expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('Frontera API');
      expect(await page.locator('.swagger-ui .opblock').count()).toBe(blocks);
      // "Try it out" on GET /v1/topics: the request goes to this origin (connect-src 'self') and answers 200.
      const topics = page.locator('.opblock-get', { has: page.locator('.opblock-summary-path[data-path="/v1/topics"]') });
      await topics.locator('.opblock-summary').click();
      await topics.locator('button.try-out__btn').click();
      await topics.locator('button.execute').click();
      await expect.poll(() => topics.locator('.live-responses-table tr.response .response-col_status').first().innerText()).toBe('200');
      expect(await topics.locator('.live-responses-table .microlight').first().innerText()).toContain('"slug": "border-security"');
      await shot(page, 'api-docs');
      await assertClean(w);

      const off = await newPage({ ...DESKTOP, javaScriptEnabled: false });
      expect((await off.page.goto(`${base}/docs`))?.status()).toBe(200);
      const fallback = off.page.locator('main.fallback');
      expect(await fallback.isVisible()).toBe(true);
      expect(await fallback.locator('a[href="/openapi.json"]').count()).toBe(1);
      expect(await fallback.locator('li').count()).toBe(operations);
      expect(await fallback.locator('li', { hasText: '/feeds/{topic}.atom' }).innerText()).toBe('GET /feeds/{topic}.atom — Atom 1.0 feed of a topic (all = the whole beat)');
      expect(await fallback.locator('li', { hasText: '/feeds/{topic}.atom' }).locator('code').allInnerTexts()).toEqual(['/feeds/{topic}.atom', 'all']);
      await shot(off.page, 'api-docs-noscript');
      expect(off.problems).toEqual([]);
    });

    it('feed text carrying <script>, onerror= and javascript: links renders inert', async () => {
      // Straight into the database, as if ingest sanitization had been bypassed.
      const hostileHeadline = '<script>window.__pwned=1;alert(1)</script><img src=x onerror="window.__pwned=2;alert(2)"> Hostile headline zyxwv';
      const hostileSummary = '<svg onload="window.__pwned=4"></svg><a href="javascript:window.__pwned=5">click</a> zyxwv summary';
      const story = await sql<{ id: number }>`
        INSERT INTO stories (headline, first_published_at, last_published_at, first_seen_at, last_updated_at, article_count, outlet_count, lang_counts, topics, relevance)
        VALUES (${hostileHeadline}, ${T0}, ${T0}, ${T0}, ${T0}, 2, 1, '{"en":2}'::jsonb, ARRAY['arms-trafficking']::text[], 'on_beat') RETURNING id`.execute(t.db);
      const storyId = story.rows[0]!.id;
      const source = await t.db
        .insertInto('sources')
        .values({ url: 'javascript:window.__pwned=6', name: '<img src=x onerror="window.__pwned=7">Evil Outlet', lang: 'en', next_check_at: T0, created_at: T0, updated_at: T0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const evidence = JSON.stringify([{ rule: 'topic:arms-trafficking/pattern:<script>', matched: '<img src=x onerror="window.__pwned=8">', field: 'title', weight: 3 }]);
      for (const [i, url] of ['javascript:window.__pwned=3', 'data:text/html,<script>alert(9)</script>'].entries()) {
        await t.db
          .insertInto('articles')
          .values({
            dedup_key: `hostile:${i}`,
            url,
            canonical_url: null,
            guid: `hostile-${i}`,
            title: `${hostileHeadline} ${i}`,
            summary_html: hostileSummary,
            summary_text: hostileSummary,
            lang: 'en',
            published_at: new Date(T0.getTime() - (2 - i) * 60_000),
            first_seen_at: T0,
            updated_at: T0,
            content_hash: `hostile${i}`,
            first_source_id: source.id,
            relevance: 'on_beat',
            topics: ['arms-trafficking'],
            entities: '[]',
            evidence,
            story_id: storyId,
          })
          .execute();
      }
      await new Promise((r) => setTimeout(r, 1100)); // the data version is re-read at most once a second

      const w = await newPage();
      const { page } = w;
      for (const p of ['/', `/stories/${storyId}`, '/search?q=zyxwv', '/sources']) {
        await page.goto(`${base}${p}`);
        await page.locator('details.why summary').first().click({ timeout: 1000 }).catch(() => {}); // show the evidence too
        const dom = await page.evaluate(() => {
          const g = globalThis as any;
          return {
            pwned: g.__pwned ?? null,
            live: g.document.querySelectorAll('script, svg, img, iframe, object, embed, [onerror], [onload], [onclick]').length as number,
            badHrefs: ([...g.document.querySelectorAll('a[href]')] as any[]).map((a) => a.getAttribute('href') as string).filter((h) => !/^(\/|#|https?:)/.test(h)),
            text: g.document.body.innerText as string,
          };
        });
        expect(dom.pwned, p).toBeNull();
        expect(dom.live, p).toBe(0);
        expect(dom.badHrefs, p).toEqual([]);
        if (p === '/sources') {
          expect(dom.text).toContain('<img src=x onerror="window.__pwned=7">Evil Outlet');
          expect(dom.text).toContain('javascript:window.__pwned=6'); // the feed URL as text, not as a link
        } else {
          expect(dom.text, p).toContain('<script>window.__pwned=1;alert(1)</script><img src=x onerror="window.__pwned=2;alert(2)"> Hostile headline');
        }
        if (p === `/stories/${storyId}`) {
          expect(dom.text).toContain('<svg onload="window.__pwned=4"></svg><a href="javascript:window.__pwned=5">click</a> zyxwv summary');
          expect(dom.text).toContain('<img src=x onerror="window.__pwned=8">');
          // Both hostile article links are plain text, not anchors.
          expect(await page.locator('li.timeline-item h3 a').count()).toBe(0);
          expect(await page.locator('li.timeline-item h3 .nolink').count()).toBe(2);
          await shot(page, 'hostile-story-desktop');
        }
      }
      await assertClean(w);
    });
  },
);
