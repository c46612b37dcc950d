import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewsletterModel } from '../../src/render/newsletter-model.js';
import { parseDay, periodContaining } from '../../src/render/newsletter-period.js';
import { buildNewsletter, renderNewsletter } from '../../src/services/newsletter.js';
import { BLINDSPOT_MIN_OUTLETS } from '../../src/services/stories.js';
import { BASE, beatTopics } from '../api/api-helpers.js';
import { seedPress } from '../api/seed-press.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { NOW, WEEK_OF, seedNewsletter, type NewsletterSeed } from './fixture.js';
import { expectEmailSafe } from './helpers.js';
import { hasChromium, launchChromium, screenshotHtml } from './screenshot.js';

// Two presses in the newsletter (issue 18): the press line under each event and the "Blind spots" section
// (events of the period one press covered with at least BLINDSPOT_MIN_OUTLETS outlets and the other not at
// all), on the digest fixture with its outlets' countries. The committed snapshots (digest.test.ts) hold no
// country: they stay byte-identical.

const SHOTS = process.env['PRESS_SHOTS_DIR'] ?? '/tmp/press-shots';
const eventsOf = (m: NewsletterModel) => m.sections.flatMap((s) => s.events);

describe(`newsletter: two presses (${dbKind})`, () => {
  let t: TestDb;
  let s: NewsletterSeed;
  let weekly: NewsletterModel;

  beforeAll(async () => {
    t = await createTestDb();
    s = await seedNewsletter(t.db);
    await seedPress(t.db);
    weekly = await buildNewsletter(t.db, beatTopics(), { slug: 'all', period: periodContaining('weekly', parseDay(WEEK_OF)), baseUrl: BASE, now: NOW });
  });
  afterAll(async () => t?.close());

  it('each event carries its press line', () => {
    const byId = new Map(eventsOf(weekly).map((e) => [e.storyId, e]));
    // NBC 14:05 and Reuters on 23 Nov; El Universal 20:10, La Jornada and Milenio the day after.
    expect(byId.get(s.extraStories['cia-options']!)?.press).toEqual({
      line: 'US first · Mexican press 6 h later · 2 US / 3 MX outlets',
      firstSide: 'us',
      lagMs: (6 * 60 + 5) * 60_000,
      usOutlets: 2,
      mxOutlets: 3,
    });
    expect(byId.get(s.extraStories['ovidio']!)?.press?.line).toBe('US first · Mexican press 2 h later · 2 US / 1 MX outlets');
    for (const e of eventsOf(weekly)) expect(e.press?.line, e.headline).toMatch(/^(US first|Mexico first|Both presses|Only the (US|Mexican) press)/);
  });

  it('lists the blind spots of the period per missing press', () => {
    const blind = weekly.blindSpots ?? [];
    const missedUs = blind.filter((b) => b.missing === 'us').map((b) => b.storyId);
    const missedMx = blind.filter((b) => b.missing === 'mx').map((b) => b.storyId);
    expect(missedUs).toContain(s.stories['culiacan']);
    expect(missedMx).toContain(s.stories['gen-4']);
    // Covered by both presses, or by one outlet only: never a blind spot.
    for (const k of ['extradition', 'fentanyl', 'guns']) expect(blind.map((b) => b.storyId)).not.toContain(s.stories[k]);
    expect(blind.map((b) => b.storyId)).not.toContain(s.extraStories['cia-options']);
    for (const b of blind) expect(b.outlets).toBeGreaterThanOrEqual(BLINDSPOT_MIN_OUTLETS);
    expect(blind.find((b) => b.storyId === s.stories['culiacan'])).toMatchObject({ missing: 'us', outlets: 2, storyUrl: `${BASE}/stories/${s.stories['culiacan']}` });
  });

  it('every rendering shows the line and the section; the HTML stays email-safe', () => {
    const html = renderNewsletter(weekly, 'html');
    const text = renderNewsletter(weekly, 'text');
    const md = renderNewsletter(weekly, 'md');
    expectEmailSafe(html);
    fs.mkdirSync(SHOTS, { recursive: true });
    fs.writeFileSync(`${SHOTS}/newsletter-press.txt`, text);
    fs.writeFileSync(`${SHOTS}/newsletter-press.md`, md);
    const line = 'US first · Mexican press 6 h later · 2 US / 3 MX outlets';
    expect(html).toContain(line);
    expect(text).toContain(line);
    expect(md).toContain(`**${line}**`);
    expect(html).toMatch(/>Blind spots<\/h2>[\s\S]*Missed by the US press[\s\S]*Army deployed to Culiacán[\s\S]*only the Mexican press, 2 outlets/);
    expect(text).toMatch(/\nBLIND SPOTS\n-+\n[\s\S]*Missed by the US press:\n- Army deployed to Culiacán after Sinaloa cartel clashes \(only the\n {2}Mexican press, 2 outlets\)\n {2}http:\/\/frontera\.test\/stories\/\d+\n/);
    expect(md).toMatch(/## Blind spots\n[\s\S]*\*\*Missed by the Mexican press\*\*\n/);
    // Blind spots come after the events and "Also noted", before the footer.
    expect(text.indexOf('BLIND SPOTS')).toBeGreaterThan(text.indexOf('ALSO NOTED'));
    expect(text.indexOf('BLIND SPOTS')).toBeLessThan(text.indexOf('\n-- \n'));
  });

  it.skipIf(!hasChromium())('the HTML with the new sections, as a reader sees it (screenshot, no overflow)', async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const html = renderNewsletter(weekly, 'html');
    fs.writeFileSync(`${SHOTS}/newsletter-press.html`, html);
    const browser: Browser = await launchChromium();
    try {
      for (const [name, width] of [['newsletter-press', 760], ['newsletter-press-375', 375]] as const) {
        const r = await screenshotHtml(browser, html, `${SHOTS}/${name}.png`, { colorScheme: 'light', width });
        expect(r.requests).toEqual([]);
        expect(r.scrollWidth).toBeLessThanOrEqual(width);
      }
    } finally {
      await browser.close();
    }
  });
});
