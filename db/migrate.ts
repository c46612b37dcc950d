// `npm run db:migrate`: apply pending migrations to DATABASE_URL or the PGlite store in DATA_DIR.
import '../src/env-file.js';
import { loadConfig, type Config } from '../src/config.js';
import { exitOnStartupError } from '../src/startup-error.js';
import { openDb, waitForDatabase, type DbHandle } from './client.js';
import { migrateToLatest } from './migrator.js';

let config: Config | undefined;
let handle: DbHandle | undefined;
try {
  config = loadConfig();
  handle = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  // Run by hand or by a deploy step: an unreachable server is reported after a few seconds.
  if (handle.kind === 'postgres') await waitForDatabase(handle.db, { maxWaitMs: 5_000 });
  const applied = await migrateToLatest(handle.db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} catch (e) {
  await handle?.close().catch(() => {});
  exitOnStartupError(e, config);
}
await handle.close();
