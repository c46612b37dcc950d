import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../api/pages/security-headers.js';
import { QueryCounter, makeApp } from '../api/api-helpers.js';
import { seed, type Seeded } from '../api/seed.js';
import { seedPress } from '../api/seed-press.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';

// Two presses where readers see them (issue 18): the story page's "US press / Mexican press" section, the line on
// each story card, and the blind-spots page, on the API seed with its outlets' countries (seedPress).

const HTML = { headers: { accept: 'text/html,application/xhtml+xml' } };
const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

describe(`two presses on the reader pages (${dbKind})`, () => {
  let t: TestDb;
  let s: Seeded;
  let app: ReturnType<typeof makeApp>;
  const page = async (path: string, a = app) => {
    const r = await a.request(path, HTML);
    return { status: r.status, headers: r.headers, body: await r.text() };
  };
  /** The inner HTML of the element starting at `start` (first match) up to its closing tag of the same name. */
  const section = (body: string, start: RegExp): string => {
    const m = body.match(start);
    if (!m) return '';
    const tag = m[0].match(/^<(\w+)/)![1]!;
    let depth = 0;
    const re = new RegExp(`<${tag}[\\s>]|</${tag}>`, 'g');
    re.lastIndex = m.index!;
    for (let x = re.exec(body); x; x = re.exec(body)) {
      depth += x[0].startsWith('</') ? -1 : 1;
      if (depth === 0) return body.slice(m.index!, x.index + x[0].length);
    }
    return body.slice(m.index!);
  };
  const storyIds = (body: string) => [...body.matchAll(/<article class="story" id="story-(\d+)"/g)].map((m) => Number(m[1]));

  beforeAll(async () => {
    t = await createTestDb();
    s = await seed(t.db);
    await seedPress(t.db);
    app = makeApp(t);
  });
  afterAll(async () => t?.close());

  it('the story page shows both presses side by side: outlets, articles, first report and lag, terms and names per side', async () => {
    const id = s.stories['extradition']!;
    const r = await page(`/stories/${id}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(r.body).not.toMatch(/<script|\sstyle=|<style|\son[a-z]+=/i);
    const press = section(r.body, /<section class="press" aria-labelledby="press-h">/);
    expect(press).toContain('<h2 id="press-h">US press / Mexican press</h2>');
    // Reuters 07:00 (and AP 08:40) in the US, El Universal 08:00 in Mexico.
    expect(press).toContain('<p class="press-line">US first · Mexican press 1 h later · 2 US / 1 MX outlets</p>');
    const us = section(press, /<section class="press-col press-us"/);
    const mx = section(press, /<section class="press-col press-mx"/);
    expect(us).toContain('2 outlets · 2 articles');
    expect(mx).toContain('1 outlet · 1 article');
    expect(us).toMatch(/First report: <strong class="outlet">Reuters<\/strong>, <time datetime="2026-11-25T07:00:00.000Z">/);
    expect(mx).toMatch(/First report: <strong class="outlet">El Universal<\/strong>, <time datetime="2026-11-25T08:00:00.000Z">/);
    // Each side lists its own articles, and only those.
    const articleIds = (h: string) => [...h.matchAll(/<li data-article-id="(\d+)"/g)].map((m) => Number(m[1]));
    expect(articleIds(us)).toEqual([s.articles['extradition/0'], s.articles['extradition/2']]);
    expect(articleIds(mx)).toEqual([s.articles['extradition/1']]);
    // Terms and names as stored (story_press), in the stored order, each side its own.
    const stored = await sql<{ country: string; terms: any; names: any }>`SELECT country, terms, names FROM story_press WHERE story_id = ${id}`.execute(t.db);
    for (const row of stored.rows) {
      const col = row.country === 'US' ? us : mx;
      const terms = (typeof row.terms === 'string' ? JSON.parse(row.terms) : row.terms) as { term: string }[];
      const names = (typeof row.names === 'string' ? JSON.parse(row.names) : row.names) as { name: string }[];
      expect(terms.length, row.country).toBeGreaterThan(0);
      const shownTerms = [...section(col, /<ul class="press-terms"/).matchAll(/<li [^>]*>([^<]*)<\/li>/g)].map((m) => decode(m[1]!));
      expect(shownTerms, row.country).toEqual(terms.slice(0, 8).map((x) => x.term));
      const shownNames = [...section(col, /<ul class="press-names"/).matchAll(/<li [^>]*>([^<]*)<\/li>/g)].map((m) => decode(m[1]!));
      expect(shownNames, row.country).toEqual(names.slice(0, 8).map((x) => x.name));
    }
  });

  it('a story one press missed says so in that column', async () => {
    const r = await page(`/stories/${s.stories['culiacan']}`);
    const press = section(r.body, /<section class="press" aria-labelledby="press-h">/);
    expect(press).toContain('<p class="press-line">Only the Mexican press · 2 outlets</p>');
    expect(section(press, /<section class="press-col press-us press-none"/)).toContain('No outlet published in the US has covered this story.');
    expect(section(press, /<section class="press-col press-mx"/)).toContain('2 outlets · 2 articles');
  });

  it('story cards carry the press line from the list query: no query more per page', async () => {
    const home = await page('/');
    const cards = [...home.body.matchAll(/<article class="story" id="story-(\d+)"[\s\S]*?<\/article>/g)];
    expect(cards.length).toBeGreaterThan(5);
    const lineOf = (storyId: number) => cards.find((c) => Number(c[1]) === storyId)?.[0].match(/<p class="press-line">([^<]*)<\/p>/)?.[1];
    expect(lineOf(s.stories['extradition']!)).toBe('US first · Mexican press 1 h later · 2 US / 1 MX outlets');
    expect(lineOf(s.stories['culiacan']!)).toBe('Only the Mexican press · 2 outlets');
    // gen-1: El Universal at 19:09, Reuters at 19:10.
    expect(lineOf(s.stories['gen-1']!)).toBe('Mexico first · US press 1 min later · 1 MX / 1 US outlet');
    // Every card of a topic page has its line too.
    const topic = await page('/?topic=cartel-violence');
    for (const c of topic.body.matchAll(/<article class="story" id="story-(\d+)"[\s\S]*?<\/article>/g)) expect(c[0], c[1]).toMatch(/<p class="press-line">/);
    // Same query budget as without the presses (pages.test.ts): 5 per page.
    const counter = new QueryCounter();
    await page('/?topic=border-security', makeApp(t, {}, counter));
    expect(counter.count).toBeLessThanOrEqual(5);
  });

  it('/blindspots lists what each press missed, links the blind-spot feeds, and is in the site nav', async () => {
    const r = await page('/blindspots');
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/<a href="\/blindspots" aria-current="page">Blind spots<\/a>/);
    const missedUs = section(r.body, /<section class="blindspots blindspots-us"/);
    const missedMx = section(r.body, /<section class="blindspots blindspots-mx"/);
    expect(storyIds(missedUs)).toContain(s.stories['culiacan']);
    expect(storyIds(missedUs)).not.toContain(s.stories['extradition']);
    expect(storyIds(missedMx)).toContain(s.stories['gen-4']);
    for (const side of ['us', 'mx']) {
      for (const ext of ['rss', 'atom', 'json']) {
        expect(r.body).toContain(`href="/feeds/blindspot-${side}.${ext}"`);
        expect((await app.request(`/feeds/blindspot-${side}.${ext}`)).status).toBe(200);
      }
    }
    // Every page's nav links it.
    expect((await page('/')).body).toMatch(/<a href="\/blindspots">Blind spots<\/a>/);
    expect((await page('/?side=zz')).status).toBe(200);
    expect((await page('/blindspots?side=zz')).status).toBe(404);
  });

  it('/blindspots?side= pages through the same stories as /v1/blindspots, each once, within a few queries per page', async () => {
    for (const side of ['us', 'mx'] as const) {
      const api: number[] = [];
      let url: string | null = `/v1/blindspots?side=${side}&limit=100`;
      while (url) {
        const j = (await (await app.request(url)).json()) as { data: { id: number }[]; page: { next: string | null } };
        api.push(...j.data.map((x) => x.id));
        url = j.page.next ? j.page.next.replace(/^https?:\/\/[^/]+/, '') : null;
      }
      expect(api.length, side).toBeGreaterThan(0);
      const counter = new QueryCounter();
      const counted = makeApp(t, {}, counter);
      const seen: number[] = [];
      let next: string | null = `/blindspots?side=${side}`;
      let pages = 0;
      while (next) {
        const r = await page(next, counted);
        expect(r.status, next).toBe(200);
        expect(r.body).toContain(`href="/feeds/blindspot-${side}.rss"`);
        seen.push(...storyIds(r.body));
        const older = r.body.match(/<a rel="next" href="([^"]+)">/);
        next = older ? decode(older[1]!) : null;
        if (++pages > 20) throw new Error('pagination does not terminate');
      }
      expect(seen, side).toEqual(api);
      expect(counter.count).toBeLessThanOrEqual(pages * 3);
    }
  });
});
