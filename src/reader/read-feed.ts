// The reader stage the ingest service calls: bytes → decoded text → parsed feed → normalized items.
import type { FeedMeta, NormalizedItem } from '../model/types.js';
import { splitIntoWindows } from './chunked-xml.js';
import { decodeFeedBytes } from './decode.js';
import { normalizeItem } from './normalize-item.js';
import { parseFeed } from './parse-feed.js';

export interface ReadFeedResult {
  meta: FeedMeta;
  items: NormalizedItem[];
  encoding: string;
}

const EMPTY = new Uint8Array(0);

/**
 * A feed read in windows of items. A small feed is one window, parsed before this returns; a large
 * XML feed is parsed a window at a time as `windows` is iterated, so that the caller can store each
 * window and let it go: peak memory is one window's parse tree and items, not the whole document's.
 */
export interface FeedReading {
  meta: FeedMeta;
  encoding: string;
  windows: AsyncIterable<NormalizedItem[]>;
  /** True when the document is parsed lazily, window by window. */
  streamed: boolean;
}

export async function openFeed(bytes: Uint8Array, opts: { contentType?: string | null; feedUrl: string; now: Date }): Promise<FeedReading> {
  const decoded = decodeFeedBytes(bytes, opts.contentType);
  bytes = EMPTY; // a large body is not needed once decoded
  const normalizeAll = (meta: FeedMeta, raws: Awaited<ReturnType<typeof parseFeed>>['items']) => {
    const ctx = { feedUrl: opts.feedUrl, feedLink: meta.link, feedLanguage: meta.language, now: opts.now };
    return raws.map((raw) => normalizeItem(raw, ctx));
  };
  const windows = splitIntoWindows(decoded.text);
  if (!windows) {
    const { meta, items } = await parseFeed(decoded.text, opts.feedUrl);
    const normalized = normalizeAll(meta, items);
    return { meta, encoding: decoded.encoding, streamed: false, windows: (async function* () { yield normalized; })() };
  }
  decoded.text = '';
  // The first window gives the feed's metadata (the head is the same in every window).
  const first = await parseFeed(windows[0]!, opts.feedUrl);
  windows[0] = '';
  const meta = first.meta;
  let firstItems: typeof first.items | null = first.items;
  return {
    meta,
    encoding: decoded.encoding,
    streamed: true,
    windows: (async function* () {
      yield normalizeAll(meta, firstItems!);
      firstItems = null;
      for (let i = 1; i < windows.length; i++) {
        const parsed = await parseFeed(windows[i]!, opts.feedUrl);
        windows[i] = '';
        yield normalizeAll(meta, parsed.items);
      }
    })(),
  };
}

/** The whole feed at once (tools, evaluation, tests). */
export async function readFeed(bytes: Uint8Array, opts: { contentType?: string | null; feedUrl: string; now: Date }): Promise<ReadFeedResult> {
  const reading = await openFeed(bytes, opts);
  const items: NormalizedItem[] = [];
  for await (const w of reading.windows) for (const it of w) items.push(it);
  return { meta: reading.meta, items, encoding: reading.encoding };
}
