// A fresh, migrated bench database with the given sources (parent side; workers only refresh).
import { openDb } from '../../db/client.js';
import { migrateToLatest } from '../../db/migrator.js';
import { insertSources } from '../../db/repositories/sources.repository.js';
import { freshDatabase } from './pg-admin.js';

export async function freshMigratedDb(name: string, urls: string[]): Promise<string> {
  const url = await freshDatabase(name);
  const h = await openDb({ databaseUrl: url });
  try {
    await migrateToLatest(h.db);
    for (let i = 0; i < urls.length; i += 1000) await insertSources(h.db, urls.slice(i, i + 1000).map((u) => ({ url: u })), new Date());
  } finally {
    await h.close();
  }
  return url;
}
