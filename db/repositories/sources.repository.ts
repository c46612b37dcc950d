import { sql } from 'kysely';
import type { ItemFilterSpec } from '../../src/model/types.js';
import type { Source, SourceVerification } from '../../src/model/types.js';
import type { Db } from '../client.js';
import type { SourceRow } from '../schema.js';

function toSource(r: SourceRow): Source {
  return {
    id: r.id,
    url: r.url,
    name: r.name,
    lang: r.lang,
    siteUrl: r.site_url,
    status: r.status,
    etag: r.etag,
    lastModified: r.last_modified,
    nextCheckAt: r.next_check_at,
    lastFetchedAt: r.last_fetched_at,
    lastSuccessAt: r.last_success_at,
    lastStatus: r.last_status,
    lastErrorCode: r.last_error_code,
    lastErrorMessage: r.last_error_message,
    errorCount: r.error_count,
    fetchCount: r.fetch_count,
    notModifiedCount: r.not_modified_count,
    itemsStored: r.items_stored,
    redirectUrl: r.redirect_url,
    redirectCount: r.redirect_count,
    ttlMinutes: r.ttl_minutes,
    itemFilter: (typeof r.item_filter === 'string' ? JSON.parse(r.item_filter) : r.item_filter) as ItemFilterSpec | null,
    itemsFilteredLast: r.items_filtered_last,
    outlet: r.outlet,
    outletDomain: r.outlet_domain,
    createdAt: r.created_at,
    country: r.country,
    countryInferred: r.country_inferred,
    note: r.note,
    standIn: r.stand_in,
    lastVerified: toVerification(r),
    staleSince: r.stale_since,
  };
}

function toVerification(r: SourceRow): SourceVerification | null {
  if (!r.verified_at || !r.verify_status) return null;
  const d = (typeof r.verify_detail === 'string' ? JSON.parse(r.verify_detail) : (r.verify_detail ?? {})) as Partial<SourceVerification>;
  return {
    at: r.verified_at,
    status: r.verify_status,
    httpStatus: d.httpStatus ?? null,
    contentType: d.contentType ?? null,
    items: d.items ?? null,
    newestItemAgeHours: d.newestItemAgeHours ?? null,
    durationMs: d.durationMs ?? 0,
    errorCode: d.errorCode ?? null,
    message: d.message ?? null,
    suggestions: d.suggestions ?? [],
  };
}

export interface NewSource {
  url: string;
  name?: string | null;
  lang?: string | null;
  siteUrl?: string | null;
  itemFilter?: ItemFilterSpec | null;
  outlet?: string | null;
  outletDomain?: string | null;
  country?: string | null;
  countryInferred?: boolean;
  note?: string | null;
  standIn?: boolean;
}

/** Inserts the sources whose URL is not stored yet; returns only the new ones. */
export async function insertSources(db: Db, sources: NewSource[], now: Date): Promise<Source[]> {
  if (sources.length === 0) return [];
  const rows = await db
    .insertInto('sources')
    .values(
      sources.map((s) => ({
        url: s.url,
        name: s.name ?? null,
        lang: s.lang ?? null,
        site_url: s.siteUrl ?? null,
        item_filter: s.itemFilter ? JSON.stringify(s.itemFilter) : null,
        outlet: s.outlet ?? null,
        outlet_domain: s.outletDomain ?? null,
        country: s.country ?? null,
        country_inferred: s.countryInferred ?? false,
        note: s.note ?? null,
        stand_in: s.standIn ?? false,
        next_check_at: now,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.column('url').doNothing())
    .returningAll()
    .execute();
  return rows.map(toSource);
}

export async function listSources(db: Db): Promise<Source[]> {
  return (await db.selectFrom('sources').selectAll().orderBy('id').execute()).map(toSource);
}

export async function findSource(db: Db, id: number): Promise<Source | null> {
  const r = await db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toSource(r) : null;
}

export async function findSourceByUrl(db: Db, url: string): Promise<Source | null> {
  const r = await db.selectFrom('sources').selectAll().where('url', '=', url).executeTakeFirst();
  return r ? toSource(r) : null;
}

export async function countSources(db: Db): Promise<number> {
  const r = await db.selectFrom('sources').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Removes a source. The foreign keys (migration 017) remove the items it carried and clear it as its
 * articles' first source; the articles stay, other sources may carry them. The delete waits for a store of
 * this source in flight (lockSourceForStore), so that store commits first and its items go too.
 */
export async function deleteSource(db: Db, id: number): Promise<boolean> {
  const r = await db.deleteFrom('sources').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * First statement of a feed's store transaction: holds the source row until commit (FOR KEY SHARE: the
 * source's own UPDATE by this transaction and by other readers is not blocked). A removal of the source then
 * waits for this store instead of making its commit fail on the foreign keys, and a store of a source removed
 * meanwhile stops here, before any work. Returns the source's last success as the database has it now (another
 * worker may have stored the feed since this one claimed it: a lease that ran out), or null when the source is gone.
 */
export async function lockSourceForStore(db: Db, id: number): Promise<{ lastSuccessAt: Date | null } | null> {
  const r = await sql<{ last_success_at: Date | null }>`SELECT last_success_at FROM sources WHERE id = ${id} FOR KEY SHARE`.execute(db);
  const row = r.rows[0];
  return row ? { lastSuccessAt: row.last_success_at } : null;
}

export interface SourcePatch {
  name?: string | null;
  lang?: string | null;
  status?: Source['status'];
  url?: string;
  itemFilter?: ItemFilterSpec | null;
  outlet?: string | null;
  outletDomain?: string | null;
  country?: string | null;
  countryInferred?: boolean;
}

function sourcePatchColumns(p: SourcePatch) {
  const { itemFilter, outlet, outletDomain, countryInferred, ...plain } = p;
  return {
    ...plain,
    ...(countryInferred !== undefined ? { country_inferred: countryInferred } : {}),
    ...(itemFilter !== undefined ? { item_filter: itemFilter ? JSON.stringify(itemFilter) : null } : {}),
    ...(outlet !== undefined ? { outlet } : {}),
    ...(outletDomain !== undefined ? { outlet_domain: outletDomain } : {}),
  };
}

export async function updateSource(
  db: Db,
  id: number,
  patch: SourcePatch,
  now: Date,
): Promise<Source | null> {
  const r = await db
    .updateTable('sources')
    .set({ ...sourcePatchColumns(patch), updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return r ? toSource(r) : null;
}

/** The sources a verification probes: these ids (any status), or every active source. */
export async function listSourcesToVerify(db: Db, ids?: number[]): Promise<Source[]> {
  let q = db.selectFrom('sources').selectAll().orderBy('id');
  q = ids ? q.where('id', 'in', ids.length ? ids : [-1]) : q.where('status', '=', 'active');
  return (await q.execute()).map(toSource);
}

/**
 * Records a verification probe; touches none of the refresh's columns (no lease, no backoff, no
 * next_check_at). `stale`: true keeps the first time it was found stale, false clears it, null (the probe
 * could not tell: it failed) leaves it as it was.
 */
export async function markSourceVerified(db: Db, id: number, v: SourceVerification, stale: boolean | null): Promise<void> {
  const { at, status, ...detail } = v;
  await db
    .updateTable('sources')
    .set((eb) => ({
      verified_at: at,
      verify_status: status,
      verify_detail: JSON.stringify(detail),
      stale_since: stale === null ? eb.ref('stale_since') : stale ? eb.fn.coalesce('stale_since', eb.val(at)) : null,
    }))
    .where('id', '=', id)
    .execute();
}

/** Makes sources due now (manual refresh). */
export async function markSourcesDue(db: Db, now: Date, ids?: number[]): Promise<number> {
  let q = db.updateTable('sources').set({ next_check_at: now }).where('status', '=', 'active');
  if (ids) q = q.where('id', 'in', ids.length ? ids : [-1]);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/**
 * Claims up to `limit` due sources for one worker. SKIP LOCKED lets concurrent workers
 * claim disjoint sets without waiting; the lease (not the row lock, which ends with this
 * statement) keeps a source to its worker until it records the outcome, and lets another
 * worker take it over if that worker died.
 */
export async function claimDueSources(
  db: Db,
  opts: { now: Date; limit: number; leaseSeconds: number; owner: string; onlyIds?: number[] },
): Promise<Source[]> {
  const leaseUntil = new Date(opts.now.getTime() + opts.leaseSeconds * 1000);
  const ids = opts.onlyIds;
  const rows = await sql<SourceRow>`
    UPDATE sources SET lease_until = ${leaseUntil}, lease_owner = ${opts.owner}
    WHERE id IN (
      SELECT id FROM sources
      WHERE status = 'active'
        AND next_check_at <= ${opts.now}
        AND (lease_until IS NULL OR lease_until < ${opts.now})
        ${ids ? sql`AND id = ANY(${ids})` : sql``}
      ORDER BY next_check_at, id
      LIMIT ${opts.limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING *`.execute(db);
  return rows.rows.map(toSource);
}

export interface FetchSuccess {
  status: number;
  notModified: boolean;
  etag: string | null;
  lastModified: string | null;
  nextCheckAt: Date;
  ttlMinutes: number | null;
  itemsStored: number;
  /**
   * Articles were stored, linked or changed by this fetch: what readers see moved, and so does the source's
   * updated_at, which the data version (the API cache's key) reads. A fetch that changed nothing leaves it.
   */
  contentChanged?: boolean;
  /** Observed 301/308 target, null when the feed answered at its own URL. */
  permanentRedirect: string | null;
  redirectConfirmations: number;
  feedTitle: string | null;
  feedLink: string | null;
  /** Items the source's filter dropped (undefined, as on a 304: the last count stays). */
  itemsFiltered?: number;
  /** The feed's outlet domain (undefined: unchanged). */
  outletDomain?: string | null;
}

/** Records a successful fetch and releases the lease. Runs in the feed's transaction. */
export async function markFetchSucceeded(db: Db, source: Source, r: FetchSuccess, now: Date): Promise<void> {
  const sameRedirect = r.permanentRedirect !== null && r.permanentRedirect === source.redirectUrl;
  const redirectCount = r.permanentRedirect ? (sameRedirect ? source.redirectCount + 1 : 1) : 0;
  await db
    .updateTable('sources')
    .set((eb) => ({
      etag: r.notModified ? eb.ref('etag') : r.etag,
      last_modified: r.notModified ? eb.ref('last_modified') : r.lastModified,
      next_check_at: r.nextCheckAt,
      lease_until: null,
      lease_owner: null,
      last_fetched_at: now,
      last_success_at: now,
      last_status: r.status,
      last_error_code: null,
      last_error_message: null,
      error_count: 0,
      fetch_count: eb('fetch_count', '+', 1),
      not_modified_count: r.notModified ? eb('not_modified_count', '+', 1) : eb.ref('not_modified_count'),
      items_stored: eb('items_stored', '+', r.itemsStored),
      ttl_minutes: r.notModified ? eb.ref('ttl_minutes') : r.ttlMinutes,
      redirect_url: r.permanentRedirect,
      redirect_count: redirectCount,
      name: eb.fn.coalesce('name', eb.val(r.feedTitle)),
      site_url: eb.fn.coalesce('site_url', eb.val(r.feedLink)),
      items_filtered_last: r.itemsFiltered ?? eb.ref('items_filtered_last'),
      outlet_domain: r.outletDomain === undefined ? eb.ref('outlet_domain') : r.outletDomain,
      // updated_at is when something a reader sees of the source, or through it, last changed (not when it was
      // last fetched: last_fetched_at): new or changed articles, or a name, site or outlet it had not before.
      updated_at: r.contentChanged
        ? now
        : sql<Date>`CASE WHEN (name IS NULL AND ${r.feedTitle}::text IS NOT NULL)
                           OR (site_url IS NULL AND ${r.feedLink}::text IS NOT NULL)
                           ${r.outletDomain === undefined ? sql`` : sql`OR outlet_domain IS DISTINCT FROM ${r.outletDomain}::text`}
                         THEN ${now}::timestamptz ELSE updated_at END`,
    }))
    .where('id', '=', source.id)
    .execute();
  // A permanent redirect seen on enough consecutive fetches becomes the source's URL,
  // unless another source already has that URL.
  if (r.permanentRedirect && redirectCount >= r.redirectConfirmations) {
    await sql`
      UPDATE sources SET url = ${r.permanentRedirect}, redirect_url = NULL, redirect_count = 0
      WHERE id = ${source.id} AND NOT EXISTS (SELECT 1 FROM sources WHERE url = ${r.permanentRedirect})`.execute(db);
  }
}

/** A 304 at its source's own URL (no permanent redirect): what markNotModified records for it. */
export interface NotModified {
  sourceId: number;
  nextCheckAt: Date;
  /** When the fetch started (last_fetched_at, last_success_at), as markFetchSucceeded's `now`. */
  at: Date;
}

/**
 * Records many 304s in one statement, row for row what markFetchSucceeded writes for a 304 without a redirect
 * (validators, TTL, name, counts of items and updated_at stay; the lease is released). Rows are updated in id
 * order, so two such statements never wait on each other in opposite orders. A source removed meanwhile is skipped.
 */
export async function markNotModified(db: Db, rows: readonly NotModified[]): Promise<void> {
  if (rows.length === 0) return;
  const sorted = [...rows].sort((a, b) => a.sourceId - b.sourceId);
  await sql`
    UPDATE sources s SET
      next_check_at = v.next_check_at, lease_until = NULL, lease_owner = NULL,
      last_fetched_at = v.at, last_success_at = v.at, last_status = 304,
      last_error_code = NULL, last_error_message = NULL, error_count = 0,
      fetch_count = s.fetch_count + 1, not_modified_count = s.not_modified_count + 1,
      redirect_url = NULL, redirect_count = 0
    FROM unnest(${sorted.map((r) => r.sourceId)}::int8[], ${sorted.map((r) => r.nextCheckAt)}::timestamptz[], ${sorted.map((r) => r.at)}::timestamptz[])
      AS v(id, next_check_at, at)
    WHERE s.id = v.id`.execute(db);
}

export interface FetchFailure {
  status: number | null;
  code: string;
  message: string;
  nextCheckAt: Date;
  retire: boolean;
}

export async function markFetchFailed(db: Db, sourceId: number, f: FetchFailure, now: Date): Promise<void> {
  await db
    .updateTable('sources')
    .set((eb) => ({
      next_check_at: f.nextCheckAt,
      lease_until: null,
      lease_owner: null,
      last_fetched_at: now,
      last_status: f.status,
      last_error_code: f.code,
      last_error_message: f.message.slice(0, 1000),
      error_count: eb('error_count', '+', 1),
      fetch_count: eb('fetch_count', '+', 1),
      status: f.retire ? 'retired' : eb.ref('status'),
      // A failed fetch changes what readers see only when it retires the source.
      updated_at: f.retire ? now : eb.ref('updated_at'),
    }))
    .where('id', '=', sourceId)
    .execute();
}

/** Health totals for /metrics: one grouped pass over the (small) sources table. */
export async function findSourceTotals(db: Db): Promise<{
  byStatus: Record<Source['status'], number>;
  fetches: number;
  notModified: number;
  errors: number;
  failingSources: number;
  itemsStored: number;
}> {
  const rows = await sql<{ status: Source['status']; n: number; fetches: number; nm: number; errors: number; failing: number; items: number }>`
    SELECT status, count(*) AS n, sum(fetch_count)::int8 AS fetches, sum(not_modified_count)::int8 AS nm,
           sum(error_count)::int8 AS errors, count(*) FILTER (WHERE error_count > 0) AS failing,
           sum(items_stored)::int8 AS items
    FROM sources GROUP BY status`.execute(db);
  const out = { byStatus: { active: 0, paused: 0, retired: 0 }, fetches: 0, notModified: 0, errors: 0, failingSources: 0, itemsStored: 0 };
  for (const r of rows.rows) {
    out.byStatus[r.status] = Number(r.n);
    out.fetches += Number(r.fetches);
    out.notModified += Number(r.nm);
    out.errors += Number(r.errors);
    out.failingSources += Number(r.failing);
    out.itemsStored += Number(r.items);
  }
  return out;
}
