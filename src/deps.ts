import { openDb, waitForDatabase, type Db, type DbHandle } from '../db/client.js';
import { migrateToLatest } from '../db/migrator.js';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import type { Classify, RefreshDeps } from './services/refresh-feeds.js';
import { seedDefaultSources } from './services/sources.js';
import type { BeatTopics } from './beat/beat.js';
import { ClusterScheduler } from './services/cluster-scheduler.js';
import { LiveBeat } from './services/live-beat.js';
import { ReadPool } from './runtime/read-pool.js';
import { closeTranslation, configureTranslation } from './runtime/translate/index.js';
import type { Translator } from './cluster/types.js';

export interface Deps extends RefreshDeps {
  db: Db;
  dbKind: DbHandle['kind'];
  config: Config;
  logger: Logger;
  clock: () => Date;
  /** The classifier in use and its version stamp (rules + learned model): replaced by syncBeat. */
  classify: Classify;
  rulesVersion: string;
  topics: BeatTopics;
  /** The rules and the active learned model (src/services/live-beat.ts). */
  beat: LiveBeat;
  /**
   * Adopts the active learned model if another process retrained since: one cheap query; when it changed, the
   * classifier, its stamp and the reader threads (which classify too) are rebuilt. True when they were.
   */
  syncBeat(): Promise<boolean>;
  close(): Promise<void>;
}

/** The one composition root: everything a job, the API or the CLI needs, built once. */
export async function createDeps(
  config: Config,
  opts: { logger?: Logger; handle?: DbHandle; migrate?: boolean; seed?: boolean; clock?: () => Date; dbWaitMs?: number } = {},
): Promise<Deps> {
  const logger = opts.logger ?? createLogger(config.logLevel, 1, config.logFormat);
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
    // Only `npm start` (jobs/main.ts) fills an empty database with the default sources: the API, one-off jobs and
    // the CLI never add sources nobody asked for (an OPML import into a fresh store imports exactly the file).
    if (opts.seed === true) {
      const seeded = await seedDefaultSources(handle.db, clock());
      if (seeded) logger.info({ event: 'sources_seeded', count: seeded, msg: `empty database: added the ${seeded} default sources (SEED_DEFAULT_SOURCES=false to start empty)` });
    }
  } catch (e) {
    if (!opts.handle) await handle.close();
    throw e;
  }
  let live: LiveBeat;
  try {
    live = await LiveBeat.load(handle.db, config.beatRulesFile);
  } catch (e) {
    if (!opts.handle) await handle.close();
    throw e;
  }
  // Cross-language placement reads Spanish articles in English when a translator is installed (TRANSLATOR).
  let translator: Translator | null;
  try {
    translator = configureTranslation(config.translation.translator, {
      dataDir: config.translation.apertiumDir,
      onError: (message) => logger.warn({ event: 'translation_failed', message }),
    });
  } catch (e) {
    if (!opts.handle) await handle.close();
    throw e;
  }
  logger.debug({ event: 'translator', translator: translator ? `${translator.name} (${translator.languages.join(', ')} → en)` : 'none' });
  const clustering = new ClusterScheduler(handle.db, clock, logger, { cluster: live.beat.clusterOptions });
  // Feeds up to 2 MB are read and classified on worker threads; larger ones in-process, window by window. The
  // threads get the learned model with the rules (small JSON), so they classify exactly as this thread does.
  const newReadPool = () =>
    new ReadPool({ threads: config.readThreads, maxBytes: 2_000_000, rulesFile: config.beatRulesFile, rules: live.beat.rules, model: live.model, classifier: live.beat.classify, logger });
  const deps: Deps = {
    db: handle.db,
    dbKind: handle.kind,
    config,
    logger,
    clock,
    classify: live.beat.classify,
    rulesVersion: live.beat.rulesVersion,
    topics: live.beat.topics,
    beat: live,
    async syncBeat() {
      await live.sync(handle.db);
      // Compared with what this process classifies with, not with sync()'s answer: the API of the same process
      // may have synced the shared LiveBeat first.
      if (deps.classify === live.beat.classify) return false;
      const was = deps.rulesVersion;
      deps.classify = live.beat.classify;
      deps.rulesVersion = live.beat.rulesVersion;
      // Threads build their classifier once, at start: new threads for the new model. Called between passes,
      // so the old pool has no read in flight.
      const old = deps.readPool;
      deps.readPool = newReadPool();
      await old?.close();
      logger.info({ event: 'beat_model_changed', from: was, to: deps.rulesVersion });
      return true;
    },
    // Event clustering in the background after feeds commit, settled at the end of every refresh pass.
    clustering,
    readPool: newReadPool(),
    close: async () => {
      await clustering.close();
      closeTranslation();
      await deps.readPool?.close();
      await handle.close();
    },
  };
  return deps;
}
