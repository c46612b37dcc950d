import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { readFeed } from '../../src/reader/read-feed.js';
import { createBeat } from '../../src/beat/beat.js';
import { classifyItem } from '../../src/beat/classify-item.js';
import { ReadPool } from '../../src/runtime/read-pool.js';
import { readAndClassify } from '../../src/runtime/read-task.js';
import { repoRoot } from '../helpers/spawn.js';

// Feeds read on worker threads must come back exactly as the calling thread would have read and
// classified them, errors included.

const fixture = (name: string) => new Uint8Array(readFileSync(path.join(repoRoot, 'test/fixtures/feeds', name)));
const now = new Date('2026-11-25T12:00:00Z');
const beat = createBeat();
const RSS = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Milenio</title><link>https://milenio.example/</link>
<item><title>Extraditan a Estados Unidos a 26 integrantes del Cártel de Sinaloa</title><link>https://milenio.example/1</link>
<description>La FGR trasladó a 26 presuntos integrantes de cárteles a Estados Unidos, el segundo envío masivo del año.</description>
<pubDate>Tue, 24 Nov 2026 15:00:00 GMT</pubDate></item>
<item><title>América vence a Chivas en el Clásico</title><link>https://milenio.example/2</link><description>Futbol mexicano.</description></item>
</channel></rss>`;

describe('ReadPool: feeds read and classified on worker threads', () => {
  const pool = new ReadPool({ threads: 2, maxBytes: 2_000_000, classifier: beat.classify, logger: createLogger('silent') });
  afterAll(() => pool.close());

  it('gives the same items and classifications as reading on the calling thread', async () => {
    await pool.whenReady();
    const before = pool.counts.onThreads;
    for (const [name, bytes, contentType] of [
      ['quirks.rss', fixture('quirks.rss'), 'application/rss+xml'],
      ['xml-base.atom', fixture('xml-base.atom'), 'application/atom+xml'],
      ['feed-1.1.json', fixture('feed-1.1.json'), 'application/feed+json'],
      ['spanish.rss', new TextEncoder().encode(RSS), 'application/rss+xml'],
    ] as const) {
      const opts = { contentType, feedUrl: `https://example.test/${name}`, now };
      const local = await readFeed(bytes.slice(), opts);
      expect(pool.accepts(bytes.byteLength)).toBe(true);
      const pooled = await pool.read(bytes, opts);
      expect(pooled.meta, name).toEqual(local.meta);
      expect(pooled.items, name).toEqual(local.items);
      expect(pooled.classifications, name).toEqual(local.items.map((it) => classifyItem(beat.classify, it)));
    }
    expect(pool.counts.onThreads - before).toBe(4); // read on the threads, not by the fallback
  });

  it('classifies Spanish on-beat and off-beat items on the thread', async () => {
    const r = await pool.read(new TextEncoder().encode(RSS), { contentType: 'application/rss+xml', feedUrl: 'https://milenio.example/rss', now });
    expect(r.classifications!.map((c) => c.relevance)).toEqual(['on_beat', 'off_beat']);
    expect(r.items[1]!.publishedAt).toEqual(now); // no date: first seen, a Date across the thread boundary
  });

  it('a feed that does not parse fails with the same typed error', async () => {
    const html = fixture('html-page.html');
    const local = await readFeed(html.slice(), { contentType: 'text/html', feedUrl: 'https://example.test/page', now }).catch((e: unknown) => e);
    const pooled = await pool.read(html, { contentType: 'text/html', feedUrl: 'https://example.test/page', now }).catch((e: unknown) => e);
    expect(pooled).toMatchObject({ name: 'AppError', code: (local as { code: string }).code, message: (local as Error).message });
  });

  it('many reads at once are spread over the threads; large bodies and a pool without threads stay on the caller', async () => {
    const reads = Array.from({ length: 40 }, (_, i) =>
      pool.read(new TextEncoder().encode(RSS.replaceAll('milenio.example/1', `milenio.example/${i}`)), { contentType: null, feedUrl: `https://m.example/${i}`, now }),
    );
    const done = await Promise.all(reads);
    expect(done.map((r) => r.items[0]!.url)).toEqual(Array.from({ length: 40 }, (_, i) => `https://milenio.example/${i}`));
    expect(pool.accepts(2_000_001)).toBe(false);
    expect(new ReadPool({ threads: 0, maxBytes: 2_000_000, classifier: null, logger: createLogger('silent') }).accepts(10)).toBe(false);
  });

  it('feeds that come while the threads are loading wait for them, and read the same as on the calling thread', async () => {
    const fresh = new ReadPool({ threads: 1, maxBytes: 2_000_000, classifier: beat.classify, logger: createLogger('silent') });
    try {
      const bytes = new TextEncoder().encode(RSS);
      const opts = { contentType: null, feedUrl: 'https://milenio.example/rss', now };
      const early = await fresh.read(bytes.slice(), opts);
      expect(fresh.counts).toEqual({ onThreads: 1, inProcess: 0 });
      expect(early).toEqual(await readAndClassify(bytes.slice(), opts, beat.classify));
    } finally {
      await fresh.close();
    }
  });

  it('threads that take longer than loadWaitMs to load are read around on the calling thread', async () => {
    const entry = pathToFileURL(path.join(repoRoot, 'test/helpers/never-loading-read-worker.ts')).href;
    const stuck = new ReadPool({ threads: 1, maxBytes: 2_000_000, classifier: beat.classify, logger: createLogger('silent'), entry, loadWaitMs: 200 });
    try {
      const bytes = new TextEncoder().encode(RSS);
      const r = await stuck.read(bytes.slice(), { contentType: null, feedUrl: 'https://milenio.example/rss', now });
      expect(r.classifications!.map((c) => c.relevance)).toEqual(['on_beat', 'off_beat']);
      expect(stuck.counts).toEqual({ onThreads: 0, inProcess: 1 });
    } finally {
      await stuck.close();
    }
  });

  it('closing while the threads are still loading warns of nothing (the pool went away; no thread failed)', async () => {
    const warnings: unknown[] = [];
    const logger = { ...createLogger('silent'), warn: (o: unknown) => warnings.push(o), info: () => {} } as unknown as ReturnType<typeof createLogger>;
    const quick = new ReadPool({ threads: 1, maxBytes: 2_000_000, classifier: beat.classify, logger });
    const loading = quick.whenReady(); // starts the threads
    await quick.close();
    await loading;
    await new Promise((r) => setTimeout(r, 300));
    expect(warnings).toEqual([]);
  });

  it('a thread that dies fails only the feed it held, and is replaced', async () => {
    const entry = pathToFileURL(path.join(repoRoot, 'test/helpers/crashing-read-worker.ts')).href;
    const crashing = new ReadPool({ threads: 1, maxBytes: 2_000_000, classifier: beat.classify, logger: createLogger('silent'), entry });
    try {
      await crashing.whenReady();
      const opts = (feedUrl: string) => ({ contentType: null, feedUrl, now });
      const lost = await crashing.read(new TextEncoder().encode(RSS), opts('https://milenio.example/crash')).catch((e: unknown) => e);
      expect(lost).toMatchObject({ name: 'AppError', code: 'internal', retryable: true });
      expect(String((lost as Error).message)).toMatch(/reader thread failed/);
      const next = await crashing.read(new TextEncoder().encode(RSS), opts('https://milenio.example/rss'));
      expect(next.classifications!.map((c) => c.relevance)).toEqual(['on_beat', 'off_beat']);
      expect(crashing.counts).toEqual({ onThreads: 2, inProcess: 0 });
      expect(crashing.accepts(10)).toBe(true);
    } finally {
      await crashing.close();
    }
  });

  it('where threads cannot load their code, feeds are read on the calling thread, none lost', async () => {
    const broken = new ReadPool({ threads: 1, maxBytes: 2_000_000, classifier: beat.classify, logger: createLogger('silent'), entry: 'file:///nonexistent/read-worker.ts' });
    try {
      const bytes = new TextEncoder().encode(RSS);
      const reads = await Promise.all([1, 2, 3].map(() => broken.read(bytes.slice(), { contentType: null, feedUrl: 'https://milenio.example/rss', now })));
      for (const r of reads) expect(r.classifications!.map((c) => c.relevance)).toEqual(['on_beat', 'off_beat']);
      expect(broken.counts).toEqual({ onThreads: 0, inProcess: 3 });
      await broken.whenReady(); // settles on the thread's failure
      expect(broken.accepts(10)).toBe(false); // from now on callers read in-process themselves
    } finally {
      await broken.close();
    }
  });
});
