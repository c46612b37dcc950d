// Large XML feeds are parsed a window of items at a time: the xml2js tree of a 20 MB document is
// several times its size, while a window's tree is small. Each window is a well-formed feed made of
// the document's head (everything before the first item: channel metadata, namespaces, xml:base),
// a run of whole items, and the document's tail (closing tags).

/** Documents at or above this many characters are parsed in windows. */
export const CHUNKED_PARSE_THRESHOLD = 2_000_000;
/** Items per window. */
export const ITEMS_PER_WINDOW = 200;

interface Span {
  start: number;
  end: number;
}

/** Start and end offsets of every top-level <item>/<entry> element, or null when unsure. */
function itemSpans(xml: string): Span[] | null {
  const open = /<((?:[A-Za-z_][\w.-]*:)?(?:item|entry))(?=[\s>/])/g;
  const first = open.exec(xml);
  if (!first) return null;
  const tag = first[1]!;
  const spans: Span[] = [];
  let at = first.index;
  const closeTag = `</${tag}>`;
  const openTag = `<${tag}`;
  while (at >= 0) {
    const close = xml.indexOf(closeTag, at);
    if (close < 0) return null;
    // Items do not nest; an opening tag inside the span (CDATA quoting markup) means we cannot trust the cut.
    const nested = xml.indexOf(openTag, at + openTag.length);
    if (nested >= 0 && nested < close && /[\s>/]/.test(xml[nested + openTag.length] ?? '')) return null;
    spans.push({ start: at, end: close + closeTag.length });
    const next = xml.indexOf(openTag, close);
    at = next >= 0 && /[\s>/]/.test(xml[next + openTag.length] ?? '') ? next : -1;
  }
  return spans;
}

/**
 * The document as a series of smaller well-formed documents, or null when it is small or its item
 * boundaries cannot be found safely (then the caller parses it whole).
 */
export function splitIntoWindows(xml: string, threshold = CHUNKED_PARSE_THRESHOLD, perWindow = ITEMS_PER_WINDOW): string[] | null {
  if (xml.length < threshold) return null;
  const spans = itemSpans(xml);
  if (!spans || spans.length <= perWindow) return null;
  const head = xml.slice(0, spans[0]!.start);
  const tail = xml.slice(spans[spans.length - 1]!.end);
  // Text between items must be whitespace only, or the cut would drop content.
  for (let i = 1; i < spans.length; i++) if (xml.slice(spans[i - 1]!.end, spans[i]!.start).trim() !== '') return null;
  const windows: string[] = [];
  for (let i = 0; i < spans.length; i += perWindow) {
    const last = spans[Math.min(i + perWindow, spans.length) - 1]!;
    windows.push(head + xml.slice(spans[i]!.start, last.end) + tail);
  }
  return windows;
}
