// JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1). Parsed by hand: the format is small and a schema
// library would reject the many feeds that bend it (numbers as ids, missing version).
import { AppError } from '../errors.js';
import type { FeedMeta } from '../model/types.js';
import type { ParsedFeed, RawEnclosure, RawItem } from './raw-feed.js';

type Json = Record<string, unknown>;

export function parseJsonFeed(text: string): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new AppError('parse_failed', 'invalid JSON', { cause });
  }
  // The version URL is often wrong or missing in the wild; an `items` array is the defining trait.
  if (!isObject(doc) || !Array.isArray(doc.items)) throw new AppError('parse_not_a_feed', 'JSON is not a JSON Feed');
  const feed = doc as Json;
  const language = str(feed.language);
  const meta: FeedMeta = {
    title: str(feed.title)?.trim() || null,
    link: str(feed.home_page_url),
    language,
    ttlMinutes: null,
    updateIntervalMinutes: null,
  };
  const feedAuthor = authorName(feed);
  const items = (feed.items as unknown[]).filter(isObject).map((it) => jsonItem(it, feedAuthor, language));
  return { meta, items };
}

function jsonItem(it: Json, feedAuthor: string | null, feedLang: string | null): RawItem {
  const html = str(it.content_html);
  const text = str(it.content_text);
  const id = it.id;
  return {
    format: 'json',
    guid: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
    title: str(it.title),
    titleKind: 'text',
    link: str(it.url) ?? str(it.external_url),
    origLink: null,
    baseUrl: null,
    published: str(it.date_published),
    updated: str(it.date_modified),
    author: authorName(it) ?? feedAuthor,
    categories: Array.isArray(it.tags) ? it.tags.filter((t): t is string => typeof t === 'string') : [],
    summary: str(it.summary),
    summaryKind: 'text',
    summaryBase: null,
    content: html ?? text,
    contentKind: html !== null ? 'html' : 'text',
    contentBase: null,
    enclosures: attachments(it.attachments),
    language: str(it.language) ?? feedLang,
  };
}

/** 1.1 `authors` array, falling back to the deprecated 1.0 `author` object. */
function authorName(o: Json): string | null {
  const list = Array.isArray(o.authors) ? o.authors : isObject(o.author) ? [o.author] : [];
  const names = list.filter(isObject).map((a) => str(a.name)).filter((n): n is string => !!n);
  return names.length ? names.join(', ') : null;
}

function attachments(v: unknown): RawEnclosure[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).flatMap((a) => {
    const url = str(a.url);
    if (!url) return [];
    const len = typeof a.size_in_bytes === 'number' && a.size_in_bytes > 0 ? a.size_in_bytes : null;
    return [{ url, type: str(a.mime_type), length: len }];
  });
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
