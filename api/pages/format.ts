import { safeUrl } from '../../src/render/xml.js';
import type { TopicInfo } from '../../src/beat/beat.js';

// Small pure helpers for the reader pages. Everything from feeds goes through JSX (escaped); the
// only exceptions are search highlights, re-sanitized here by markOnlyHtml before raw().

/** Only absolute http(s) URLs become hrefs; javascript:, data: and anything unparsable are dropped. */
export function safeHref(u: string | null | undefined): string | null {
  return safeUrl(u);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** "25 Nov 2026, 07:00 UTC": absolute, so a cached page never shows a stale "3 hours ago". */
export function formatTime(d: Date): string {
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** Rules-file descriptions are phrases ("cartel leadership, captures…"): shown as a sentence. */
export function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  return `${t[0]!.toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const LANG_NAMES: Record<string, string> = { en: 'English', es: 'Spanish (español)' };

export function langName(code: string): string {
  return LANG_NAMES[code] ?? code;
}

/** A BCP 47 primary tag we can put in a lang attribute, or undefined. */
export function langAttr(code: string | null | undefined): string | undefined {
  return code && /^[a-z]{2,3}$/.test(code) ? code : undefined;
}

export function topicName(topics: readonly TopicInfo[], slug: string): string {
  return topics.find((t) => t.slug === slug)?.name ?? slug;
}

/** "organization:sinaloa-cartel" → "sinaloa cartel" (entity ids shared by related stories). */
export function entityLabel(id: string): string {
  const i = id.indexOf(':');
  return (i >= 0 ? id.slice(i + 1) : id).replace(/-/g, ' ');
}

const UNESCAPE: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&#39;': "'" };
const ESCAPE: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeText = (s: string) => s.replace(/[&<>"']/g, (ch) => ESCAPE[ch]!);

/**
 * Search highlights arrive as escaped text whose only markup is <mark>…</mark>. Before they are
 * inserted unescaped, this rebuilds them from scratch: every part outside the tags is unescaped
 * once and escaped again (so nothing but text can come through, whatever the input held), and
 * only balanced, non-nested <mark> pairs are emitted.
 */
export function markOnlyHtml(s: string): string {
  let out = '';
  let open = false;
  for (const part of s.split(/(<\/?mark>)/i)) {
    const tag = part.toLowerCase();
    if (tag === '<mark>') {
      if (!open) out += '<mark>';
      open = true;
    } else if (tag === '</mark>') {
      if (open) out += '</mark>';
      open = false;
    } else {
      out += escapeText(part.replace(/&(?:amp|lt|gt|quot|apos|#39);/g, (e) => UNESCAPE[e]!));
    }
  }
  return open ? `${out}</mark>` : out;
}
