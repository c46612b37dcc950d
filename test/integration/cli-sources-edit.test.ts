import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sourcesFilterCommand, sourcesOutletCommand } from '../../src/cli/sources.command.js';
import type { Deps } from '../../src/deps.js';
import { addSources, getSource } from '../../src/services/sources.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';
import { TestClock } from '../helpers/deps.js';

// `sources filter` and `sources outlet` edit through the sources service (the API's PATCH rules), in process.
describe(`cli sources filter / outlet (${dbKind})`, () => {
  let t: TestDb;
  const clock = new TestClock();
  const out: string[] = [];
  const withDeps = <T>(fn: (deps: Deps) => Promise<T>) => fn({ db: t.db, clock: clock.now } as Deps);

  beforeAll(async () => {
    t = await createTestDb();
    vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
    vi.spyOn(console, 'error').mockImplementation((s: string) => void out.push(s));
  });
  afterEach(() => {
    out.length = 0;
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await t?.close();
  });

  it('sets, shows and clears a filter; a missing source exits 1', async () => {
    const [s] = (await addSources(t.db, [{ url: 'https://www.cbp.example/newsroom/rss' }], clock.now())).added;
    const id = String(s!.id);

    expect(await sourcesFilterCommand([id, '--link-includes', '/national-media-release/'], withDeps)).toBe(0);
    expect(out.pop()).toBe(`source ${id} filter: link includes /national-media-release/`);
    expect((await getSource(t.db, s!.id))!.itemFilter).toEqual({ linkIncludes: ['/national-media-release/'] });

    expect(await sourcesFilterCommand([id], withDeps)).toBe(0);
    expect(out.pop()).toContain('link includes /national-media-release/');

    expect(await sourcesFilterCommand([id, '--clear'], withDeps)).toBe(0);
    expect(out.pop()).toBe(`source ${id} filter: none (every item is kept)`);
    expect((await getSource(t.db, s!.id))!.itemFilter).toBeNull();

    expect(await sourcesFilterCommand(['999', '--clear'], withDeps)).toBe(1);
    expect(out.pop()).toBe('error: no source 999');
  });

  it("names an outlet, clears it back to the feed's domain, and refuses a name over 200 characters", async () => {
    const [s] = (await addSources(t.db, [{ url: 'https://feeds.reuters.example/world' }], clock.now())).added;
    const id = String(s!.id);

    expect(await sourcesOutletCommand([id, '  Reuters ', ' World'], withDeps)).toBe(0);
    expect(out.pop()).toBe(`source ${id} outlet: Reuters World`);

    expect(await sourcesOutletCommand([id, '--clear'], withDeps)).toBe(0);
    expect(out.pop()).toBe(`source ${id} outlet: reuters.example (its feed's domain)`);
    expect((await getSource(t.db, s!.id))!.outlet).toBeNull();

    await expect(sourcesOutletCommand([id, 'x'.repeat(201)], withDeps)).rejects.toMatchObject({ code: 'invalid_parameter' });
    expect(await sourcesOutletCommand(['999', 'Nobody'], withDeps)).toBe(1);
  });
});
