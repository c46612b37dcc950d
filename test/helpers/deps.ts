import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { RefreshDeps } from '../../src/services/refresh-feeds.js';
import type { TestDb } from './db.js';

/** Config for tests: loopback sources allowed, short timeouts, no spacing. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    ALLOW_PRIVATE_SOURCES: 'true',
    HOST_MIN_INTERVAL_MS: '0',
    FETCH_TIMEOUT_MS: '2000',
    SEED_DEFAULT_SOURCES: 'false',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

export class TestClock {
  constructor(public t = new Date('2026-11-25T12:00:00Z')) {}
  now = () => this.t;
  advanceMinutes(m: number) {
    this.t = new Date(this.t.getTime() + m * 60_000);
  }
}

export function refreshDeps(t: TestDb, clock: TestClock, config = testConfig(), extra: Partial<RefreshDeps> = {}): RefreshDeps {
  return { db: t.db, config, logger: createLogger('silent'), clock: clock.now, ...extra };
}
