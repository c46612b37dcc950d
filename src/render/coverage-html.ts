import type { TopicFeedItem } from './topic-feed-model.js';
import { escapeHtml, safeUrl } from './xml.js';

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * The item body shared by every format: the summary, then the related coverage — every outlet's
 * article as a list. Everything from feeds is escaped; only http(s) links are kept.
 */
export function coverageHtml(item: TopicFeedItem): string {
  const parts: string[] = [];
  if (item.summary) parts.push(`<p>${escapeHtml(item.summary)}</p>`);
  if (item.kind === 'story' && item.related.length > 0) {
    const outlets = new Set(item.related.map((r) => r.outlet ?? '')).size;
    parts.push(
      `<p>Coverage: ${item.articleCount} article${item.articleCount === 1 ? '' : 's'} from ${outlets} outlet${outlets === 1 ? '' : 's'}</p>`,
    );
    const lis = item.related.map((r) => {
      const title = escapeHtml(r.title);
      const href = safeUrl(r.url);
      const link = href ? `<a href="${escapeHtml(href)}">${title}</a>` : title;
      const meta = [r.outlet, r.lang, day(r.publishedAt)].filter(Boolean).map((x) => escapeHtml(String(x)));
      return `<li>${link} — ${meta.join(' · ')}</li>`;
    });
    parts.push(`<ul>${lis.join('')}</ul>`);
  }
  return parts.join('\n');
}
