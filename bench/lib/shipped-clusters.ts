// The evaluation's placement runs the shipped path: articles stored in a fresh PGlite (or DATABASE_URL's
// PostgreSQL), placed in batches by clusterArticles (the service ingest and recluster call, over the SQL
// store), stories read back from the database. The same articles through the in-memory store
// (src/cluster/memory-store.ts) must give the identical partition; the eval prints whether they do.
import { sql } from 'kysely';
import { openDb, type DbHandle } from '../../db/client.js';
import { migrateToLatest } from '../../db/migrator.js';
import { addDocumentFrequencies, lockClustering } from '../../db/repositories/clustering.repository.js';
import { articleFeatures } from '../../src/cluster/features.js';
import { MemoryClusterStore } from '../../src/cluster/memory-store.js';
import { placeArticles, type ClusterInput } from '../../src/cluster/place-articles.js';
import type { ArticleInput, ClusterOptions } from '../../src/cluster/types.js';
import { DEFAULT_CLUSTER_OPTIONS } from '../../src/cluster/decide.js';
import { clusterArticles } from '../../src/services/cluster-articles.js';
import { withProcessTranslator } from '../../src/runtime/translate/index.js';

export interface PlacedItem {
  id: string;
  input: ArticleInput;
  relevance?: ClusterInput['relevance'];
}

export interface Partition {
  /** Item id → story key; a roundup (member of no story) is its own singleton. */
  assignment: Map<string, string>;
  stories: number;
  roundups: number;
  /** Item id → ids of the stories a roundup was attached to. */
  roundupLinks: Map<string, string[]>;
}

/** Articles placed per transaction, as recluster does. */
export const EVAL_BATCH = 500;
const NOW = new Date('2026-12-31T00:00:00Z');

/**
 * Document frequencies pre-fitted on the items' own text (unsupervised), as the production term_df would be
 * after a day of ingest; placement then adds each batch as it goes, exactly as ingest does.
 */
function prefit(items: readonly PlacedItem[], background: readonly ArticleInput[] = []): { counts: Map<string, number>; docs: number } {
  const counts = new Map<string, number>();
  for (const input of [...items.map((it) => it.input), ...background]) {
    const f = articleFeatures(input);
    for (const k of new Set([...Object.keys(f.terms), ...Object.keys(f.anchors)])) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return { counts, docs: items.length + background.length };
}

function clusterInputs(items: readonly PlacedItem[], ids: readonly number[]): ClusterInput[] {
  return items.map((it, i) => ({
    id: ids[i]!,
    title: it.input.title,
    summaryText: it.input.summary,
    lang: it.input.lang,
    entities: it.input.entities ?? [],
    publishedAt: it.input.publishedAt,
    relevance: it.relevance ?? 'on_beat',
  }));
}

/** Places the items through the database (clusterArticles over the SQL store) and reads the stories back. */
export interface PlacementRun {
  /** PostgreSQL to use (an empty database); else an in-memory PGlite. */
  databaseUrl?: string | undefined;
  /** Articles per placement transaction (default EVAL_BATCH). */
  batch?: number;
}

export async function shippedPartition(
  items: readonly PlacedItem[],
  opts: ClusterOptions = DEFAULT_CLUSTER_OPTIONS,
  background: readonly ArticleInput[] = [],
  run: PlacementRun = {},
): Promise<Partition> {
  const url = run.databaseUrl ?? process.env.EVAL_DATABASE_URL;
  const handle: DbHandle = await openDb(url ? { databaseUrl: url } : { dataDir: 'memory://' });
  try {
    const db = handle.db;
    await migrateToLatest(db);
    // Ids in the items' order (the arrival order): placement breaks publication-time ties by id.
    const ids: number[] = [];
    for (let i = 0; i < items.length; i += 1000) {
      const chunk = items.slice(i, i + 1000);
      const r = await sql<{ id: number }>`
        INSERT INTO articles (dedup_key, title, summary_text, lang, published_at, first_seen_at, updated_at, content_hash, relevance, entities)
        SELECT k, t, s, l, p, f, u, h, r, e FROM unnest(${chunk.map((it) => `eval:${it.id}`)}::text[], ${chunk.map((it) => it.input.title)}::text[],
          ${chunk.map((it) => it.input.summary)}::text[], ${chunk.map((it) => it.input.lang)}::text[],
          ${chunk.map((it) => (Number.isNaN(it.input.publishedAt.getTime()) ? NOW : it.input.publishedAt))}::timestamptz[],
          ${chunk.map(() => NOW)}::timestamptz[], ${chunk.map(() => NOW)}::timestamptz[], ${chunk.map((it) => `h:${it.id}`)}::text[],
          ${chunk.map((it) => it.relevance ?? 'on_beat')}::text[], ${chunk.map((it) => JSON.stringify(it.input.entities ?? []))}::jsonb[])
          WITH ORDINALITY AS x(k, t, s, l, p, f, u, h, r, e, n)
        ORDER BY n
        RETURNING id, dedup_key`.execute(db);
      const byKey = new Map(r.rows.map((x) => [(x as unknown as { dedup_key: string }).dedup_key, Number(x.id)]));
      for (const it of chunk) ids.push(byKey.get(`eval:${it.id}`)!);
    }
    const { counts, docs } = prefit(items, background);
    await addDocumentFrequencies(db, counts, docs);
    const inputs = clusterInputs(items, ids);
    const size = run.batch ?? EVAL_BATCH;
    for (let i = 0; i < inputs.length; i += size) {
      const batch = inputs.slice(i, i + size);
      await db.transaction().execute(async (trx) => {
        await lockClustering(trx);
        await clusterArticles(trx, batch, NOW, opts);
      });
    }
    const rows = await sql<{ id: number; story_id: number | null; is_roundup: boolean }>`SELECT id, story_id, is_roundup FROM articles`.execute(db);
    const links = await sql<{ story_id: number; article_id: number }>`SELECT story_id, article_id FROM story_roundups`.execute(db);
    const byId = new Map(ids.map((id, i) => [id, items[i]!.id]));
    const placed = rows.rows.map((r) => ({ id: Number(r.id), storyId: r.story_id === null ? null : Number(r.story_id) }));
    return partitionOf(placed, byId, links.rows.map((l) => ({ storyId: Number(l.story_id), articleId: Number(l.article_id) })));
  } finally {
    await handle.close();
  }
}

/** The same placement over the in-memory store. */
export async function memoryPartition(
  items: readonly PlacedItem[],
  opts: ClusterOptions = DEFAULT_CLUSTER_OPTIONS,
  background: readonly ArticleInput[] = [],
  run: Pick<PlacementRun, 'batch'> = {},
): Promise<Partition> {
  const store = new MemoryClusterStore();
  const ids = items.map((_, i) => i + 1);
  const inputs = clusterInputs(items, ids);
  store.addArticles(inputs);
  const { counts, docs } = prefit(items, background);
  await store.addDocumentFrequencies(counts, docs);
  const size = run.batch ?? EVAL_BATCH;
  // The translator clusterArticles would use (the process's), so that both paths read Spanish articles alike.
  const placing = withProcessTranslator(opts);
  for (let i = 0; i < inputs.length; i += size) await placeArticles(store, inputs.slice(i, i + size), NOW, placing);
  const byId = new Map(ids.map((id, i) => [id, items[i]!.id]));
  const links: Array<{ storyId: number; articleId: number }> = [];
  for (const [storyId, m] of store.roundups) for (const articleId of m.keys()) links.push({ storyId, articleId });
  return partitionOf([...store.partition()].map(([id, storyId]) => ({ id, storyId })), byId, links);
}

function partitionOf(
  placed: Array<{ id: number; storyId: number | null }>,
  byId: Map<number, string>,
  links: Array<{ storyId: number; articleId: number }>,
): Partition {
  const assignment = new Map<string, string>();
  let roundups = 0;
  for (const p of placed) {
    const item = byId.get(p.id);
    if (item === undefined) continue;
    if (p.storyId === null) roundups++;
    assignment.set(item, p.storyId === null ? `r:${item}` : `s${p.storyId}`);
  }
  const roundupLinks = new Map<string, string[]>();
  for (const l of links) {
    const item = byId.get(l.articleId)!;
    roundupLinks.set(item, [...(roundupLinks.get(item) ?? []), `s${l.storyId}`]);
  }
  return { assignment, stories: new Set([...assignment.values()].filter((v) => v.startsWith('s'))).size, roundups, roundupLinks };
}

/** Two partitions equal up to renaming of the stories. */
export function samePartition(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  const ab = new Map<string, string>();
  const ba = new Map<string, string>();
  for (const [k, va] of a) {
    const vb = b.get(k);
    if (vb === undefined) return false;
    if ((ab.get(va) ?? vb) !== vb || (ba.get(vb) ?? va) !== va) return false;
    ab.set(va, vb);
    ba.set(vb, va);
  }
  return true;
}
