import type { Migration } from 'kysely';
import * as m001 from './2026-11-25-001-ingest.js';
import * as m002 from './2026-11-25-002-stories.js';
import * as m003 from './2026-11-25-003-search.js';
import * as m004 from './2026-11-25-004-newsletters.js';
import * as m005 from './2026-11-25-005-cluster-pending.js';
import * as m006 from './2026-11-25-006-beat-indexes.js';
import * as m007 from './2026-11-25-007-lean-article-indexes.js';
import * as m008 from './2026-11-25-008-article-insert-indexes.js';
import * as m009 from './2026-11-25-009-source-references.js';
import * as m010 from './2026-11-25-010-story-keys-covering.js';
import * as m011 from './2026-12-07-011-beat-corrections.js';
import * as m012 from './2026-12-07-012-source-checks.js';
import * as m013 from './2026-12-07-013-source-filters-outlets.js';
import * as m014 from './2026-12-07-014-story-event-time.js';
import * as m015 from './2026-12-07-015-story-links-roundups.js';
import * as m016 from './2026-12-07-016-story-press.js';
import * as m017 from './2026-12-07-017-source-foreign-keys.js';
import * as m018 from './2026-12-07-018-searchable-published.js';

/** Every migration, in order. Names are frozen: they are recorded in kysely_migration. */
export const migrations: Record<string, Migration> = {
  '2026-11-25-001-ingest': m001,
  '2026-11-25-002-stories': m002,
  '2026-11-25-003-search': m003,
  '2026-11-25-004-newsletters': m004,
  '2026-11-25-005-cluster-pending': m005,
  '2026-11-25-006-beat-indexes': m006,
  '2026-11-25-007-lean-article-indexes': m007,
  '2026-11-25-008-article-insert-indexes': m008,
  '2026-11-25-009-source-references': m009,
  '2026-11-25-010-story-keys-covering': m010,
  '2026-12-07-011-beat-corrections': m011,
  '2026-12-07-012-source-checks': m012,
  '2026-12-07-013-source-filters-outlets': m013,
  '2026-12-07-014-story-event-time': m014,
  '2026-12-07-015-story-links-roundups': m015,
  '2026-12-07-016-story-press': m016,
  '2026-12-07-017-source-foreign-keys': m017,
  '2026-12-07-018-searchable-published': m018,
};
