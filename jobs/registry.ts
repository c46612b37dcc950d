import { checkSourcesJob } from './check-sources.job.js';
import { newsletterJob } from './newsletter.job.js';
import { reclassifyJob } from './reclassify.job.js';
import { reclusterJob } from './recluster.job.js';
import { refreshPressJob } from './refresh-press.job.js';
import { retrainJob } from './retrain.job.js';
import { refreshFeedsJob } from './refresh-feeds.job.js';
import type { JobDefinition } from './job.js';

/** Every job by name: what the scheduler runs on its ticks and `npm run job -- NAME` runs on demand. */
export const jobs: Record<string, JobDefinition> = {
  'refresh-feeds': {
    name: 'refresh-feeds',
    description: 'Fetch every due source once (conditional GET), store new and edited items',
    run: (deps, ctx) =>
      refreshFeedsJob(deps, {
        signal: ctx.signal,
        ...(ctx.progress ? { onOutcome: (_o, done, total) => ctx.progress!(done, total) } : {}),
      }),
  },
  reclassify: {
    name: 'reclassify',
    description: 'Re-apply the current beat rules to articles classified by older rules (batched, idempotent)',
    run: (deps, ctx) => reclassifyJob(deps, ctx),
  },
  retrain: {
    name: 'retrain',
    description: 'Refit the learned beat model from the shipped labels and editor corrections, then reclassify (idempotent)',
    run: (deps, ctx) => retrainJob(deps, ctx),
  },
  recluster: {
    name: 'recluster',
    description: 'Rebuild every story from the stored articles (after a clustering change); deterministic',
    run: (deps, ctx) => reclusterJob(deps, ctx),
  },
  'refresh-press': {
    name: 'refresh-press',
    description: "Recompute every story's two presses (US / Mexican outlets: first report, lag, terms, names); idempotent",
    run: (deps, ctx) => refreshPressJob(deps, ctx),
  },
  'check-sources': {
    name: 'check-sources',
    description: 'Probe every active source now (nothing stored but the result); flag sources whose newest item is older than STALE_AFTER_DAYS',
    run: (deps, ctx) => checkSourcesJob(deps, ctx),
  },
  newsletter: {
    name: 'newsletter',
    description: 'Store the last complete day/week issue per NEWSLETTER_TOPICS once; send pending issues when SMTP_URL is set',
    run: (deps, ctx) => newsletterJob(deps, ctx),
  },
};
