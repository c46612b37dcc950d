import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDay, periodContaining } from '../../src/render/newsletter-period.js';
import { buildNewsletter, renderNewsletter } from '../../src/services/newsletter.js';
import { BASE, beatTopics } from '../api/api-helpers.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { repoRoot } from '../helpers/spawn.js';
import { NOW, WEEK_OF, seedNewsletter } from './fixture.js';
import { hasChromium, launchChromium, screenshotHtml } from './screenshot.js';

// The weekly HTML digest as a reader sees it, in headless Chromium: light and dark color schemes at
// desktop width (committed: docs/screenshots/), plus full pages and a phone width (test/out/, not committed).

const chromium = hasChromium();
if (!chromium) console.warn('newsletter screenshots skipped: /usr/bin/chromium is not installed');

describe.skipIf(!chromium)(`newsletter screenshots (${dbKind})`, () => {
  let t: TestDb;
  let browser: Browser;
  let html: string;
  const docs = path.join(repoRoot, 'docs/screenshots');
  const out = path.join(repoRoot, 'test/out');

  beforeAll(async () => {
    t = await createTestDb();
    await seedNewsletter(t.db);
    const model = await buildNewsletter(t.db, beatTopics(), { slug: 'all', period: periodContaining('weekly', parseDay(WEEK_OF)), baseUrl: BASE, now: NOW });
    html = renderNewsletter(model, 'html');
    fs.mkdirSync(docs, { recursive: true });
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'newsletter.html'), html);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`renders in the ${scheme} scheme with no network request and no horizontal overflow`, async () => {
      const name = scheme === 'light' ? 'newsletter.png' : 'newsletter-dark.png';
      const top = await screenshotHtml(browser, html, path.join(docs, name), { colorScheme: scheme, clipHeight: 1500 });
      const full = await screenshotHtml(browser, html, path.join(out, `newsletter-${scheme}-full.png`), { colorScheme: scheme });
      for (const r of [top, full]) {
        expect(r.requests).toEqual([]);
        expect(r.scrollWidth).toBeLessThanOrEqual(760);
      }
      expect(fs.statSync(path.join(docs, name)).size).toBeGreaterThan(20_000);
    });
  }

  it('fits a phone screen (390 px) without horizontal scrolling', async () => {
    const r = await screenshotHtml(browser, html, path.join(out, 'newsletter-mobile.png'), { colorScheme: 'light', width: 390 });
    expect(r.scrollWidth).toBeLessThanOrEqual(390);
  });
});
