// A small feed farm for the process-level reliability tests: N feeds on the fault server's sibling (a plain
// loopback feed server), each with its own items plus one wire story every feed carries (cross-feed dedup
// under crashes), served with random latency so workers really are mid-flight when something fails. And
// the integrity check every crash test ends with.
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import { rss, type FeedServer } from '../helpers/feed-server.js';

export interface Farm {
  feeds: number;
  ownItems: number;
  urls: string[];
  /** Articles a complete ingest stores: every own item plus the one wire story. */
  expectedArticles: number;
  /** source_items rows: every item of every feed. */
  expectedLinks: number;
}

export function mountFarm(srv: FeedServer, opts: { feeds: number; ownItems: number; minLatencyMs: number; maxLatencyMs: number; prefix?: string }): Farm {
  const prefix = opts.prefix ?? '/farm';
  const wire = { guid: 'wire-1', title: 'Wire: troops deployed along the border', link: 'https://wire.example/troops' };
  const urls: string[] = [];
  for (let i = 0; i < opts.feeds; i++) {
    const items = [wire, ...Array.from({ length: opts.ownItems }, (_, k) => ({ guid: `f${i}-${k}`, title: `Outlet ${i} story ${k}`, link: `https://o${i}.example/s/${k}`, description: `Story ${k} of outlet ${i}.` }))];
    const body = rss(`Outlet ${i}`, items);
    srv.route(`${prefix}/${i}`, async (_q, res) => {
      await new Promise((r) => setTimeout(r, opts.minLatencyMs + Math.random() * (opts.maxLatencyMs - opts.minLatencyMs)));
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: `"${i}"` }).end(body);
    });
    urls.push(srv.url(`${prefix}/${i}`));
  }
  return { feeds: opts.feeds, ownItems: opts.ownItems, urls, expectedArticles: 1 + opts.feeds * opts.ownItems, expectedLinks: opts.feeds * (opts.ownItems + 1) };
}

export interface Integrity {
  articles: number;
  links: number;
  dupDedupKeys: number;
  dupCanonicalUrls: number;
  orphanArticles: number;
  missingItems: number;
  leasedSources: number;
  unfetchedSources: number;
  itemsStoredTotal: number;
}

/** One query over everything a crash could leave half-done. */
export async function integrity(db: Db, farm: Farm): Promise<Integrity> {
  const expectedGuids = ['wire-1', ...Array.from({ length: farm.feeds }, (_, i) => Array.from({ length: farm.ownItems }, (_, k) => `f${i}-${k}`)).flat()];
  const r = await sql<Integrity>`
    SELECT
      (SELECT count(*) FROM articles)::int AS articles,
      (SELECT count(*) FROM source_items)::int AS links,
      (SELECT count(*) FROM (SELECT dedup_key FROM articles GROUP BY 1 HAVING count(*) > 1) d)::int AS "dupDedupKeys",
      (SELECT count(*) FROM (SELECT canonical_url FROM articles WHERE canonical_url IS NOT NULL GROUP BY 1 HAVING count(*) > 1) d)::int AS "dupCanonicalUrls",
      (SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM source_items s WHERE s.article_id = a.id))::int AS "orphanArticles",
      (SELECT count(*) FROM unnest(${expectedGuids}::text[]) g WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.guid = g))::int AS "missingItems",
      (SELECT count(*) FROM sources WHERE lease_until IS NOT NULL)::int AS "leasedSources",
      (SELECT count(*) FROM sources WHERE last_success_at IS NULL)::int AS "unfetchedSources",
      (SELECT coalesce(sum(items_stored), 0) FROM sources)::int AS "itemsStoredTotal"`.execute(db);
  return r.rows[0]!;
}

/** What a complete, consistent ingest of the farm looks like. */
export function complete(farm: Farm): Integrity {
  return {
    articles: farm.expectedArticles,
    links: farm.expectedLinks,
    dupDedupKeys: 0,
    dupCanonicalUrls: 0,
    orphanArticles: 0,
    missingItems: 0,
    leasedSources: 0,
    unfetchedSources: 0,
    // items_stored is bumped in the same transaction as the inserts: a crash cannot make them disagree.
    itemsStoredTotal: farm.expectedLinks,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (done(last)) return last;
    } catch (e) {
      lastError = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value ${JSON.stringify(last)}${lastError ? `, last error ${(lastError as Error).message}` : ''}`);
}
