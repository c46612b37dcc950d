import nodemailer from 'nodemailer';
import type { Db } from '../../db/client.js';
import { claimPendingDeliveries, markNewsletterDelivered, markNewsletterDeliveryFailed } from '../../db/repositories/newsletters.repository.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { renderNewsletterHtml } from '../render/newsletter-html.js';
import type { NewsletterModel } from '../render/newsletter-model.js';
import { renderNewsletterText } from '../render/newsletter-text.js';

// SMTP delivery of stored issues (only when SMTP_URL is configured). Each issue is one multipart/
// alternative message (text, then HTML: clients show the last part they can render).

export interface Mailer {
  send(model: NewsletterModel): Promise<{ messageId: string }>;
  close(): void;
}

export type SmtpConfig = NonNullable<Config['newsletter']['smtp']>;

export function createMailer(smtp: SmtpConfig, opts: { timeoutMs?: number } = {}): Mailer {
  const timeout = opts.timeoutMs ?? 30_000;
  // Options from the URL (host, port, auth, secure) win over these defaults (nodemailer merges them last).
  const transport = nodemailer.createTransport({ url: smtp.url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  return {
    async send(model) {
      const info = await transport.sendMail({
        from: smtp.from,
        to: [...smtp.to],
        subject: `${model.title} — ${model.period.label}`,
        text: renderNewsletterText(model),
        html: renderNewsletterHtml(model),
        headers: { 'X-Frontera-Newsletter': `${model.topic.slug}/${model.period.kind}/${model.period.start}` },
      });
      return { messageId: String(info.messageId) };
    },
    close: () => transport.close(),
  };
}

export const MAX_DELIVERY_ATTEMPTS = 3;
const LEASE_SECONDS = 300;

/** Sends every pending issue once (claimed with a lease); failures are retried on later runs, then given up. */
export async function deliverPendingNewsletters(
  db: Db,
  mailer: Mailer,
  opts: { now: () => Date; logger: Logger; signal?: AbortSignal; batch?: number },
): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  for (;;) {
    if (opts.signal?.aborted) break;
    const claimed = await claimPendingDeliveries(db, opts.now(), LEASE_SECONDS, opts.batch ?? 10);
    if (claimed.length === 0) break;
    for (const issue of claimed) {
      try {
        const r = await mailer.send(issue.model);
        await markNewsletterDelivered(db, issue.id, opts.now());
        opts.logger.info({ event: 'newsletter_sent', newsletter_id: issue.id, message_id: r.messageId });
        sent++;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        await markNewsletterDeliveryFailed(db, issue.id, message, MAX_DELIVERY_ATTEMPTS);
        opts.logger.warn({ event: 'newsletter_send_failed', newsletter_id: issue.id, message });
        failed++;
      }
    }
    // A failed issue goes back to pending without a lease: stop here rather than retry it at once.
    if (failed > 0) break;
  }
  return { sent, failed };
}
