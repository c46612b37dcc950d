// The reader stage the ingest service calls: bytes → decoded text → parsed feed → normalized items.
import type { FeedMeta, NormalizedItem } from '../model/types.js';
import { decodeFeedBytes } from './decode.js';
import { normalizeItem } from './normalize-item.js';
import { parseFeed } from './parse-feed.js';

export interface ReadFeedResult {
  meta: FeedMeta;
  items: NormalizedItem[];
  encoding: string;
}

export async function readFeed(
  bytes: Uint8Array,
  opts: { contentType?: string | null; feedUrl: string; now: Date },
): Promise<ReadFeedResult> {
  const { text, encoding } = decodeFeedBytes(bytes, opts.contentType);
  const { meta, items } = await parseFeed(text, opts.feedUrl);
  const ctx = { feedUrl: opts.feedUrl, feedLink: meta.link, feedLanguage: meta.language, now: opts.now };
  return { meta, items: items.map((raw) => normalizeItem(raw, ctx)), encoding };
}
