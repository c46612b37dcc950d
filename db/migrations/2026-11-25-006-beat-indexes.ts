import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// Index the beat, not everything fetched. Most articles a feed carries are off the beat: they are kept
// (dedup, and a rule change may promote them) but no feed, story or related-stories lookup shows them,
// so paying full-text and entity index upkeep for them was most of PostgreSQL's ingest cost.
//  - search_vector is NULL for off-beat articles (recomputed when reclassification changes relevance)
//    and the GIN index holds non-NULL vectors only (`@@` is strict, so every search can use it);
//  - the entity index covers placed articles only (related stories join on story_id IS NOT NULL).

const vector = (offBeatNull: boolean) => sql.raw(`
  ${offBeatNull ? `CASE WHEN relevance = 'off_beat' THEN NULL ELSE` : ''}
    CASE WHEN lang IS DISTINCT FROM 'es' THEN
      setweight(to_tsvector('english'::regconfig, public.f_unaccent(title)), 'A') ||
      setweight(to_tsvector('english'::regconfig, public.f_unaccent(summary_text)), 'B')
    ELSE ''::tsvector END ||
    CASE WHEN lang IS DISTINCT FROM 'en' THEN
      setweight(to_tsvector('spanish'::regconfig, public.f_unaccent(title)), 'A') ||
      setweight(to_tsvector('spanish'::regconfig, public.f_unaccent(summary_text)), 'B')
    ELSE ''::tsvector END
  ${offBeatNull ? 'END' : ''}`);

export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX articles_search_idx`.execute(db);
  await sql`ALTER TABLE articles DROP COLUMN search_vector`.execute(db);
  await sql`ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (${vector(true)}) STORED`.execute(db);
  await sql`CREATE INDEX articles_search_idx ON articles USING gin (search_vector) WHERE search_vector IS NOT NULL`.execute(db);
  await sql`DROP INDEX articles_entities_idx`.execute(db);
  await sql`CREATE INDEX articles_entities_idx ON articles USING gin (entities jsonb_path_ops) WHERE story_id IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX articles_entities_idx`.execute(db);
  await sql`CREATE INDEX articles_entities_idx ON articles USING gin (entities jsonb_path_ops)`.execute(db);
  await sql`DROP INDEX articles_search_idx`.execute(db);
  await sql`ALTER TABLE articles DROP COLUMN search_vector`.execute(db);
  await sql`ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (${vector(false)}) STORED`.execute(db);
  await sql`CREATE INDEX articles_search_idx ON articles USING gin (search_vector)`.execute(db);
}
