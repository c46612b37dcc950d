import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNewsletterModelFitting } from '../../src/render/newsletter-build.js';
import type { DigestStory, NewsletterModel } from '../../src/render/newsletter-model.js';
import { customPeriod, parseDay, periodContaining } from '../../src/render/newsletter-period.js';
import { buildNewsletter, renderNewsletter } from '../../src/services/newsletter.js';
import { BASE, beatTopics } from '../api/api-helpers.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { NOW, WEEK_OF, seedNewsletter, type NewsletterSeed } from './fixture.js';
import { expectEmailSafe, hrefs } from './helpers.js';

// The digest on a fixed data set and a fixed clock: ranking, sections, each event once, links, and
// byte-for-byte renderings (committed snapshot files, identical on PGlite and PostgreSQL).

const week = () => periodContaining('weekly', parseDay(WEEK_OF));
const eventsOf = (m: NewsletterModel) => m.sections.flatMap((s) => s.events);

describe(`newsletter digest on ${dbKind}`, () => {
  let t: TestDb;
  let s: NewsletterSeed;
  let weekly: NewsletterModel;
  const build = (slug: string, period = week()) => buildNewsletter(t.db, beatTopics(), { slug, period, baseUrl: BASE, now: NOW });

  beforeAll(async () => {
    t = await createTestDb();
    s = await seedNewsletter(t.db);
    weekly = await build('all');
  });
  afterAll(async () => t?.close());

  it('counts the period: on-beat live events with articles inside the ISO week, their articles and outlets', () => {
    // 4 hand-written + 30 generated seed stories + 3 fixture events of week 48.
    expect(weekly.figures).toEqual({ articles: 79, events: 37, outlets: 8, englishArticles: 40, spanishArticles: 39, featured: 12, alsoNoted: 10 });
    expect(weekly.period).toEqual({ kind: 'weekly', start: '2026-11-23T00:00:00.000Z', end: '2026-11-30T00:00:00.000Z', label: 'Week 48 · 23–29 November 2026' });
    expect(weekly.title).toBe('Frontera weekly digest: All US–Mexico security news');
  });

  it('ranks by coverage: five bilingual outlets first, then the official DOJ release', () => {
    const ranked = eventsOf(weekly).sort((a, b) => a.rank - b.rank);
    expect(ranked[0]!.storyId).toBe(s.extraStories['cia-options']);
    expect(ranked[0]!.outletCount).toBe(5);
    expect(ranked[1]!.storyId).toBe(s.extraStories['ovidio']);
    expect(ranked[1]!.officialSources).toEqual(['Office of Public Affairs']);
    const scores = ranked.map((e) => e.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // "Also noted" continues the same order below the featured events.
    expect(weekly.alsoNoted.map((n) => n.rank)).toEqual(Array.from({ length: 10 }, (_, i) => 13 + i));
  });

  it('lists each event once, in its best topic section, and leaves out adjacent, off-beat, merged and out-of-period stories', () => {
    const ids = [...eventsOf(weekly).map((e) => e.storyId), ...weekly.alsoNoted.map((n) => n.storyId)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const k of ['peso', 'hurricane', 'fentanyl-dup', 'fentanyl-dup2']) expect(ids).not.toContain(s.stories[k]);
    expect(ids).not.toContain(s.extraStories['last-week']);
    const names = new Map(beatTopics().map((x) => [x.slug, x.name]));
    for (const sec of weekly.sections) expect(sec.name).toBe(names.get(sec.slug));
    // In two topics (military action, diplomacy): placed where most of its articles are.
    const cia = weekly.sections.filter((x) => x.events.some((e) => e.storyId === s.extraStories['cia-options']));
    expect(cia.map((x) => x.slug)).toEqual(['us-military-action']);
    // Sections follow their best event; positions are the reading order.
    expect(weekly.sections[0]!.slug).toBe('us-military-action');
    expect(eventsOf(weekly).map((e) => e.position)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('quotes summaries, names the first report, groups coverage by language, and links everything', () => {
    const cia = eventsOf(weekly).find((e) => e.storyId === s.extraStories['cia-options'])!;
    expect(cia.summary).toBe(
      'The Trump administration has begun training for a potential mission into Mexico targeting drug cartels, current and former US officials said. The plans include drone strikes under CIA authority.',
    );
    expect(cia.firstReport).toEqual({ outlet: 'NBC News', at: '2026-11-23T14:05:00.000Z', url: 'https://www.nbcnews.example/politics/cia-mexico-cartels' });
    expect(cia.coverage.map((g) => [g.label, g.items.map((i) => i.outlet)])).toEqual([
      ['English', ['NBC News', 'Reuters']],
      ['Español', ['El Universal', 'La Jornada', 'Milenio']],
    ]);
    const ovidio = eventsOf(weekly).find((e) => e.storyId === s.extraStories['ovidio'])!;
    expect(ovidio.summary).not.toMatch(/appeared first/);
    for (const e of eventsOf(weekly)) {
      expect(e.url).toMatch(/^https:\/\//);
      for (const g of e.coverage) for (const l of g.items) expect(l.url).toMatch(/^https:\/\//);
    }
    for (const n of weekly.alsoNoted) expect(n.url).toMatch(/^https:\/\//);
  });

  it('renders email-safe HTML, text and Markdown, byte-identical to the committed files', async () => {
    const html = renderNewsletter(weekly, 'html');
    expectEmailSafe(html);
    expect(hrefs(html)).toContain('https://www.nbcnews.example/politics/cia-mexico-cartels');
    // "All coverage of this event" opens the reader's story page, not the JSON API (issue 20, item 11).
    const cia = eventsOf(weekly).find((e) => e.headline.startsWith('US weighs sending special forces'))!;
    expect(cia.storyUrl).toBe(`http://frontera.test/stories/${cia.storyId}`);
    expect(html).toContain(`<a class="fr-link" href="http://frontera.test/stories/${cia.storyId}" style="color:#0a58ca;text-decoration:none;">All coverage of this event →</a>`);
    expect(renderNewsletter(weekly, 'md')).toContain(`[All coverage of this event](http://frontera.test/stories/${cia.storyId})`);
    expect(renderNewsletter(weekly, 'text')).toContain(`All coverage: http://frontera.test/stories/${cia.storyId}`);
    expect(hrefs(html).filter((h) => h.includes('/v1/stories/'))).toEqual([]);
    await expect(html).toMatchFileSnapshot('./__snapshots__/weekly-all.html');
    await expect(renderNewsletter(weekly, 'text')).toMatchFileSnapshot('./__snapshots__/weekly-all.txt');
    await expect(renderNewsletter(weekly, 'md')).toMatchFileSnapshot('./__snapshots__/weekly-all.md');
    await expect(`${JSON.stringify(weekly, null, 2)}\n`).toMatchFileSnapshot('./__snapshots__/weekly-all.model.json');
  });

  it('is deterministic: same data, same bytes (rebuilt, and after a JSON round trip as stored)', async () => {
    const again = await build('all');
    const roundTrip = JSON.parse(JSON.stringify(weekly)) as NewsletterModel;
    for (const f of ['html', 'text', 'md'] as const) {
      expect(renderNewsletter(again, f)).toBe(renderNewsletter(weekly, f));
      expect(renderNewsletter(roundTrip, f)).toBe(renderNewsletter(weekly, f));
    }
  });

  it('a topic digest has one section named after the topic', async () => {
    const m = await build('extradition-justice');
    expect(m.sections.map((x) => x.name)).toEqual(['Extraditions and US trials']);
    expect(eventsOf(m).map((e) => e.storyId)).toEqual([s.extraStories['ovidio'], s.stories['extradition']]);
    await expect(build('no-such-topic')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a daily digest only counts that day’s articles', async () => {
    const m = await build('all', periodContaining('daily', parseDay('2026-11-23')));
    expect(m.figures.events).toBe(1);
    const cia = eventsOf(m)[0]!;
    expect(cia.articleCount).toBe(3);
    expect(m.period.label).toBe('Monday 23 November 2026');
  });

  it('escapes hostile feed text in every rendering', async () => {
    const m = await build('arms-trafficking', customPeriod(parseDay('2026-11-20'), parseDay('2026-11-26')));
    const html = renderNewsletter(m, 'html');
    expectEmailSafe(html);
    expect(html).toContain('Guns &amp; &lt;b&gt;ammo&lt;/b&gt;');
    expect(html).not.toContain('<b>ammo');
    expect(html).toContain('https://www.reuters.example/world/guns?a=1&amp;b=2');
    const text = renderNewsletter(m, 'text');
    expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(renderNewsletter(m, 'md')).toContain('Guns \\& \\<b\\>ammo\\</b\\>');
  });

  it('an empty period renders a short, valid issue', async () => {
    const m = await build('all', periodContaining('weekly', parseDay('2026-01-07')));
    expect(m.figures.events).toBe(0);
    expect(m.sections).toEqual([]);
    expect(renderNewsletter(m, 'text')).toContain('No on-beat events were reported in this period.');
    expectEmailSafe(renderNewsletter(m, 'html'));
  });
});

describe('newsletter size bound', () => {
  it('stays under 100 KB (Gmail clips at 102 KB) however busy the period', () => {
    const stories: DigestStory[] = Array.from({ length: 400 }, (_, i) => ({
      id: i + 1,
      headline: `Event ${i} ${'with a long headline '.repeat(6)}`,
      topics: ['border-security', 'cartel-violence'],
      articles: Array.from({ length: 40 }, (_, j) => ({
        id: i * 100 + j,
        storyId: i + 1,
        title: `Article ${j} ${'about the border '.repeat(8)}`,
        url: `https://news${j}.example/${i}/${j}?${'q'.repeat(80)}`,
        lang: j % 2 ? 'es' : 'en',
        publishedAt: new Date(Date.UTC(2026, 10, 23, j % 24)),
        summaryText: 'A sentence that goes on and on. '.repeat(30),
        topics: ['border-security'],
        source: { id: j, name: `Outlet ${j}`, url: null, siteUrl: null },
      })),
    }));
    const m = buildNewsletterModelFitting({
      topic: { slug: 'all', name: 'All', description: '' },
      wholeBeat: true,
      knownTopics: beatTopics(),
      period: periodContaining('weekly', parseDay(WEEK_OF)),
      stories,
      generatedAt: NOW,
      baseUrl: BASE,
    });
    expectEmailSafe(renderNewsletter(m, 'html'));
    expect(m.figures.events).toBe(400);
    expect(m.figures.featured).toBeGreaterThanOrEqual(3);
    expect(m.sections[0]!.events[0]!.headline.length).toBeLessThanOrEqual(300);
    expect(m.figures.events).toBe(400);
    expect(m.figures.featured).toBeGreaterThanOrEqual(3);
    expect(m.sections[0]!.events[0]!.headline.length).toBeLessThanOrEqual(300);
  });
});
