// The feed farm: N feeds × M items on loopback HTTP, each feed on its own host so per-host politeness
// applies per feed as it does on the real web. Conditional GET (ETag / Last-Modified → 304), optional
// latency, feeds that grow between requests, gzip when asked, and ~10% syndicated wire copies.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { feedInfo, farmItem, loadTextPools, renderFeed, type FarmItem, type FarmSpec, type FeedInfo } from './build.js';

export interface FeedFarmOptions {
  feeds: number;
  itemsPerFeed: number;
  seed?: number;
  /** Delay before each response, ms (default 0). */
  latencyMs?: number;
  /** A feed gains one item every `growEvery` requests it serves (0/undefined: never). */
  growEvery?: number;
  syndicatedShare?: number;
  spanishShare?: number;
  contentBytes?: number;
  baseDate?: Date;
  /**
   * 'addresses': feed i listens on its own loopback address 127.0.x.y, same port (Linux answers on all of
   * 127.0.0.0/8). 'ports': every feed on 127.0.0.1 with its own port. 'single': one listener (one host).
   * Default: addresses when the OS allows it, else ports.
   */
  hosts?: 'addresses' | 'ports' | 'single';
  /** Port for 'addresses' / 'single' (0: any free one). */
  port?: number;
  /** Serve gzip to clients that accept it (default true, as most news sites do). */
  gzip?: boolean;
  /**
   * Build (and gzip) every feed before listening (default true), so the farm's own CPU does not compete
   * with the client under test on a small machine, and the first client is not penalised vs the second.
   */
  prerender?: boolean;
}

export interface FeedFarm {
  /** Feed URLs, index = feed number. */
  urls: string[];
  /** Requests per feed since start or the last resetHits(). */
  hits: number[];
  stats: { requests: number; ok: number; notModified: number; bytes: number };
  hostMode: 'addresses' | 'ports' | 'single';
  spec: FarmSpec;
  feedInfo(i: number): FeedInfo;
  /** Items feed i currently serves (newest first). */
  itemsOf(i: number): FarmItem[];
  /** Total distinct items served so far (what a full ingest should see). */
  itemCount(): number;
  resetHits(): void;
  /** Adds one item to every feed (or to the given ones): their ETag changes. */
  grow(indices?: number[]): void;
  close(): Promise<void>;
}

interface FeedState {
  info: FeedInfo;
  count: number;
  requests: number;
  cache: { count: number; etag: string; lastModified: string; updatedMs: number; body: Buffer; gz: Buffer | null; type: string } | null;
}

function addressFor(i: number): string {
  // 127.0.1.1 … : skip .0 and .255 in the last octet; 250 feeds per /24.
  return `127.${Math.floor(i / 62500)}.${1 + (Math.floor(i / 250) % 250)}.${1 + (i % 250)}`;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen({ port, host, backlog: 511 }, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function canBindAlias(): Promise<boolean> {
  const s = http.createServer();
  try {
    await listen(s, 0, '127.0.1.1');
    return true;
  } catch {
    return false;
  } finally {
    s.close();
  }
}

export async function startFeedFarm(opts: FeedFarmOptions): Promise<FeedFarm> {
  const spec: FarmSpec = {
    feeds: opts.feeds,
    itemsPerFeed: opts.itemsPerFeed,
    seed: opts.seed ?? 1,
    syndicatedShare: opts.syndicatedShare ?? 0.1,
    spanishShare: opts.spanishShare ?? 0.3,
    contentBytes: opts.contentBytes ?? 0,
    baseDate: opts.baseDate ?? new Date('2026-11-20T12:00:00Z'),
  };
  const pools = loadTextPools(spec.seed);
  const latency = opts.latencyMs ?? 0;
  const growEvery = opts.growEvery ?? 0;
  const useGzip = opts.gzip ?? true;
  const hostMode = opts.hosts ?? (opts.feeds > 1 && (await canBindAlias()) ? 'addresses' : opts.feeds > 1 ? 'ports' : 'single');

  const feeds: FeedState[] = Array.from({ length: spec.feeds }, (_, i) => ({ info: feedInfo(spec, i), count: spec.itemsPerFeed, requests: 0, cache: null }));
  const hits = new Array<number>(spec.feeds).fill(0);
  const stats = { requests: 0, ok: 0, notModified: 0, bytes: 0 };
  const urls: string[] = new Array(spec.feeds);

  const render = (i: number) => {
    const f = feeds[i]!;
    if (f.cache && f.cache.count === f.count) return f.cache;
    const { body, updated } = renderFeed(spec, pools, f.info, f.count, urls[i]!);
    const buf = Buffer.from(body, 'utf8');
    f.cache = {
      count: f.count,
      etag: `"f${i}-s${spec.seed}-n${f.count}"`,
      lastModified: updated.toUTCString(),
      updatedMs: Math.floor(updated.getTime() / 1000) * 1000,
      body: buf,
      gz: useGzip ? zlib.gzipSync(buf, { level: 6 }) : null,
      type: f.info.format === 'rss' ? 'application/rss+xml; charset=utf-8' : 'application/atom+xml; charset=utf-8',
    };
    return f.cache;
  };

  const handler: http.RequestListener = (req, res) => {
    const m = req.url?.match(/^\/feed\/(\d+)\.xml$/);
    const i = m ? Number(m[1]) : -1;
    if (!m || i >= spec.feeds) {
      if (req.url === '/urls.txt') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(urls.join('\n') + '\n');
        return;
      }
      res.writeHead(404).end('not found');
      return;
    }
    const f = feeds[i]!;
    hits[i]!++;
    stats.requests++;
    f.requests++;
    if (growEvery > 0 && f.requests % growEvery === 0) f.count++;
    const c = render(i);
    const respond = () => {
      const inm = req.headers['if-none-match'];
      const ims = req.headers['if-modified-since'];
      // RFC 9110 §13.1.3: If-None-Match wins; If-Modified-Since only when there is no If-None-Match.
      const fresh = inm !== undefined ? inm.split(',').some((t) => t.trim() === c.etag || t.trim() === '*') : ims !== undefined && Date.parse(ims) >= c.updatedMs;
      const common = { etag: c.etag, 'last-modified': c.lastModified, 'cache-control': 'max-age=0' };
      if (fresh) {
        stats.notModified++;
        res.writeHead(304, common).end();
        return;
      }
      stats.ok++;
      const gz = c.gz && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      const body = gz ? c.gz! : c.body;
      stats.bytes += body.length;
      res.writeHead(200, { ...common, 'content-type': c.type, 'content-length': body.length, vary: 'accept-encoding', ...(gz ? { 'content-encoding': 'gzip' } : {}) });
      res.end(body);
    };
    if (latency > 0) setTimeout(respond, latency);
    else respond();
  };

  const servers: http.Server[] = [];
  const newServer = () => {
    const s = http.createServer({ keepAliveTimeout: 30_000 }, handler);
    servers.push(s);
    return s;
  };
  try {
    if (hostMode === 'single') {
      const port = await listen(newServer(), opts.port ?? 0, '127.0.0.1');
      for (let i = 0; i < spec.feeds; i++) urls[i] = `http://127.0.0.1:${port}/feed/${i}.xml`;
    } else if (hostMode === 'addresses') {
      let port = opts.port ?? 0;
      for (let i = 0; i < spec.feeds; i++) {
        const host = addressFor(i);
        port = await listen(newServer(), port, host);
        urls[i] = `http://${host}:${port}/feed/${i}.xml`;
      }
    } else {
      for (let i = 0; i < spec.feeds; i++) {
        const port = await listen(newServer(), 0, '127.0.0.1');
        urls[i] = `http://127.0.0.1:${port}/feed/${i}.xml`;
      }
    }
  } catch (e) {
    for (const s of servers) s.close();
    throw e;
  }

  if (opts.prerender ?? true) for (let i = 0; i < spec.feeds; i++) render(i);

  return {
    urls,
    hits,
    stats,
    hostMode,
    spec,
    feedInfo: (i) => feeds[i]!.info,
    itemsOf: (i) => {
      const f = feeds[i]!;
      const out: FarmItem[] = [];
      for (let k = f.count - 1; k >= Math.max(0, f.count - spec.itemsPerFeed); k--) out.push(farmItem(spec, pools, f.info, k));
      return out;
    },
    itemCount: () => feeds.reduce((n, f) => n + f.count, 0),
    resetHits: () => {
      hits.fill(0);
      Object.assign(stats, { requests: 0, ok: 0, notModified: 0, bytes: 0 });
    },
    grow: (indices) => {
      for (const i of indices ?? feeds.map((_, j) => j)) feeds[i]!.count++;
    },
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            }),
        ),
      );
    },
  };
}
