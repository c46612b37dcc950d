import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import { addStoryLinks } from '../../db/repositories/clustering.repository.js';
import type { EntityMention, Evidence, Relevance } from '../../src/model/types.js';

// Realistic rows for the API tests: English and Spanish outlets, several topics, related coverage,
// a merged story (and a chain of merges), adjacent and off-beat stories, timestamps with microseconds
// and ties (keyset pagination must neither skip nor repeat), and hostile text for escaping.

export const T0 = new Date('2026-11-25T12:00:00Z');

interface SeedArticle {
  title: string;
  url: string;
  lang: 'en' | 'es';
  source: string;
  /** Minutes before T0. */
  ago: number;
  summary?: string;
  topics?: string[];
  entities?: string[];
  relevance?: Relevance;
  alsoCarriedBy?: string[];
  duplicateOfPrev?: boolean;
}

interface SeedStory {
  key: string;
  headline: string;
  topics: string[];
  relevance: Relevance;
  articles: SeedArticle[];
  /** Activity time as a literal (microsecond precision, ties on purpose). */
  lastUpdated: string;
  mergedInto?: string;
}

const SOURCES = [
  { key: 'reuters', url: 'https://feeds.example.com/reuters/world.xml', name: 'Reuters', lang: 'en', status: 'active' },
  { key: 'ap', url: 'https://feeds.example.com/ap/latin-america.xml', name: 'AP News', lang: 'en', status: 'active' },
  { key: 'universal', url: 'https://feeds.example.mx/eluniversal/seguridad.xml', name: 'El Universal', lang: 'es', status: 'active' },
  { key: 'milenio', url: 'https://feeds.example.mx/milenio/policia.xml', name: 'Milenio', lang: 'es', status: 'active' },
  { key: 'border', url: 'https://feeds.example.com/borderreport/rss', name: 'Border Report', lang: 'en', status: 'paused' },
  { key: 'old', url: 'https://feeds.example.com/defunct.xml', name: 'Defunct Daily', lang: 'en', status: 'retired' },
] as const;

const E = {
  sinaloa: 'organization:sinaloa-cartel',
  cjng: 'organization:cjng',
  culiacan: 'place:culiacan',
  nogales: 'place:nogales',
  sheinbaum: 'person:claudia-sheinbaum',
  dea: 'organization:dea',
};

const HAND: SeedStory[] = [
  {
    key: 'extradition',
    headline: 'Sinaloa cartel leader extradited to the United States',
    topics: ['extradition-justice', 'cartel-violence'],
    relevance: 'on_beat',
    lastUpdated: '2026-11-25T11:50:00.123456Z',
    articles: [
      { title: 'Sinaloa cartel leader extradited to the United States', url: 'https://www.reuters.example/world/sinaloa-extradited', lang: 'en', source: 'reuters', ago: 300, summary: 'Mexico extradited a senior Sinaloa cartel figure to face drug trafficking charges in New York.', entities: [E.sinaloa, E.culiacan, E.dea], alsoCarriedBy: ['ap'] },
      { title: 'Extraditan a EU a líder del cártel de Sinaloa detenido en Culiacán', url: 'https://www.eluniversal.example/nacion/extraditan-lider', lang: 'es', source: 'universal', ago: 240, summary: 'El capo fue detenido en Culiacán y entregado a la DEA en el aeropuerto de Toluca.', entities: [E.sinaloa, E.culiacan, E.dea] },
      { title: 'Mexico sends Sinaloa cartel boss to New York', url: 'https://apnews.example/article/sinaloa-boss', lang: 'en', source: 'ap', ago: 200, summary: 'The extradition follows months of pressure from Washington.', entities: [E.sinaloa, E.dea] },
    ],
  },
  {
    key: 'fentanyl',
    headline: 'Record fentanyl seizure at the Nogales port of entry',
    topics: ['fentanyl-trafficking', 'border-security'],
    relevance: 'on_beat',
    lastUpdated: '2026-11-25T11:40:00.000001Z',
    articles: [
      { title: 'Record fentanyl seizure at the Nogales port of entry', url: 'https://apnews.example/article/nogales-fentanyl', lang: 'en', source: 'ap', ago: 500, summary: 'CBP officers found 400 pounds of fentanyl pills hidden in a truck of cucumbers.', entities: [E.nogales, E.sinaloa] },
      { title: 'Aseguran cargamento récord de fentanilo en Nogales', url: 'https://www.milenio.example/policia/fentanilo-nogales', lang: 'es', source: 'milenio', ago: 420, summary: 'Agentes estadounidenses aseguraron pastillas de fentanilo ocultas entre pepinos.', entities: [E.nogales] },
      { title: 'Nogales fentanyl bust is largest this year', url: 'https://www.borderreport.example/nogales-bust', lang: 'en', source: 'border', ago: 400, summary: 'The seizure is the largest at the Arizona crossing this year.', entities: [E.nogales] },
    ],
  },
  {
    key: 'fentanyl-dup',
    headline: 'Nogales fentanyl bust',
    topics: ['fentanyl-trafficking'],
    relevance: 'on_beat',
    lastUpdated: '2026-11-25T10:00:00Z',
    mergedInto: 'fentanyl',
    articles: [],
  },
  {
    key: 'fentanyl-dup2',
    headline: 'Fentanyl pills found among cucumbers',
    topics: ['fentanyl-trafficking'],
    relevance: 'on_beat',
    lastUpdated: '2026-11-25T09:00:00Z',
    mergedInto: 'fentanyl-dup',
    articles: [],
  },
  {
    key: 'culiacan',
    headline: 'Army deployed to Culiacán after Sinaloa cartel clashes',
    topics: ['cartel-violence'],
    relevance: 'on_beat',
    lastUpdated: '2026-11-25T11:40:00.000001Z', // ties with 'fentanyl' on purpose
    articles: [
      { title: 'Despliegan al Ejército en Culiacán tras enfrentamientos del cártel de Sinaloa', url: 'https://www.eluniversal.example/estados/culiacan-ejercito', lang: 'es', source: 'universal', ago: 100, summary: 'Más de mil soldados llegaron a Culiacán después de una noche de balaceras.', entities: [E.sinaloa, E.culiacan] },
      { title: 'Ejército llega a Culiacán', url: 'https://www.milenio.example/estados/ejercito-culiacan', lang: 'es', source: 'milenio', ago: 90, summary: 'Llegan soldados a la capital de Sinaloa.', entities: [E.sinaloa, E.culiacan] },
    ],
  },
  {
    key: 'guns',
    headline: 'Guns & <b>ammo</b> smuggling ring "Operation Río" dismantled',
    topics: ['arms-trafficking', 'border-security'],
    relevance: 'on_beat',
    lastUpdated: '2026-11-25T08:00:00Z',
    articles: [
      { title: 'Guns & <b>ammo</b> smuggling ring "Operation Río" dismantled \u0001', url: 'https://www.reuters.example/world/guns?a=1&b=2', lang: 'en', source: 'reuters', ago: 800, summary: 'ATF agents said <script>alert(1)</script> rifles bought in Texas went to the CJNG.', entities: [E.cjng] },
    ],
  },
  {
    key: 'peso',
    headline: 'Mexican peso rises after security talks',
    topics: ['diplomacy-sovereignty'],
    relevance: 'adjacent',
    lastUpdated: '2026-11-25T11:55:00Z',
    articles: [
      { title: 'Mexican peso rises after security talks', url: 'https://www.reuters.example/markets/peso', lang: 'en', source: 'reuters', ago: 60, summary: 'Markets welcomed the bilateral security dialogue.', relevance: 'adjacent', entities: [E.sheinbaum] },
    ],
  },
  {
    key: 'hurricane',
    headline: 'Hurricane forms in the Gulf of Mexico',
    topics: [],
    relevance: 'off_beat',
    lastUpdated: '2026-11-25T11:58:00Z',
    articles: [
      { title: 'Hurricane forms in the Gulf of Mexico', url: 'https://apnews.example/article/hurricane', lang: 'en', source: 'ap', ago: 30, summary: 'Forecasters expect landfall in Tamaulipas.', relevance: 'off_beat' },
    ],
  },
];

const GEN_TOPICS = ['border-security', 'cartel-violence', 'fentanyl-trafficking', 'cartel-designations', 'diplomacy-sovereignty', 'us-military-action'];
const OUTLETS = ['reuters', 'ap', 'universal', 'milenio'] as const;

/** 30 more on-beat stories, 1–3 articles each, two per timestamp (ties), microsecond offsets. */
function generated(): SeedStory[] {
  const out: SeedStory[] = [];
  for (let i = 0; i < 30; i++) {
    // Pairs share the exact same instant (ties broken by id); odd microseconds test exact cursors.
    const micros = String((Math.floor(i / 2) * 7919) % 1_000_000).padStart(6, '0');
    const minute = 10 + Math.floor(i / 2); // two stories share each timestamp
    const topic = GEN_TOPICS[i % GEN_TOPICS.length]!;
    const es = i % 3 === 0;
    const n = 1 + (i % 3);
    out.push({
      key: `gen-${i}`,
      headline: es ? `Reportan operativo de seguridad número ${i} en Tamaulipas` : `Security operation number ${i} reported in Tamaulipas`,
      topics: i % 4 === 0 ? [topic, 'border-security'] : [topic],
      relevance: 'on_beat',
      lastUpdated: `2026-11-24T20:${String(minute).padStart(2, '0')}:00.${micros}Z`,
      articles: Array.from({ length: n }, (_, j) => {
        const src = OUTLETS[(i + j) % OUTLETS.length]!;
        const spanish = src === 'universal' || src === 'milenio';
        return {
          title: spanish ? `Operativo ${i}: detienen a ${j + 1} personas en Reynosa` : `Operation ${i}: ${j + 1} detained in Reynosa`,
          url: `https://news.example/${src}/op-${i}-${j}`,
          lang: spanish ? 'es' : 'en',
          source: src,
          ago: 1000 + i * 10 + j,
          summary: spanish ? 'Fuerzas federales realizaron detenciones en la frontera.' : 'Federal forces made arrests near the border.',
        } satisfies SeedArticle;
      }),
    });
  }
  return out;
}

export interface Seeded {
  sources: Record<string, number>;
  stories: Record<string, number>;
  articles: Record<string, number>;
  /** Live on-beat stories (what `all` lists). */
  onBeatStoryIds: number[];
  allArticleIds: number[];
}

const evidenceFor = (t: string): Evidence[] => [{ rule: `topic:${t}/pattern:test`, matched: t.split('-')[0]!, field: 'title', weight: 2 }];
const entityFor = (id: string): EntityMention => {
  const [kind, slug] = id.split(':') as [EntityMention['kind'], string];
  return { id, kind, name: slug.replace(/-/g, ' '), matched: slug };
};

export async function seed(db: Db): Promise<Seeded> {
  await sql`TRUNCATE sources, articles, source_items, stories RESTART IDENTITY CASCADE`.execute(db);
  const sources: Record<string, number> = {};
  for (const s of SOURCES) {
    const r = await db
      .insertInto('sources')
      .values({
        url: s.url,
        name: s.name,
        lang: s.lang,
        status: s.status,
        next_check_at: T0,
        created_at: T0,
        updated_at: T0,
        last_fetched_at: s.status === 'retired' ? null : new Date(T0.getTime() - 600_000),
        last_status: s.key === 'border' ? 503 : 200,
        last_error_code: s.key === 'border' ? 'fetch_http_error' : null,
        last_error_message: s.key === 'border' ? 'HTTP 503' : null,
        error_count: s.key === 'border' ? 3 : 0,
        fetch_count: 20,
        not_modified_count: s.key === 'reuters' ? 15 : 5,
        items_stored: 12,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    sources[s.key] = r.id;
  }

  const all = [...HAND, ...generated()];
  const stories: Record<string, number> = {};
  const articles: Record<string, number> = {};
  const allArticleIds: number[] = [];
  for (const st of all) {
    const times = st.articles.map((a) => new Date(T0.getTime() - a.ago * 60_000));
    const first = times.length ? new Date(Math.min(...times.map(Number))) : new Date(st.lastUpdated);
    const last = times.length ? new Date(Math.max(...times.map(Number))) : new Date(st.lastUpdated);
    const langCounts: Record<string, number> = {};
    for (const a of st.articles) langCounts[a.lang] = (langCounts[a.lang] ?? 0) + 1;
    const r = await sql<{ id: number }>`
      INSERT INTO stories (headline, first_published_at, last_published_at, first_seen_at, last_updated_at,
                           article_count, outlet_count, lang_counts, topics, relevance)
      VALUES (${st.headline}, ${first}, ${last}, ${first}, ${st.lastUpdated}::timestamptz, ${st.articles.length},
              ${new Set(st.articles.map((a) => a.source)).size}, ${JSON.stringify(langCounts)}::jsonb, ${st.topics}::text[], ${st.relevance})
      RETURNING id`.execute(db);
    const storyId = r.rows[0]!.id;
    stories[st.key] = storyId;
    let firstArticle: number | null = null;
    let prev: number | null = null;
    for (const [j, a] of st.articles.entries()) {
      const ar = await db
        .insertInto('articles')
        .values({
          dedup_key: `url:${a.url}`,
          url: a.url,
          canonical_url: a.url.replace(/^https:\/\/(www\.)?/, 'https://'),
          guid: a.url,
          title: a.title,
          summary_html: `<p>${a.summary ?? ''}</p>`,
          summary_text: a.summary ?? '',
          lang: a.lang,
          published_at: new Date(T0.getTime() - a.ago * 60_000),
          first_seen_at: new Date(T0.getTime() - a.ago * 60_000 + 120_000),
          updated_at: T0,
          content_hash: `h${st.key}${j}`,
          first_source_id: sources[a.source]!,
          relevance: a.relevance ?? st.relevance,
          score: (a.relevance ?? st.relevance) === 'on_beat' ? 7.5 : 2,
          topics: a.topics ?? st.topics,
          entities: JSON.stringify((a.entities ?? []).map(entityFor)),
          evidence: JSON.stringify(st.topics.slice(0, 1).map(evidenceFor).flat()),
          story_id: storyId,
          duplicate_of: a.duplicateOfPrev ? prev : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      articles[`${st.key}/${j}`] = ar.id;
      allArticleIds.push(ar.id);
      firstArticle ??= ar.id;
      prev = ar.id;
      for (const [k, src] of [a.source, ...(a.alsoCarriedBy ?? [])].entries()) {
        await db
          .insertInto('source_items')
          .values({
            source_id: sources[src]!,
            item_key: `guid:${a.url}`,
            article_id: ar.id,
            content_hash: `h${st.key}${j}`,
            first_seen_at: new Date(T0.getTime() - a.ago * 60_000 + 120_000 + k * 60_000),
            last_seen_at: T0,
          })
          .execute();
      }
    }
    await db
      .updateTable('stories')
      .set({ first_article_id: firstArticle, first_source_id: st.articles[0] ? sources[st.articles[0].source]! : null })
      .where('id', '=', storyId)
      .execute();
  }
  for (const st of all) {
    if (st.mergedInto) await db.updateTable('stories').set({ merged_into: stories[st.mergedInto]! }).where('id', '=', stories[st.key]!).execute();
  }
  const onBeatStoryIds = all.filter((s) => s.relevance === 'on_beat' && !s.mergedInto).map((s) => stories[s.key]!);
  // A storyline, as placement records one (addStoryLinks, both ways): the Culiacán operation and the extradition
  // that followed share the Sinaloa cartel and Culiacán.
  await addStoryLinks(db, [{ storyId: stories.extradition!, relatedId: stories.culiacan!, score: 0.3, shared: ['organization:sinaloa-cartel', 'place:culiacan'] }]);
  return { sources, stories, articles, onBeatStoryIds, allArticleIds };
}
