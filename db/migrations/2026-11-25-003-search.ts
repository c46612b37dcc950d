import { sql, type Kysely } from 'kysely';

// Frozen once merged: never edit; add a new migration instead.
// Bilingual full-text search over articles (title weighted A, summary B).
//
// unaccent() is only STABLE (it depends on search_path and the dictionary), so a generated column
// may not call it. f_unaccent pins both the function and the dictionary by schema, which makes the
// IMMUTABLE promise true, and is what the query side calls on the user's input too.
// The tsvector holds the analysis in the article's detected language (both analyses when the language
// is unknown: half the to_tsvector cost on ingest for most rows), so one GIN index answers
// `websearch_to_tsquery('english', q) || websearch_to_tsquery('spanish', q)` whatever the article's language.
//
// frontera_english / frontera_spanish (unaccent before the stemmer) are used only by ts_headline: it
// re-parses the original, accented text, and must fold accents the same way to highlight "Culiacán"
// for the query "culiacan".

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db);
  await sql`
    CREATE FUNCTION public.f_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`.execute(db);

  for (const lang of ['english', 'spanish'] as const) {
    const cfg = sql.raw(`public.frontera_${lang}`);
    await sql`CREATE TEXT SEARCH CONFIGURATION ${cfg} (COPY = ${sql.raw(`pg_catalog.${lang}`)})`.execute(db);
    await sql`ALTER TEXT SEARCH CONFIGURATION ${cfg}
      ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, ${sql.raw(`${lang}_stem`)}`.execute(db);
  }

  await sql`
    ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
      CASE WHEN lang IS DISTINCT FROM 'es' THEN
        setweight(to_tsvector('english'::regconfig, public.f_unaccent(title)), 'A') ||
        setweight(to_tsvector('english'::regconfig, public.f_unaccent(summary_text)), 'B')
      ELSE ''::tsvector END ||
      CASE WHEN lang IS DISTINCT FROM 'en' THEN
        setweight(to_tsvector('spanish'::regconfig, public.f_unaccent(title)), 'A') ||
        setweight(to_tsvector('spanish'::regconfig, public.f_unaccent(summary_text)), 'B')
      ELSE ''::tsvector END
    ) STORED`.execute(db);
  await sql`CREATE INDEX articles_search_idx ON articles USING gin (search_vector)`.execute(db);

  // The API's `source` filter (articles and stories carried by one source) and related stories
  // (articles mentioning an entity id: `entities @> '[{"id": …}]'`).
  await sql`CREATE INDEX source_items_source_article_idx ON source_items (source_id, article_id)`.execute(db);
  await sql`CREATE INDEX articles_entities_idx ON articles USING gin (entities jsonb_path_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS articles_entities_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS source_items_source_article_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS articles_search_idx`.execute(db);
  await sql`ALTER TABLE articles DROP COLUMN IF EXISTS search_vector`.execute(db);
  await sql`DROP TEXT SEARCH CONFIGURATION IF EXISTS public.frontera_spanish`.execute(db);
  await sql`DROP TEXT SEARCH CONFIGURATION IF EXISTS public.frontera_english`.execute(db);
  await sql`DROP FUNCTION IF EXISTS public.f_unaccent(text)`.execute(db);
}
