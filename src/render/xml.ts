// XML 1.0 text that is always well-formed, whatever the feed data holds.

// Everything XML 1.0 forbids: C0 controls except TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Any character that escapeXml changes or drops. Tested first: most feed text needs nothing, and a feed of 50
// stories escapes thousands of strings per request.
const NEEDS_WORK = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const SPECIAL = /[&<>"']/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function stripInvalidXml(s: string): string {
  return s.replace(INVALID_XML, '');
}

/** Escapes text for element content and attribute values (both quote kinds). */
export function escapeXml(s: string): string {
  if (!NEEDS_WORK.test(s)) return s;
  return stripInvalidXml(s).replace(SPECIAL, (c) => ENTITY[c]!);
}

/** HTML escaping for text placed inside HTML (the same five characters). */
export const escapeHtml = escapeXml;

/** Only http(s) URLs are emitted as links; anything else (javascript:, data:) is dropped. */
export function safeUrl(u: string | null | undefined): string | null {
  if (!u) return null;
  try {
    const p = new URL(u);
    return p.protocol === 'http:' || p.protocol === 'https:' ? p.toString() : null;
  } catch {
    return null;
  }
}
