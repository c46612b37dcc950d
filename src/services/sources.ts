import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import {
  countSources,
  deleteSource,
  findSource,
  findSourceByUrl,
  insertSources,
  listSources,
  markSourcesDue,
  updateSource,
  type NewSource,
  type SourcePatch,
} from '../../db/repositories/sources.repository.js';
import { listStoryIdsOfSource } from '../../db/repositories/story-press.repository.js';
import { refreshPressOf } from './press.js';
import { AppError, isAppError } from '../errors.js';
import type { Source } from '../model/types.js';
import { parseOpml } from '../opml/parse-opml.js';
import { renderOpml } from '../opml/render-opml.js';
import { discoverFeedLinks, looksLikeHtml } from '../reader/autodiscover.js';
import { decodeFeedBytes } from '../reader/decode.js';
import { fetchFeed, type FetchOptions } from '../reader/fetch-feed.js';
import { readFeed } from '../reader/read-feed.js';
import { ItemFilterSchema } from '../reader/item-filter.js';
import { outletDomainOfFeed } from '../reader/outlet.js';
import {
  countryPatch,
  normalizeLang,
  normalizeOutlet,
  sourceCountry,
  validateSourceUrl,
  validCountry,
  validItemFilter,
} from '../sources/source-fields.js';

const DEFAULT_SOURCES_FILE = fileURLToPath(new URL('../sources/default-sources.json', import.meta.url));

/** Every source with its health, in id order. */
export function listAllSources(db: Db): Promise<Source[]> {
  return listSources(db);
}

export function getSource(db: Db, id: number): Promise<Source | null> {
  return findSource(db, id);
}

/** Removes a source and its items (its articles stay); false when there was none. */
export function removeSource(db: Db, id: number): Promise<boolean> {
  return deleteSource(db, id);
}

/** Makes these active sources (every active one without ids) due now; the next tick fetches them. Returns how many. */
export function makeSourcesDue(db: Db, now: Date, ids?: number[]): Promise<number> {
  return markSourcesDue(db, now, ids);
}

export interface SourceInput {
  url: string;
  name?: string | null | undefined;
  lang?: string | null | undefined;
  itemFilter?: unknown;
  outlet?: string | null | undefined;
  country?: string | null | undefined;
}

/**
 * Adds one source the way the admin API does: the fields validated (invalid_parameter), a stored URL refused
 * (conflict), then, when `check` gives fetch options, the URL fetched and read once. A URL that is not a feed
 * readable now is not stored and comes back as `rejected` (the fetch or parse error; for an HTML page, its
 * advertised feeds in `details.suggestions`). Without a name the feed's title names it.
 */
export async function addCheckedSource(
  db: Db,
  input: SourceInput,
  check: FetchOptions | null,
  now: Date,
): Promise<{ source: Source; rejected?: never } | { source?: never; rejected: AppError }> {
  // Every field is validated before anything is fetched: a bad one is refused at once.
  const url = validateSourceUrl(input.url);
  const country = validCountry(input.country);
  const itemFilter = validItemFilter(input.itemFilter);
  const outlet = normalizeOutlet(input.outlet);
  if (await findSourceByUrl(db, url)) throw new AppError('conflict', `A source with URL ${url} already exists`);
  let title: string | null = null;
  if (check) {
    try {
      title = (await checkFeedUrl(url, check, now)).title;
    } catch (e) {
      if (!isAppError(e)) throw e;
      return { rejected: e };
    }
  }
  const r = await addSources(db, [{ url, name: input.name ?? title, lang: input.lang ?? null, itemFilter, outlet, country }], now);
  const source = r.added[0];
  // Another request stored the URL while this one was checking it.
  if (!source) throw new AppError('conflict', `A source with URL ${url} already exists`);
  return { source };
}

/** A change to a source: absent fields stay as they are; null clears a field that may be empty. */
export interface SourceEdit {
  url?: string;
  name?: string | null;
  lang?: string | null;
  status?: Source['status'];
  itemFilter?: unknown;
  outlet?: string | null;
  /** null: infer the country from the feed's domain again. */
  country?: string | null;
}

/**
 * Renames, re-points, pauses, resumes or retires a source, or sets its item filter, outlet or country. A new URL
 * must be valid and not another source's; the outlet domain follows it, and so does a country that was inferred
 * (never one an editor gave). When the country changed, the stories the source reported move press: their two
 * presses are recomputed. Throws not_found, conflict or invalid_parameter.
 */
export async function editSource(db: Db, id: number, edit: SourceEdit, now: Date): Promise<Source> {
  const current = await findSource(db, id);
  if (!current) throw new AppError('not_found', `No source ${id}`);
  const p: SourcePatch = {};
  if (edit.url !== undefined) {
    p.url = validateSourceUrl(edit.url);
    const other = await findSourceByUrl(db, p.url);
    if (other && other.id !== id) throw new AppError('conflict', `Source ${other.id} already has URL ${p.url}`);
    p.outletDomain = outletDomainOfFeed(p.url);
  }
  if (edit.name !== undefined) p.name = edit.name;
  if (edit.lang !== undefined) p.lang = normalizeLang(edit.lang);
  if (edit.status !== undefined) p.status = edit.status;
  if (edit.itemFilter !== undefined) p.itemFilter = validItemFilter(edit.itemFilter);
  if (edit.outlet !== undefined) p.outlet = normalizeOutlet(edit.outlet);
  Object.assign(p, countryPatch(current, p.url, edit.country));
  const s = await updateSource(db, id, p, now);
  if (!s) throw new AppError('not_found', `No source ${id}`);
  if (s.country !== current.country) await refreshPressOfSource(db, id);
  return s;
}

/**
 * After a source's country changed: the press sides of the stories it reported are recomputed (its articles
 * move from one press to the other), in batches of one transaction each. Returns how many stories.
 */
async function refreshPressOfSource(db: Db, sourceId: number): Promise<number> {
  const ids = await listStoryIdsOfSource(db, sourceId);
  await refreshPressOf(db, ids);
  return ids.length;
}

export async function addSources(db: Db, input: NewSource[], now: Date): Promise<{ added: Source[]; skipped: number }> {
  const clean = input.map((s) => {
    const url = validateSourceUrl(s.url);
    const outlet = { itemFilter: validItemFilter(s.itemFilter), outlet: normalizeOutlet(s.outlet), outletDomain: outletDomainOfFeed(url) };
    return { ...s, url, lang: normalizeLang(s.lang), ...outlet, ...sourceCountry(url, s.country) };
  });
  const unique = [...new Map(clean.map((s) => [s.url, s])).values()];
  const added = await insertSources(db, unique, now);
  return { added, skipped: input.length - added.length };
}

export interface FeedCheck {
  /** Where the feed was read after redirects. */
  finalUrl: string;
  title: string | null;
  items: number;
  /** HTTP status of the final response, and its content type. */
  status: number;
  contentType: string | null;
  /** Publication date of the newest item that carries one (null: none dated, or no items). */
  newestItemAt: Date | null;
}

/**
 * Fetches a would-be source once through the ingest's own fetch path (SSRF guard, limits) and reads it as a
 * feed. Throws the AppError that fetch or parse gives (fetch_http_error for a 404, fetch_blocked_address, …);
 * an HTML page throws parse_not_a_feed with `details.suggestions`: the feed URLs the page advertises.
 */
export async function checkFeedUrl(url: string, opts: FetchOptions, now: Date): Promise<FeedCheck> {
  const res = await fetchFeed(url, { etag: null, lastModified: null }, opts, now);
  // Without validators a 304 is a server's error; it still says the URL answers as a cacheable resource.
  if (res.kind !== 'ok') return { finalUrl: res.finalUrl, title: null, items: 0, status: res.status, contentType: null, newestItemAt: null };
  const { text } = decodeFeedBytes(res.body, res.contentType);
  if (looksLikeHtml(text, res.contentType)) {
    const suggestions = discoverFeedLinks(text, res.finalUrl);
    const hint = suggestions.length ? `; the page advertises ${suggestions.length === 1 ? 'this feed' : 'these feeds'}: ${suggestions.join(' ')}` : '; the page advertises no feed';
    throw new AppError('parse_not_a_feed', `${res.finalUrl} is an HTML page, not a feed${hint}`, {
      details: { suggestions, status: res.status, contentType: res.contentType },
    });
  }
  const feed = await readFeed(res.body, { contentType: res.contentType, feedUrl: res.finalUrl, now });
  return {
    finalUrl: res.finalUrl,
    title: feed.meta.title,
    items: feed.items.length,
    status: res.status,
    contentType: res.contentType,
    newestItemAt: newestDated(feed.items),
  };
}

/** Only dates the feed gave: an undated item falls back to "now" and would make a dead feed look fresh. */
function newestDated(items: ReadonlyArray<{ publishedAt: Date; publishedAtFromFeed: boolean }>): Date | null {
  let newest: Date | null = null;
  for (const i of items) if (i.publishedAtFromFeed && (!newest || i.publishedAt > newest)) newest = i.publishedAt;
  return newest;
}

export interface OpmlImport {
  added: Source[];
  /** Valid outlines not added: stored already, or repeated in the file. */
  skipped: number;
  alreadyPresent: string[];
  /** Outlines not imported for another reason than being present already (invalid URL, repeated), with it. */
  rejected: Array<{ url: string; reason: string }>;
  /** The outlines' URLs that are not valid feed URLs (the API's import report). */
  invalid: string[];
}

/** Imports exactly the feeds of an OPML document (nothing is fetched; no default source is added). */
export async function importOpml(db: Db, opmlText: string, now: Date): Promise<OpmlImport> {
  const feeds = await parseOpml(opmlText);
  const valid = new Map<string, NewSource>();
  const rejected: OpmlImport['rejected'] = [];
  const invalid: string[] = [];
  for (const f of feeds) {
    let url: string;
    try {
      url = validateSourceUrl(f.url);
    } catch (e) {
      rejected.push({ url: f.url, reason: (e as Error).message });
      invalid.push(f.url);
      continue;
    }
    if (valid.has(url)) rejected.push({ url, reason: 'repeated in the file' });
    else {
      let country: string | null;
      try {
        country = validCountry(f.country);
      } catch (e) {
        rejected.push({ url, reason: (e as Error).message });
        invalid.push(f.url);
        continue;
      }
      valid.set(url, { url, name: f.title, siteUrl: f.siteUrl, lang: f.lang, country });
    }
  }
  const r = await addSources(db, [...valid.values()], now);
  const addedUrls = new Set(r.added.map((s) => s.url));
  const alreadyPresent = [...valid.keys()].filter((u) => !addedUrls.has(u));
  const repeated = rejected.length - invalid.length;
  return { added: r.added, skipped: alreadyPresent.length + repeated, alreadyPresent, rejected, invalid };
}

export async function exportOpml(db: Db, now: Date): Promise<string> {
  const sources = await listSources(db);
  return renderOpml(
    'Frontera sources',
    // An inferred country is not exported: importing the file elsewhere infers it again (and an explicit one stays explicit).
    sources
      .filter((s) => s.status !== 'retired')
      .map((s) => ({ url: s.url, title: s.name, siteUrl: s.siteUrl, lang: s.lang, country: s.countryInferred ? null : s.country })),
    now,
  );
}

const DefaultSourceEntry = z
  .object({
    name: z.string().min(1),
    url: z.url({ protocol: /^https?$/ }),
    lang: z.string().regex(/^[a-z]{2}$/, 'expected a 2-letter language code'),
    country: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code (US, MX, …)'),
    /** How the entry was checked, and when: the list is not fetched where it is built. */
    note: z.string().min(10),
    standIn: z.boolean().optional(),
    /** The Google News search of a search entry; must be the URL's own `q`. */
    query: z.string().min(1).optional(),
    /** Keep only the feed's items that match (src/reader/item-filter.ts): CBP's national releases. */
    itemFilter: ItemFilterSchema.optional(),
    /** The outlet the entry belongs to, when its feed's domain does not say it. */
    outlet: z.string().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.standIn && !e.query) ctx.addIssue({ code: 'custom', path: ['query'], message: 'a stand-in names its search query' });
    if (e.query !== undefined && new URL(e.url).searchParams.get('q') !== e.query) {
      ctx.addIssue({ code: 'custom', path: ['query'], message: "must be the URL's q parameter" });
    }
  });

export const DefaultSourcesFile = z.object({ note: z.string(), sources: z.array(DefaultSourceEntry).min(1) }).strict();

/** The shipped default list, validated (a malformed entry is an error naming it, not a silent skip). */
export function loadDefaultSources(file = DEFAULT_SOURCES_FILE): NewSource[] {
  const parsed = DefaultSourcesFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new AppError('config_invalid', `Invalid default source list ${file}:\n${lines.join('\n')}`);
  }
  return parsed.data.sources.map((e) => ({
    url: e.url,
    name: e.name,
    lang: e.lang,
    country: e.country,
    note: e.note,
    standIn: e.standIn ?? false,
    itemFilter: e.itemFilter ?? null,
    outlet: e.outlet ?? null,
  }));
}

/** Seeds the default source list when the store has no source at all (first start). */
export async function seedDefaultSources(db: Db, now: Date): Promise<number> {
  if ((await countSources(db)) > 0) return 0;
  return (await addSources(db, loadDefaultSources(), now)).added.length;
}
