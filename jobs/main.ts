// `npm start`: the scheduler (refresh ticks, newsletter issues) and, unless --no-api, the HTTP API in one process.
import { loadConfig } from '../src/config.js';
import { createDeps } from '../src/deps.js';
import { startScheduler } from './scheduler.js';

const withApi = !process.argv.includes('--no-api');
const config = loadConfig();
const deps = await createDeps(config);
const log = deps.logger;

const schedule = [{ job: 'refresh-feeds', cron: config.refreshCron }];
if (config.newsletter.cron) schedule.push({ job: 'newsletter', cron: config.newsletter.cron });
const scheduler = startScheduler(deps, schedule);
log.info({ event: 'scheduler_started', refresh_cron: config.refreshCron, newsletter_cron: config.newsletter.cron, db: deps.dbKind });

let closeApi: (() => Promise<void>) | undefined;
if (withApi) {
  const { startApi } = await import('../api/server.js');
  closeApi = await startApi(deps);
}

// A first pass right away, so a fresh start shows data without waiting for the first tick.
void scheduler.trigger('refresh-feeds');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ event: 'shutdown', signal });
  // In-flight fetches finish and commit; nothing new is claimed.
  await scheduler.stop();
  await closeApi?.();
  await deps.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
