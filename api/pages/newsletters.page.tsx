import { Time } from './components.js';
import { plural } from './format.js';

/** What the page shows of a stored issue (mapped from the newsletter service's model). */
export interface NewsletterIssueView {
  id: number;
  title: string;
  periodLabel: string;
  generatedAt: Date;
  /** Inbox preview text (plain text, escaped like any other). */
  preheader: string;
  eventCount: number;
  articleCount: number;
  /** The issue's first events, in reading order. */
  topEvents: { storyId: number; headline: string; outletCount: number }[];
}

export function NewslettersPage({ issues, topic }: { issues: NewsletterIssueView[]; topic: string }) {
  const issuesFeed = `/feeds/newsletters/${encodeURIComponent(topic)}.rss`;
  return (
    <>
      <div class="page-head">
        <h1>Newsletters</h1>
        <p class="lede">A digest of the beat’s main events, with every outlet’s coverage.</p>
        <p>
          <a href={issuesFeed} type="application/rss+xml">
            Issues as RSS
          </a>{' '}
          (for RSS-to-email services)
        </p>
      </div>
      {issues.length === 0 ? (
        <p class="empty">
          No newsletter issue has been published yet. Meanwhile, follow the beat through its <a href="/feeds/all.rss">RSS</a>,{' '}
          <a href="/feeds/all.atom">Atom</a> or <a href="/feeds/all.json">JSON Feed</a>.
        </p>
      ) : (
        <ol class="issues">
          {issues.map((n) => (
            <li class="issue" data-newsletter-id={String(n.id)}>
              <h2 class="headline">
                <a href={`/v1/newsletters/${n.id}?format=html`}>{n.title}</a>
              </h2>
              <p class="meta">
                {n.periodLabel} · {plural(n.eventCount, 'event')} · {plural(n.articleCount, 'article')} · published <Time d={n.generatedAt} />
              </p>
              {n.preheader && <p class="preview">{n.preheader}</p>}
              {n.topEvents.length > 0 && (
                <ol class="issue-events">
                  {n.topEvents.map((e) => (
                    <li>
                      <a href={`/stories/${e.storyId}`}>{e.headline}</a> <span class="src">— {plural(e.outletCount, 'outlet')}</span>
                    </li>
                  ))}
                </ol>
              )}
              <p class="formats">
                Read it as <a href={`/v1/newsletters/${n.id}?format=html`}>HTML</a> · <a href={`/v1/newsletters/${n.id}?format=text`}>text</a> ·{' '}
                <a href={`/v1/newsletters/${n.id}?format=md`}>Markdown</a>
              </p>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
