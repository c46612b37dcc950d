// The response cache under concurrent misses: one render per path and version (single flight), the previous
// version's page while the new one renders (bounded, never after a write through this process), every answer's
// ETag its own body's, and no answer for another query.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createDataVersion, DEFAULT_STALE_MS, responseCache, weakEtag, type DataVersion } from '../../api/http-cache.js';

/** A version the test moves by hand, read fresh on every request, with the cache's stale window. */
function manualVersion(staleMs: number) {
  let v = 1;
  let bumps = 0;
  const version: DataVersion = {
    staleMs,
    get bumps() {
      return bumps;
    },
    get: async () => `v${v}#${bumps}`,
    bump: () => void bumps++,
  };
  return { version, change: () => void v++ };
}

/** An app whose page shows the data version and the query, and whose renders the test releases by hand. */
function setup(opts: { staleMs?: number; status?: () => number } = {}) {
  const clock = { t: 1_000_000 };
  const { version, change } = manualVersion(opts.staleMs ?? 2000);
  const gates: Array<() => void> = [];
  let renders = 0;
  let data = 'A';
  const app = new Hono();
  app.use(responseCache({ version, maxEntries: 100, now: () => clock.t }));
  app.get('/page', async (c) => {
    renders++;
    const seen = data; // what the render reads from the "database" when it starts
    await new Promise<void>((r) => gates.push(r));
    return c.text(`${seen} ${c.req.query('q') ?? ''}`, (opts.status?.() ?? 200) as 200);
  });
  /** Lets every render waiting at its gate finish (newest first when `reverse`); returns how many there were. */
  const release = async (reverse = false) => {
    // Let requests reach their gate first.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    const open = gates.splice(0);
    if (reverse) open.reverse();
    for (const g of open) {
      g();
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    }
    return open.length;
  };
  return {
    app,
    clock,
    version,
    release,
    renders: () => renders,
    write: (d: string) => {
      data = d;
      change();
    },
  };
}

async function read(res: Response | Promise<Response>) {
  const r = await res;
  const body = await r.text();
  return { status: r.status, body, cache: r.headers.get('x-cache'), etag: r.headers.get('etag') };
}

describe('response cache: concurrent misses', { timeout: 5000 }, () => {
  it('renders a path once for concurrent misses of one version and gives every request that body and its ETag', async () => {
    const s = setup();
    const pending = Array.from({ length: 8 }, () => s.app.request('/page?q=x'));
    expect(await s.release()).toBe(1);
    const answers = await Promise.all(pending.map(read));
    expect(s.renders()).toBe(1);
    expect(answers.map((a) => a.cache).sort()).toEqual(['miss', ...Array(7).fill('shared')]);
    for (const a of answers) {
      expect(a.body).toBe('A x');
      expect(a.etag).toBe(weakEtag(a.body));
    }
    const again = await read(s.app.request('/page?q=x'));
    expect(again).toMatchObject({ body: 'A x', cache: 'hit' });
    expect(s.renders()).toBe(1);
  });

  it('never answers one query with another query’s render', async () => {
    const s = setup();
    const x = s.app.request('/page?q=x');
    const y = s.app.request('/page?q=y');
    expect(await s.release()).toBe(2);
    expect((await read(x)).body).toBe('A x');
    expect((await read(y)).body).toBe('A y');
    // Same query in another order: the same key.
    const both1 = s.app.request('/page?q=z&a=1');
    await s.release();
    await both1;
    expect(await read(s.app.request('/page?a=1&q=z'))).toMatchObject({ body: 'A z', cache: 'hit' });
  });

  it('while the new version renders, answers the previous page (its own ETag) within the stale window; then the new one', async () => {
    const s = setup({ staleMs: 2000 });
    const first = s.app.request('/page');
    await s.release();
    expect(await read(first)).toMatchObject({ body: 'A ', cache: 'miss' });

    s.write('B');
    const leader = s.app.request('/page'); // finds no render in flight: renders B
    const during = await Promise.all([read(s.app.request('/page')), read(s.app.request('/page'))]);
    for (const a of during) {
      expect(a).toMatchObject({ body: 'A ', cache: 'stale' });
      expect(a.etag).toBe(weakEtag('A '));
    }
    expect(await s.release()).toBe(1);
    const fresh = await read(leader);
    expect(fresh).toMatchObject({ body: 'B ', cache: 'miss' });
    expect(fresh.etag).toBe(weakEtag('B '));
    expect(await read(s.app.request('/page'))).toMatchObject({ body: 'B ', cache: 'hit' });
    expect(s.renders()).toBe(2);
  });

  it('past the stale window, requests wait for the render in flight instead of answering the old page', async () => {
    const s = setup({ staleMs: 2000 });
    const first = s.app.request('/page');
    await s.release();
    await first;
    s.write('B');
    const leader = s.app.request('/page');
    await new Promise((r) => setImmediate(r));
    s.clock.t += 2001;
    const late = s.app.request('/page');
    expect(await s.release()).toBe(1);
    expect(await read(late)).toMatchObject({ body: 'B ', cache: 'shared' });
    expect(await read(leader)).toMatchObject({ body: 'B ', cache: 'miss' });
  });

  it('the stale window counts from when the version changed, not from when the path was next asked for', async () => {
    const s = setup({ staleMs: 2000 });
    const first = s.app.request('/page');
    await s.release();
    await first;
    s.write('B');
    // Another path's request sees the new version now; this path is asked for 3 s later.
    await s.app.request('/other');
    s.clock.t += 3000;
    const leader = s.app.request('/page');
    const next = s.app.request('/page');
    await s.release();
    expect(await read(next)).toMatchObject({ body: 'B ', cache: 'shared' });
    await leader;
  });

  it('after a write through this process (bump), never answers a page rendered before it', async () => {
    const s = setup({ staleMs: 60_000 });
    const first = s.app.request('/page');
    await s.release();
    await first;
    s.write('B');
    s.version.bump();
    const leader = s.app.request('/page');
    const next = s.app.request('/page');
    expect(await s.release()).toBe(1);
    expect(await read(next)).toMatchObject({ body: 'B ', cache: 'shared' });
    expect(await read(leader)).toMatchObject({ body: 'B ', cache: 'miss' });
  });

  it('with no stale window, a changed version is never answered from the previous page', async () => {
    const s = setup({ staleMs: 0 });
    const first = s.app.request('/page');
    await s.release();
    await first;
    s.write('B');
    const leader = s.app.request('/page');
    const next = s.app.request('/page');
    await s.release();
    expect((await read(next)).body).toBe('B ');
    expect((await read(leader)).body).toBe('B ');
  });

  it('a render that is not a 200 is not shared: each waiting request renders its own answer', async () => {
    let status = 404;
    const s = setup({ status: () => status });
    const a = s.app.request('/page');
    const b = s.app.request('/page');
    expect(await s.release()).toBe(1);
    expect((await read(a)).status).toBe(404);
    status = 200;
    expect(await s.release()).toBe(1); // b renders after a's 404
    expect(await read(b)).toMatchObject({ status: 200, body: 'A ' });
    expect(s.renders()).toBe(2);
  });

  it('an older version’s render that finishes last does not replace the newer entry', async () => {
    const s = setup({ staleMs: 0 });
    const old = s.app.request('/page'); // renders A
    await new Promise((r) => setImmediate(r));
    s.write('B');
    const newer = s.app.request('/page'); // a different version: renders B alongside
    expect(await s.release(true)).toBe(2); // B finishes first, then A
    expect((await read(newer)).body).toBe('B ');
    expect((await read(old)).body).toBe('A ');
    expect(await read(s.app.request('/page'))).toMatchObject({ body: 'B ', cache: 'hit' });
  });
});

describe('createDataVersion: stale window and bumps', () => {
  it('allows DEFAULT_STALE_MS when it caches the version, none when every request reads it, and counts bumps', async () => {
    let n = 0;
    const cached = createDataVersion(async () => String(++n));
    expect(cached.staleMs).toBe(DEFAULT_STALE_MS);
    expect(createDataVersion(async () => 'x', 0).staleMs).toBe(0);
    expect(createDataVersion(async () => 'x', 1000, Date.now, 500).staleMs).toBe(500);
    expect(cached.bumps).toBe(0);
    const before = await cached.get();
    cached.bump();
    expect(cached.bumps).toBe(1);
    expect(await cached.get()).not.toBe(before);
  });
});
