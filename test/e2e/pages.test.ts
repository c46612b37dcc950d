import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markOnlyHtml, safeHref } from '../../api/pages/format.js';
import { CONTENT_SECURITY_POLICY } from '../../api/pages/security-headers.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { QueryCounter, makeApp } from '../api/api-helpers.js';
import { seed, type Seeded } from '../api/seed.js';

// The reader pages through app.request(): headers, markup rules, pagination, redirects, caching
// and the number of queries per page. The browser suite (browser.test.ts) checks what a person sees.

const HTML = { headers: { accept: 'text/html,application/xhtml+xml' } };

async function page(app: ReturnType<typeof makeApp>, path: string) {
  const r = await app.request(path, HTML);
  return { status: r.status, headers: r.headers, body: await r.text() };
}

/** Every <a …> start tag of a page. */
const anchors = (body: string) => [...body.matchAll(/<a\s[^>]*>/g)].map((m) => m[0]);
const attr = (tag: string, name: string) => tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
const decode = (s: string) => s.replace(/&amp;/g, '&');

describe('markOnlyHtml (the only input to raw())', () => {
  it('keeps escaped text and balanced <mark> pairs, nothing else', () => {
    expect(markOnlyHtml('Army in <mark>Culiacán</mark> &amp; Sinaloa')).toBe('Army in <mark>Culiacán</mark> &amp; Sinaloa');
    expect(markOnlyHtml('&lt;script&gt;x&lt;/script&gt; <mark>a</mark>')).toBe('&lt;script&gt;x&lt;/script&gt; <mark>a</mark>');
    // Even if the upstream escaping failed, raw markup comes out as text.
    expect(markOnlyHtml('<script>alert(1)</script><img src=x onerror=alert(1)>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(markOnlyHtml('<mark onclick="x">a</mark>')).toBe('&lt;mark onclick=&quot;x&quot;&gt;a');
    expect(markOnlyHtml('<mark><mark>a</mark></mark> b <mark>c')).toBe('<mark>a</mark> b <mark>c</mark>');
    expect(markOnlyHtml('&amp;lt;b&amp;gt;')).toBe('&amp;lt;b&amp;gt;');
  });

  it('safeHref keeps only http(s)', () => {
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' JavaScript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<script>alert(1)</script>')).toBeNull();
    expect(safeHref('/relative')).toBeNull();
    expect(safeHref('https://apnews.example/a?b=1')).toBe('https://apnews.example/a?b=1');
  });
});

describe(`reader pages (${dbKind})`, () => {
  let t: TestDb;
  let s: Seeded;
  let app: ReturnType<typeof makeApp>;

  beforeAll(async () => {
    t = await createTestDb();
    s = await seed(t.db);
    app = makeApp(t);
  });
  afterAll(async () => t?.close());

  const paths = () => ['/', '/?topic=fentanyl-trafficking', `/stories/${s.stories['extradition']}`, '/search?q=culiacan', '/sources', '/newsletters'];

  it('every page is HTML with the security headers, feed discovery links, a viewport and no inline script or style', async () => {
    for (const p of paths()) {
      const r = await page(app, p);
      expect(r.status, p).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(r.body.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(r.body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
      for (const [type, ext] of [['application/rss+xml', 'rss'], ['application/atom+xml', 'atom'], ['application/feed+json', 'json']]) {
        expect(r.body, p).toMatch(new RegExp(`<link rel="alternate" type="${type.replace('+', '\\+')}" title="[^"]*" href="/feeds/all\\.${ext}"/>`));
      }
      expect(r.body).not.toMatch(/<script|\sstyle=|<style|\son[a-z]+=/i);
      // External links: http(s) only, no opener, no referrer.
      for (const a of anchors(r.body)) {
        const href = attr(a, 'href') ?? '';
        expect(href, a).toMatch(/^(\/|#|https?:\/\/)/);
        if (/^https?:/.test(href)) expect(attr(a, 'rel'), a).toBe('noopener noreferrer');
      }
    }
  });

  it('the topic page links its own feeds first, and marks its tab', async () => {
    const r = await page(app, '/?topic=fentanyl-trafficking');
    const alternates = [...r.body.matchAll(/<link rel="alternate"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
    expect(alternates.slice(0, 3)).toEqual(['/feeds/fentanyl-trafficking.rss', '/feeds/fentanyl-trafficking.atom', '/feeds/fentanyl-trafficking.json']);
    expect(r.body).toMatch(/<a href="\/\?topic=fentanyl-trafficking" aria-current="page">/);
    expect(r.body.match(/aria-current="page"/g)).toHaveLength(2); // the tab and the site nav's "Latest"
    // The feeds it advertises exist.
    for (const href of alternates) expect((await app.request(href!)).status, href).toBe(200);
  });

  it('"older" links walk every on-beat story exactly once, newest event first, in a few queries per page', async () => {
    const counter = new QueryCounter();
    const counted = makeApp(t, {}, counter);
    const seen: number[] = [];
    let next: string | null = '/';
    let pages = 0;
    while (next) {
      const r = await page(counted, next);
      expect(r.status, next).toBe(200);
      seen.push(...[...r.body.matchAll(/<article class="story" id="story-(\d+)"/g)].map((m) => Number(m[1])));
      const older = r.body.match(/<a rel="next" href="([^"]+)">/);
      next = older ? decode(older[1]!) : null;
      if (++pages > 20) throw new Error('pagination does not terminate');
    }
    expect(seen).toHaveLength(s.onBeatStoryIds.length);
    expect([...seen].sort((a, b) => a - b)).toEqual([...s.onBeatStoryIds].sort((a, b) => a - b));
    expect(seen[0]).toBe(s.stories['culiacan']); // first reported 100 minutes before T0 (extradition has newer activity)
    // data version + topic counts + stories + their articles + their evidence: 5 per page, whatever its size.
    expect(counter.count).toBeLessThanOrEqual(pages * 5);
  });

  it('queries per page are bounded (no N+1)', async () => {
    const budget: [string, number][] = [
      ['/?topic=border-security', 5],
      [`/stories/${s.stories['extradition']}`, 8],
      ['/search?q=sinaloa', 4],
      ['/sources', 2],
      ['/newsletters', 1],
    ];
    for (const [p, max] of budget) {
      const counter = new QueryCounter();
      const r = await page(makeApp(t, {}, counter), p);
      expect(r.status, p).toBe(200);
      expect(counter.count, p).toBeLessThanOrEqual(max);
    }
  });

  it('a story shows its timeline oldest first, languages marked; merged ids redirect to the survivor', async () => {
    const r = await page(app, `/stories/${s.stories['extradition']}`);
    const items = [...r.body.matchAll(/<li class="timeline-item" data-article-id="(\d+)">[\s\S]*?<time datetime="([^"]+)"[\s\S]*?<a href="([^"]+)" rel="noopener noreferrer" hreflang="(\w+)" lang="(\w+)">/g)];
    expect(items.map((m) => [Number(m[1]), m[4]])).toEqual([
      [s.articles['extradition/0'], 'en'],
      [s.articles['extradition/1'], 'es'],
      [s.articles['extradition/2'], 'en'],
    ]);
    const times = items.map((m) => m[2]!);
    expect([...times].sort()).toEqual(times);
    expect(r.body).toContain('<abbr class="badge lang lang-es" title="Spanish (español)">ES</abbr>');

    for (const merged of ['fentanyl-dup', 'fentanyl-dup2']) {
      const m = await app.request(`/stories/${s.stories[merged]}`, HTML);
      expect(m.status).toBe(301);
      expect(m.headers.get('location')).toBe(`/stories/${s.stories['fentanyl']}`);
    }
    const survivor = await page(app, `/stories/${s.stories['fentanyl']}`);
    expect(survivor.body).toContain(`Combines earlier stories #${s.stories['fentanyl-dup']}, #${s.stories['fentanyl-dup2']}`);
  });

  it('escapes feed text everywhere; search highlights are the only markup', async () => {
    const home = await page(app, '/?topic=arms-trafficking');
    expect(home.body).toContain('Guns &amp; &lt;b&gt;ammo&lt;/b&gt; smuggling ring &quot;Operation Río&quot; dismantled');
    expect(home.body).not.toContain('<b>ammo');
    const story = await page(app, `/stories/${s.stories['guns']}`);
    expect(story.body).toContain('ATF agents said &lt;script&gt;alert(1)&lt;/script&gt; rifles');
    const found = await page(app, '/search?q=culiacan');
    expect(found.body).toMatch(/<mark>Culiacán<\/mark>/);
    const hostile = await page(app, '/search?q=rifles');
    expect(hostile.body).toMatch(/<p class="snippet" lang="en">[^<]*alert\(1\)[^<]*<mark>rifles<\/mark>/); // ts_headline drops the tags; the rest is text
    expect(hostile.body).not.toMatch(/<script/i);
    // The query is echoed as text.
    const echoed = await page(app, `/search?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(echoed.status).toBe(200);
    expect(echoed.body).not.toMatch(/<script/i);
  });

  it('errors are pages for browsers and JSON for API clients', async () => {
    expect((await page(app, '/stories/999999')).status).toBe(404);
    expect((await page(app, '/stories/abc')).status).toBe(404);
    const topic = await page(app, '/?topic=nope');
    expect(topic.status).toBe(404);
    expect(topic.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(topic.body).toContain('No topic &quot;nope&quot;');
    expect((await page(app, '/?cursor=garbage')).status).toBe(400);
    expect((await page(app, '/search?q=x&cursor=garbage')).status).toBe(400);
    const unknown = await page(app, '/no/such/page');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^text\/html/);
    const api = await app.request('/no/such/page');
    expect(api.headers.get('content-type')).toMatch(/^application\/json/);
    const apiStory = await app.request('/v1/stories/999999', HTML);
    expect(apiStory.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('serves the stylesheet with a content hash: immutable when versioned, 304 on revalidation', async () => {
    const home = await page(app, '/');
    const href = decode(home.body.match(/<link rel="stylesheet" href="([^"]+)"/)![1]!);
    expect(href).toMatch(/^\/static\/app\.css\?v=[\w-]{16}$/);
    const css = await app.request(href);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(css.headers.get('x-content-type-options')).toBe('nosniff');
    const etag = css.headers.get('etag')!;
    expect(etag).toBe(`"${href.split('v=')[1]}"`);
    expect((await app.request('/static/app.css')).headers.get('cache-control')).toBe('public, max-age=300');
    expect((await app.request('/static/app.css', { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await app.request('/static/nope.css')).status).toBe(404);
    expect((await app.request('/static/..%2Fapp.ts')).status).toBe(404);
  });

  it('pages are cached per data version like the API (a second view costs only the version check)', async () => {
    const counter = new QueryCounter();
    const counted = makeApp(t, {}, counter);
    await page(counted, '/');
    const before = counter.count;
    const again = await counted.request('/', HTML);
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(again.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(counter.count - before).toBeLessThanOrEqual(1);
    // The sources page shows each feed's last fetch, which the data version leaves out: rendered every time.
    await page(counted, '/sources');
    expect((await counted.request('/sources', HTML)).headers.get('x-cache')).toBeNull();
  });
});
