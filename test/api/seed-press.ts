import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import { refreshStoryPress } from '../../db/repositories/story-press.repository.js';

// The two presses on the API seed (issue 18): a country of publication for its outlets (and the newsletter
// fixture's), then every story's sides computed as clustering stores them. Kept apart from seed(): the tests
// that compare the API's bytes keep a seed without countries.

export const SEED_COUNTRIES: Record<string, string> = {
  'Reuters': 'US',
  'AP News': 'US',
  'Border Report': 'US',
  'Defunct Daily': 'US',
  'NBC News': 'US',
  'Office of Public Affairs': 'US',
  'El Universal': 'MX',
  'Milenio': 'MX',
  'La Jornada': 'MX',
};

export async function seedPress(db: Db): Promise<void> {
  for (const [name, country] of Object.entries(SEED_COUNTRIES)) {
    await db.updateTable('sources').set({ country }).where('name', '=', name).execute();
  }
  const ids = await sql<{ id: number }>`SELECT id FROM stories`.execute(db);
  await refreshStoryPress(db, ids.rows.map((r) => Number(r.id)));
}
