import { openDb, waitForDatabase, type Db, type DbHandle } from '../db/client.js';
import { migrateToLatest } from '../db/migrator.js';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import type { Classify, RefreshDeps } from './services/refresh-feeds.js';
import { seedDefaultSources } from './services/sources.js';
import { createBeat, type TopicInfo } from './services/beat.js';
import { ClusterScheduler } from './services/cluster-scheduler.js';
import { ReadPool } from './services/read-pool.js';
import { afterReclassifyBatch } from './services/recluster.js';

export interface Deps extends RefreshDeps {
  db: Db;
  dbKind: DbHandle['kind'];
  config: Config;
  logger: Logger;
  clock: () => Date;
  classify: Classify;
  rulesVersion: string;
  topics: TopicInfo[];
  /** Runs in each reclassify batch's transaction (stories re-derive topics). */
  afterReclassify?: (trx: Db, articleIds: number[]) => Promise<void>;
  close(): Promise<void>;
}

/** The one composition root: everything a job, the API or the CLI needs, built once. */
export async function createDeps(
  config: Config,
  opts: { logger?: Logger; handle?: DbHandle; migrate?: boolean; seed?: boolean; clock?: () => Date; dbWaitMs?: number } = {},
): Promise<Deps> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const handle = opts.handle ?? (await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const clock = opts.clock ?? (() => new Date());
  try {
    // A PostgreSQL that is not up yet (compose start order, a restart) is waited for with backoff.
    if (handle.kind === 'postgres') {
      await waitForDatabase(handle.db, {
        maxWaitMs: opts.dbWaitMs ?? 120_000,
        onRetry: (r) => logger.warn({ event: 'db_unavailable', attempt: r.attempt, retry_in_ms: r.retryInMs, message: r.message }),
      });
    }
    if (opts.migrate !== false) {
      const applied = await migrateToLatest(handle.db);
      if (applied.length) logger.info({ event: 'migrated', migrations: applied });
    }
    if (opts.seed ?? config.seedDefaultSources) {
      const seeded = await seedDefaultSources(handle.db, clock());
      if (seeded) logger.info({ event: 'sources_seeded', count: seeded });
    }
  } catch (e) {
    if (!opts.handle) await handle.close();
    throw e;
  }
  const beat = createBeat(config.beatRulesFile);
  const clustering = new ClusterScheduler(handle.db, clock, logger);
  // Feeds up to 2 MB are read and classified on worker threads; larger ones in-process, window by window.
  const readPool = new ReadPool({ threads: config.readThreads, maxBytes: 2_000_000, rulesFile: config.beatRulesFile, classifier: beat.classify, logger });
  return {
    db: handle.db,
    dbKind: handle.kind,
    config,
    logger,
    clock,
    classify: beat.classify,
    rulesVersion: beat.rulesVersion,
    topics: beat.topics,
    // Event clustering in the background after feeds commit, settled at the end of every refresh pass.
    clustering,
    readPool,
    afterReclassify: (trx, ids) => afterReclassifyBatch(trx, ids, clock()),
    close: async () => {
      await clustering.close();
      await readPool.close();
      await handle.close();
    },
  };
}
