import os from 'node:os';
import { isDatabaseUnavailable, type Db } from '../../db/client.js';
import {
  findSourceItems,
  insertArticlesAndLinks,
  linkItemsToArticles,
  updateArticleContent,
  type NewArticle,
  type NewSourceItem,
  type StoredItemRef,
} from '../../db/repositories/articles.repository.js';
import { claimDueSources, lockSourceForStore, markFetchFailed, markFetchSucceeded } from '../../db/repositories/sources.repository.js';
import type { Config } from '../config.js';
import { articleDedupKey, contentHash, effectiveCanonicalUrl, sourceItemKey } from '../dedup/item-keys.js';
import { AppError, isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Classification, NormalizedItem, Source } from '../model/types.js';
import { fetchFeed, redactUrl } from '../reader/fetch-feed.js';
import { applyItemFilter } from '../reader/item-filter.js';
import { outletDomainOfFeed } from '../reader/outlet.js';
import { openFeed } from '../reader/read-feed.js';
import { classifyItem } from '../beat/classify-item.js';
import { HostLimiter, Semaphore } from '../runtime/limiter.js';
import { NotModifiedBatch } from './not-modified-batch.js';
import type { ReadPool } from '../runtime/read-pool.js';
import { groupBy } from '../lib/collections.js';
import { nextCheckAfterError, nextCheckAfterSuccess } from '../sources/polling-policy.js';

export type Classify = (input: { title: string; text: string; lang?: string | null }) => Classification;

/**
 * Event clustering, off the feed's transaction (src/services/cluster-scheduler.ts): `kick` after a
 * commit that stored clusterable articles (they are placed in the background, many feeds per
 * transaction), `settle` at the end of a pass (everything pending is placed before the pass returns).
 */
export interface Clustering {
  kick(): void;
  settle(): Promise<unknown>;
}

export interface StoredArticle {
  id: number;
  sourceId: number;
  item: NormalizedItem;
  classification: Classification | null;
}

export interface RefreshDeps {
  db: Db;
  config: Config;
  logger: Logger;
  clock: () => Date;
  classify?: Classify | undefined;
  clustering?: Clustering | undefined;
  /** Worker threads that read and classify feeds (else the calling thread does). */
  readPool?: ReadPool | undefined;
}

export interface SourceOutcome {
  sourceId: number;
  url: string;
  outcome: 'ok' | 'not_modified' | 'error';
  itemsSeen: number;
  /** Items the source's filter dropped (neither classified nor stored). */
  itemsFiltered: number;
  created: number;
  linked: number;
  updated: number;
  errorCode: string | null;
  durationMs: number;
}

export interface StoreCounts {
  created: number;
  linked: number;
  updated: number;
  unchanged: number;
  createdArticles: StoredArticle[];
}

/** The classification of one item: the beat's classifier over its title, summary and categories. */
export type ItemClassifier = (item: NormalizedItem) => Classification | null;

export function classifierFor(classify: Classify | undefined): ItemClassifier {
  return classify ? (item) => classifyItem(classify, item) : () => null;
}

/**
 * Rows per statement. Columns are bound as arrays, so no parameter limit applies, but a feed of a few thousand
 * items (seen in the wild: archives that never prune) still gets statements of bounded size.
 */
const STORE_CHUNK = 1000;

function chunked<T>(rows: T[], size = STORE_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Stores one feed's items: each item once per source (item key), each story once across
 * sources (dedup key). Idempotent: a re-fetch creates nothing, an edited item is updated.
 * The caller owns the transaction.
 */
export async function storeFeedItems(
  trx: Db,
  sourceId: number,
  items: NormalizedItem[],
  classify: ItemClassifier,
  now: Date,
  opts: { noneStored?: boolean } = {},
): Promise<StoreCounts> {
  const byKey = uniqueByItemKey(items);
  const known = new Map<string, StoredItemRef>();
  if (!opts.noneStored) for (const part of chunked([...byKey.keys()])) for (const [k, v] of await findSourceItems(trx, sourceId, part)) known.set(k, v);

  const plan = planItems(byKey, known, sourceId, classify);
  const counts: StoreCounts = { created: 0, linked: 0, updated: plan.edited.length, unchanged: plan.unchanged, createdArticles: [] };
  for (const e of plan.edited) await updateArticleContent(trx, e.articleId, e, { sourceId, itemKey: e.itemKey }, now);

  // Two items of one feed may share a dedup key (same URL, two GUIDs): the article is inserted once (from
  // the last of them), both items link to it. A chunk holds whole groups, so each item's article is in its statement.
  for (const groups of chunked([...groupBy(plan.fresh, (f) => f.dedupKey).values()])) {
    const articles = groups.map((g) => g[g.length - 1]!);
    const items = groups.flat();
    const { created, unseen } = await insertArticlesAndLinks(trx, sourceId, articles, items, now);
    // Rare: another worker committed one of these stories while this statement ran.
    if (unseen.length) await linkItemsToArticles(trx, sourceId, items.filter((f) => unseen.includes(f.dedupKey)), now);
    collectCreated(articles, created, sourceId, counts.createdArticles);
  }
  counts.created = counts.createdArticles.length;
  counts.linked = plan.fresh.length - counts.created;
  return counts;
}

// The per-item loops of storeFeedItems are plain functions: V8 optimizes a hot loop's whole function, and
// an async function is large and resumed in many states (it was re-optimized several times per pass).

/** One entry per item key: feeds do repeat items. */
function uniqueByItemKey(items: NormalizedItem[]): Map<string, NormalizedItem> {
  const byKey = new Map<string, NormalizedItem>();
  for (const it of items) {
    const key = sourceItemKey(it);
    if (!byKey.has(key)) byKey.set(key, it);
  }
  return byKey;
}

type EditedItem = Omit<NewArticle, 'dedupKey' | 'sourceId'> & { articleId: number; itemKey: string };

/** What each item needs: nothing (stored, unchanged), an update (stored, edited), or an insert. */
function planItems(byKey: Map<string, NormalizedItem>, known: Map<string, StoredItemRef>, sourceId: number, classify: ItemClassifier) {
  const fresh: Array<NewArticle & NewSourceItem> = [];
  const edited: EditedItem[] = [];
  let unchanged = 0;
  for (const [itemKey, item] of byKey) {
    const hash = contentHash(item);
    const prev = known.get(itemKey);
    if (prev && prev.contentHash === hash) {
      unchanged++;
      continue;
    }
    const canonicalUrl = effectiveCanonicalUrl(item);
    const classification = classify(item);
    if (prev) edited.push({ articleId: prev.articleId, itemKey, item, canonicalUrl, contentHash: hash, classification });
    else fresh.push({ itemKey, dedupKey: articleDedupKey(item, sourceId), canonicalUrl, item, contentHash: hash, sourceId, classification });
  }
  return { fresh, edited, unchanged };
}

function collectCreated(articles: NewArticle[], created: Map<string, number>, sourceId: number, out: StoredArticle[]): void {
  for (const a of articles) {
    const id = created.get(a.dedupKey);
    if (id !== undefined) out.push({ id, sourceId, item: a.item, classification: a.classification });
  }
}

/**
 * Fetches one claimed source and records the outcome on it; never throws for feed problems. With `notModified`
 * (a pass's batch), a plain 304 is recorded with the batch's next write rather than by a statement of its own.
 */
export async function refreshSource(deps: RefreshDeps, source: Source, notModified?: NotModifiedBatch): Promise<SourceOutcome> {
  const { db, config, logger } = deps;
  const started = Date.now();
  const now = deps.clock();
  const base = { sourceId: source.id, url: source.url, itemsSeen: 0, itemsFiltered: 0, created: 0, linked: 0, updated: 0 };
  try {
    const res = await fetchFeed(source.url, { etag: source.etag, lastModified: source.lastModified }, config.fetch, now);
    if (res.kind === 'not_modified') {
      const nextCheckAt = nextCheckAfterSuccess(now, { freshForSeconds: res.freshForSeconds, ttlMinutes: source.ttlMinutes, updateIntervalMinutes: null }, config.schedule);
      if (notModified && res.permanentRedirect === null) notModified.add({ sourceId: source.id, nextCheckAt, at: now });
      else {
        await markFetchSucceeded(
          db,
          source,
          {
            status: 304,
            notModified: true,
            etag: null,
            lastModified: null,
            nextCheckAt,
            ttlMinutes: null,
            itemsStored: 0,
            permanentRedirect: res.permanentRedirect,
            redirectConfirmations: config.schedule.redirectConfirmations,
            feedTitle: null,
            feedLink: null,
          },
          now,
        );
      }
      return { ...base, outcome: 'not_modified', errorCode: null, durationMs: Date.now() - started };
    }

    // The body is handed over, not kept in this function's frame: for a large feed that is tens of MB
    // that would otherwise stay alive through the store.
    const body = takeBody(res);
    const readOpts = { contentType: res.contentType, feedUrl: res.finalUrl, now, itemFilter: source.itemFilter };
    const pooled = deps.readPool?.accepts(body.byteLength) ? await deps.readPool.read(body, readOpts) : null;
    const feed = pooled ? { meta: pooled.meta, windows: [pooled.items] } : await openFeed(body, readOpts);
    // Items the threads classified with this very classifier are not classified again.
    const classified =
      pooled?.classifications && deps.readPool!.classifiesLike(deps.classify) ? new Map(pooled.items.map((it, i) => [it, pooled.classifications![i]!])) : null;
    const own = classifierFor(deps.classify);
    const classify: ItemClassifier = classified ? (item) => classified.get(item) ?? own(item) : own;
    let itemsSeen = 0;
    // The threads filter before they classify; a feed read here is filtered window by window, before its store.
    let itemsFiltered = pooled?.filtered ?? 0;
    let clusterable = 0;
    const counts = await db.transaction().execute(async (trx) => {
      // Held until commit: a removal of this source waits for the store instead of leaving orphan items.
      const locked = await lockSourceForStore(trx, source.id);
      if (!locked) throw new AppError('not_found', `source ${source.id} was removed during its refresh`);
      // A large feed is parsed window by window inside the transaction and each window stored as it comes,
      // so memory holds one window, not the document; the feed is still stored all or nothing.
      const c: StoreCounts = { created: 0, linked: 0, updated: 0, unchanged: 0, createdArticles: [] };
      // A source never fetched successfully has no items stored (they commit with the success), so its
      // first window has nothing to look up; later windows may repeat the first's items. Asked of the locked row,
      // not of the claimed Source: another worker may have stored the feed since (its lease ran out meanwhile),
      // and its items would be counted again as linked.
      let noneStored = locked.lastSuccessAt === null;
      for await (const window of feed.windows) {
        const { items, filtered } = pooled ? { items: window, filtered: 0 } : applyItemFilter(window, source.itemFilter);
        itemsFiltered += filtered;
        itemsSeen += items.length;
        const w = await storeFeedItems(trx, source.id, items, classify, now, { noneStored });
        noneStored = false;
        c.created += w.created;
        c.linked += w.linked;
        c.updated += w.updated;
        c.unchanged += w.unchanged;
        // Off-beat articles are never clustered.
        for (const a of w.createdArticles) if (a.classification?.relevance !== 'off_beat') clusterable++;
      }
      await markFetchSucceeded(
        trx,
        source,
        {
          status: res.status,
          notModified: false,
          etag: res.etag,
          lastModified: res.lastModified,
          nextCheckAt: nextCheckAfterSuccess(
            now,
            { freshForSeconds: res.freshForSeconds, ttlMinutes: feed.meta.ttlMinutes, updateIntervalMinutes: feed.meta.updateIntervalMinutes },
            config.schedule,
          ),
          ttlMinutes: feed.meta.ttlMinutes,
          itemsStored: c.created + c.linked,
          contentChanged: c.created + c.linked + c.updated > 0,
          permanentRedirect: res.permanentRedirect,
          redirectConfirmations: config.schedule.redirectConfirmations,
          feedTitle: feed.meta.title,
          feedLink: feed.meta.link,
          itemsFiltered,
          outletDomain: outletDomainOfFeed(source.url),
        },
        now,
      );
      return c;
    });
    const outcome: SourceOutcome = {
      ...base,
      itemsSeen,
      itemsFiltered,
      created: counts.created,
      linked: counts.linked,
      updated: counts.updated,
      outcome: 'ok',
      errorCode: null,
      durationMs: Date.now() - started,
    };
    if (clusterable) deps.clustering?.kick();
    logger.debug({ event: 'feed_refreshed', source_id: source.id, items: itemsSeen, items_filtered: itemsFiltered, created: counts.created, duration_ms: outcome.durationMs });
    return outcome;
  } catch (e) {
    if (!isAppError(e) && isDatabaseUnavailable(e)) {
      // The database failed, not the feed: recording an error would back a healthy feed off for minutes (and
      // usually fails too). The lease expires after LEASE_SECONDS and a later pass fetches the feed again.
      logger.error({ event: 'feed_store_db_unavailable', source_id: source.id, message: (e as Error).message });
      return { ...base, outcome: 'error', errorCode: 'db_unavailable', durationMs: Date.now() - started };
    }
    const err = isAppError(e) ? e : new AppError('internal', e instanceof Error ? e.message : String(e), { cause: e, retryable: true });
    const status = typeof err.details?.status === 'number' ? err.details.status : null;
    const retryAfter = typeof err.details?.retryAfterSeconds === 'number' ? err.details.retryAfterSeconds : null;
    logger.warn({ event: 'feed_failed', source_id: source.id, url: redactUrl(source.url), code: err.code, message: err.message });
    try {
      await markFetchFailed(
        db,
        source.id,
        {
          status,
          code: err.code,
          message: err.message,
          retire: err.code === 'fetch_gone',
          nextCheckAt: nextCheckAfterError(now, source.errorCount + 1, retryAfter, config.schedule),
        },
        now,
      );
    } catch (dbErr) {
      // The database itself is failing: the lease expires and another pass retries the feed.
      logger.error({ event: 'record_failure_failed', source_id: source.id, message: (dbErr as Error).message });
    }
    return { ...base, outcome: 'error', errorCode: err.code, durationMs: Date.now() - started };
  }
}

export interface RefreshPassOptions {
  owner?: string;
  onlyIds?: number[];
  /** Stop claiming new work (SIGTERM); what is in flight finishes. */
  signal?: AbortSignal;
  onOutcome?: (o: SourceOutcome, done: number, claimed: number) => void;
  /** Claim batches until nothing is due (default), or one batch only. */
  untilIdle?: boolean;
}

export function workerId(): string {
  return `${os.hostname()}:${process.pid}`;
}

/**
 * One refresh pass: claim due sources in batches (leased, so N processes share them) and
 * fetch them under the global and per-host limits.
 */
export async function refreshDueSources(deps: RefreshDeps, opts: RefreshPassOptions = {}): Promise<SourceOutcome[]> {
  const owner = opts.owner ?? workerId();
  const global = new Semaphore(deps.config.fetch.concurrency);
  const hosts = new HostLimiter(deps.config.fetch.hostMinIntervalMs);
  const outcomes: SourceOutcome[] = [];
  const inflight = new Set<Promise<void>>();
  const notModified = new NotModifiedBatch(deps.db, deps.logger);
  let claimedTotal = 0;
  for (;;) {
    if (opts.signal?.aborted) break;
    let claimed: Source[];
    try {
      claimed = await claimDueSources(deps.db, {
        now: deps.clock(),
        limit: deps.config.refreshBatchSize,
        leaseSeconds: deps.config.leaseSeconds,
        owner,
        ...(opts.onlyIds ? { onlyIds: opts.onlyIds } : {}),
      });
    } catch (e) {
      // A claim that fails (the database went away mid-pass) ends the pass, but only once the feeds already
      // claimed are done: the scheduler starts the next pass when this one settles, and feeds left running
      // behind it would overlap that pass, which claims them again once their lease expires (the same feed
      // stored twice, from a Source read before the first store: its items counted twice in items_stored).
      await Promise.allSettled(inflight);
      await notModified.flush();
      throw e;
    }
    if (claimed.length === 0) break;
    claimedTotal += claimed.length;
    for (const s of claimed) {
      const p: Promise<void> = hosts
        .run(hostOf(s.url), () =>
          global.run(async () => {
            const o = await refreshSource(deps, s, notModified);
            outcomes.push(o);
            opts.onOutcome?.(o, outcomes.length, claimedTotal);
          }),
        )
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    if (opts.untilIdle === false) break;
    // Claim the next batch when the queue runs low, not when the whole batch is done: one slow feed
    // must not idle the other slots at every batch boundary. A worker holds leases on at most one
    // batch plus this margin, so its claims stay well inside LEASE_SECONDS.
    while (inflight.size > 2 * deps.config.fetch.concurrency) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  await notModified.flush();
  // Every article this pass stored gets its story before the pass returns (and what a crash left
  // unplaced before it). A failure loses nothing: the articles stay pending for the next drain.
  await deps.clustering?.settle().catch((e: unknown) =>
    deps.logger.warn({ event: 'cluster_deferred', message: e instanceof Error ? e.message : String(e) }),
  );
  return outcomes;
}

function takeBody(res: { body: Uint8Array }): Uint8Array {
  const body = res.body;
  res.body = new Uint8Array(0);
  return body;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
