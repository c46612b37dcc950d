import type { NewsletterIssue } from './newsletter-model.js';
import { renderNewsletterHtmlBody } from './newsletter-html.js';
import { renderRssChannel } from './rss.js';

// The feed of stored newsletter issues, through the same RSS builder as the topic feeds. Each item carries
// the email-safe HTML issue in content:encoded: what RSS-to-email services (Mailchimp, Buttondown) send.

export interface NewsletterFeedInfo {
  title: string;
  description: string;
  /** The JSON listing of the same issues. */
  link: string;
  selfUrl: string;
  /** Absolute base URL of this service, for the items' links. */
  baseUrl: string;
  /** Used only when there is no issue yet (lastBuildDate must still be a date). */
  now: Date;
}

export function renderNewsletterRss(issues: readonly NewsletterIssue[], info: NewsletterFeedInfo): string {
  const updated = issues.reduce<Date | null>((m, i) => (m && m >= i.generatedAt ? m : i.generatedAt), null) ?? info.now;
  return renderRssChannel({
    title: info.title,
    link: info.link,
    description: info.description,
    selfUrl: info.selfUrl,
    lastBuildDate: updated,
    generator: 'Frontera',
    // Issues appear once a day at most.
    ttl: 60,
    items: issues.map((i) => ({
      title: `${i.title} — ${i.model.period.label}`,
      link: `${info.baseUrl}/v1/newsletters/${i.id}?format=html`,
      guid: `urn:frontera:newsletter:${i.id}`,
      pubDate: i.generatedAt,
      categories: [i.periodKind],
      description: i.model.preheader,
      contentHtml: renderNewsletterHtmlBody(i.model),
    })),
  });
}
