import cron from 'node-cron';
import type { Deps } from '../src/deps.js';
import { jobs } from './registry.js';

export interface ScheduleEntry {
  job: string;
  cron: string;
}

export interface Scheduler {
  /** Run a scheduled job now (skipped if it is already running in this process). */
  trigger(job: string): Promise<void>;
  /** Stop ticking, wait for running jobs to finish. */
  stop(): Promise<void>;
}

/**
 * node-cron ticks run named jobs. A job never overlaps its own previous run in this process;
 * coordination between processes is the database's (leases), not node-cron's.
 */
export function startScheduler(deps: Deps, entries: ScheduleEntry[]): Scheduler {
  const controller = new AbortController();
  const running = new Map<string, Promise<void>>();

  const trigger = (name: string): Promise<void> => {
    const job = jobs[name];
    if (!job) throw new Error(`Unknown job: ${name}`);
    if (controller.signal.aborted) return Promise.resolve();
    const current = running.get(name);
    if (current) return current;
    const p = job
      .run(deps, { signal: controller.signal })
      .then(() => {})
      .catch((err: unknown) => {
        deps.logger.error({ event: 'job_failed', job: name, message: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => running.delete(name));
    running.set(name, p);
    return p;
  };

  const tasks = entries.map((e) => {
    if (!jobs[e.job]) throw new Error(`Unknown job in schedule: ${e.job}`);
    if (!cron.validate(e.cron)) throw new Error(`Invalid cron expression for ${e.job}: ${e.cron}`);
    return cron.schedule(e.cron, () => trigger(e.job), { name: e.job });
  });
  return {
    trigger,
    async stop() {
      controller.abort();
      await Promise.all(tasks.map((t) => t.stop()));
      await Promise.all(running.values());
    },
  };
}
