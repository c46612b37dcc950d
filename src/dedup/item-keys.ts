import crypto from 'node:crypto';
import type { NormalizedItem } from '../model/types.js';
import { canonicalizeUrl } from '../reader/canonical-url.js';

// Identity of a feed item. Documented precedence:
//  - per source (source_items.item_key): GUID → canonical URL → content fingerprint.
//    The GUID is the publisher's own identity for the item, stable across URL edits.
//  - across sources (articles.dedup_key): canonical URL → GUID scoped to its source →
//    content fingerprint. URLs are canonicalized *before* hashing so tracking parameters,
//    AMP and mobile variants fold onto one article (miniflux hashes first and never folds).

function sha1(s: string): string {
  return crypto.createHash('sha1').update(s).digest('hex');
}

function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function itemFingerprint(item: Pick<NormalizedItem, 'title' | 'summaryText'>): string {
  return sha1(`${fold(item.title)}\n${fold(item.summaryText)}`);
}

/** Changes when anything a reader would see changes: then the stored article is updated. */
export function contentHash(item: NormalizedItem): string {
  return sha1(
    [item.title, item.url ?? '', item.summaryHtml, item.contentHtml ?? '', item.author ?? '', item.categories.join('\u0001')].join(
      '\u0000',
    ),
  );
}

/** The canonical URL, else a GUID that is itself a web URL (isPermaLink feeds often omit <link>). */
export function effectiveCanonicalUrl(item: NormalizedItem): string | null {
  if (item.canonicalUrl) return item.canonicalUrl;
  if (item.guid && /^https?:\/\//i.test(item.guid)) return canonicalizeUrl(item.guid);
  return null;
}

export function sourceItemKey(item: NormalizedItem): string {
  if (item.guid) return `g:${item.guid.slice(0, 2000)}`;
  const url = effectiveCanonicalUrl(item);
  if (url) return `u:${url.slice(0, 2000)}`;
  return `f:${itemFingerprint(item)}`;
}

export function articleDedupKey(item: NormalizedItem, sourceId: number): string {
  const url = effectiveCanonicalUrl(item);
  if (url) return `u:${url.length > 500 ? sha1(url) : url}`;
  if (item.guid) return `g:${sourceId}:${item.guid.length > 500 ? sha1(item.guid) : item.guid}`;
  return `f:${itemFingerprint(item)}`;
}
