// `npm run db:migrate`: apply pending migrations to DATABASE_URL or the PGlite store in DATA_DIR.
import { loadConfig } from '../src/config.js';
import { openDb } from './client.js';
import { migrateToLatest } from './migrator.js';

const config = loadConfig();
const handle = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const applied = await migrateToLatest(handle.db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await handle.close();
}
