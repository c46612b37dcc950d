// Search snippets: the database marks matches with two private-use characters; here the text is
// HTML-escaped first, then only balanced marker pairs become <mark> tags, and stray markers (which
// could only come from the stored text itself) are dropped. The result is safe to insert as HTML.
import { escapeHtml } from './xml.js';

export const MARK_START = '\uE000';
export const MARK_END = '\uE001';

export function markedToHtml(marked: string): string {
  return escapeHtml(marked)
    .replace(/\uE000([^\uE000\uE001]*)\uE001/g, '<mark>$1</mark>')
    .replace(/[\uE000\uE001]/g, '');
}
