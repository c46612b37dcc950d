// `npm start`: the scheduler (refresh ticks, newsletter issues) and, unless --no-api, the HTTP API in one process.
import '../src/env-file.js';
import { loadConfig, type Config } from '../src/config.js';
import { createDeps, type Deps } from '../src/deps.js';
import { createLogger } from '../src/logger.js';
import { stopOnSignals } from '../src/signals.js';
import { exitOnStartupError } from '../src/startup-error.js';
import { startScheduler, type Scheduler } from './scheduler.js';

const withApi = !process.argv.includes('--no-api');
let config: Config | undefined;
let deps: Deps | undefined;
let scheduler: Scheduler | undefined;
let closeApi: (() => Promise<void>) | undefined;
try {
  config = loadConfig();
  deps = await createDeps(config, { logger: createLogger(config.logLevel, 1, config.logFormat), seed: config.seedDefaultSources });
  // The API first: a port in use stops the start before any feed is claimed.
  if (withApi) {
    const { startApi } = await import('../api/server.js');
    closeApi = await startApi(deps);
  }
  const schedule = [{ job: 'refresh-feeds', cron: config.refreshCron }];
  if (config.newsletter.cron) schedule.push({ job: 'newsletter', cron: config.newsletter.cron });
  if (config.sourceChecks.cron) schedule.push({ job: 'check-sources', cron: config.sourceChecks.cron });
  scheduler = startScheduler(deps, schedule);
} catch (e) {
  await deps?.close().catch(() => {});
  exitOnStartupError(e, config);
}
const log = deps.logger;
log.info({ event: 'scheduler_started', refresh_cron: config.refreshCron, newsletter_cron: config.newsletter.cron, check_sources_cron: config.sourceChecks.cron, db: deps.dbKind });

// A first pass right away, so a fresh start shows data without waiting for the first tick.
void scheduler.trigger('refresh-feeds');

stopOnSignals(async (signal) => {
  log.info({ event: 'shutdown', signal, message: 'finishing in-flight work; send the signal again to exit at once' });
  // In-flight fetches finish and commit; nothing new is claimed.
  await scheduler.stop();
  await closeApi?.();
  await deps.close();
});
