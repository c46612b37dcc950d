import type { FeedRelatedArticle, TopicFeedItem } from './topic-feed-model.js';
import { escapeHtml, safeUrl } from './xml.js';

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function articleLi(r: FeedRelatedArticle): string {
  const title = escapeHtml(r.title);
  const href = safeUrl(r.url);
  const link = href ? `<a href="${escapeHtml(href)}">${title}</a>` : title;
  const meta = [r.outlet, r.lang, day(r.publishedAt)].filter(Boolean).map((x) => escapeHtml(String(x)));
  return `<li>${link} — ${meta.join(' · ')}</li>`;
}

/**
 * The item body shared by every format: the summary, then the related coverage — every outlet's
 * article as a list — the roundups that mention the story (flagged as such: they name several
 * events) and the stories of the same storyline. Everything from feeds is escaped; only http(s)
 * links are kept.
 */
export function coverageHtml(item: TopicFeedItem): string {
  const parts: string[] = [];
  if (item.summary) parts.push(`<p>${escapeHtml(item.summary)}</p>`);
  if (item.kind === 'story' && item.related.length > 0) {
    const outlets = new Set(item.related.map((r) => r.outlet ?? '')).size;
    parts.push(
      `<p>Coverage: ${item.articleCount} article${item.articleCount === 1 ? '' : 's'} from ${outlets} outlet${outlets === 1 ? '' : 's'}</p>`,
    );
    parts.push(`<ul>${item.related.map(articleLi).join('')}</ul>`);
  }
  if (item.roundups.length > 0) {
    parts.push('<p>Roundups that mention this story:</p>');
    parts.push(`<ul class="roundups">${item.roundups.map(articleLi).join('')}</ul>`);
  }
  if (item.relatedStories.length > 0) {
    parts.push('<p>Related stories:</p>');
    const lis = item.relatedStories.map((r) => {
      const href = safeUrl(r.url);
      const title = escapeHtml(r.headline);
      return `<li>${href ? `<a href="${escapeHtml(href)}">${title}</a>` : title}</li>`;
    });
    parts.push(`<ul class="related-stories">${lis.join('')}</ul>`);
  }
  return parts.join('\n');
}
