// Spawns the real worker entry point (`node --import tsx jobs/run.ts refresh-feeds`) with the RSS preload.
import { runTsChild, type ChildResult } from './child.js';

export interface RefreshSummary {
  event: string;
  sources: number;
  ok: number;
  not_modified: number;
  errors: number;
  created: number;
  linked: number;
  updated: number;
  duration_ms: number;
}

export function workerEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    ALLOW_PRIVATE_SOURCES: 'true',
    HOST_MIN_INTERVAL_MS: '0',
    SEED_DEFAULT_SOURCES: 'false',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

export function runRefreshWorker(env: Record<string, string>): Promise<ChildResult<RefreshSummary>> {
  return runTsChild<RefreshSummary>('jobs/run.ts', ['refresh-feeds'], env);
}
