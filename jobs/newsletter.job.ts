import type { Deps } from '../src/deps.js';
import { lastCompletePeriod } from '../src/render/newsletter-period.js';
import { storeNewsletterIssue } from '../src/services/newsletter.js';
import { createMailer, deliverPendingNewsletters, type Mailer } from '../src/services/newsletter-mail.js';
import type { JobContext } from './job.js';

export interface NewsletterJobOptions {
  /** Tests inject a mailer; by default one is made from SMTP_URL, and none exists without it. */
  mailer?: Mailer | null;
}

/**
 * For each configured topic and period kind, stores the last complete period's issue once (a rerun,
 * or a second worker, is a no-op: unique key + ON CONFLICT DO NOTHING), then sends pending issues when
 * SMTP is configured. Issues stored without SMTP are never sent later (no surprise backlog).
 */
export async function newsletterJob(deps: Deps, ctx: JobContext, opts: NewsletterJobOptions = {}) {
  const started = Date.now();
  const { newsletter } = deps.config;
  const mailer = opts.mailer !== undefined ? opts.mailer : newsletter.smtp ? createMailer(newsletter.smtp) : null;
  const now = deps.clock();
  const counts = { created: 0, existing: 0, empty: 0, sent: 0, send_failed: 0 };
  const created: number[] = [];
  try {
    for (const slug of newsletter.topics) {
      for (const kind of newsletter.periods) {
        if (ctx.signal.aborted) break;
        const period = lastCompletePeriod(kind, now);
        const r = await storeNewsletterIssue(deps.db, deps.topics, {
          slug,
          period: { ...period, kind },
          baseUrl: deps.config.publicBaseUrl,
          now,
          deliver: mailer !== null,
        });
        if (r.outcome === 'created') {
          counts.created++;
          created.push(r.id);
        } else if (r.outcome === 'exists') counts.existing++;
        else counts.empty++;
      }
    }
    if (mailer) {
      const d = await deliverPendingNewsletters(deps.db, mailer, { now: deps.clock, logger: deps.logger, signal: ctx.signal });
      counts.sent = d.sent;
      counts.send_failed = d.failed;
    }
  } finally {
    if (mailer && opts.mailer === undefined) mailer.close();
  }
  const summary = { event: 'newsletter', ...counts, created_ids: created, duration_ms: Date.now() - started };
  deps.logger.info(summary);
  return summary;
}
