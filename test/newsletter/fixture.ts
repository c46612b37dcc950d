import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import { seed, type Seeded } from '../api/seed.js';

// The API tests' seed (realistic stories, merges, adjacent/off-beat noise, hostile text) plus a few
// events a newsletter editor would recognise: a five-outlet bilingual story in two topics, an official
// DOJ release, feed boilerplate to strip, and an event of the previous week that must stay out.

export const NOW = new Date('2026-11-30T11:00:00Z');
export const WEEK_OF = '2026-11-23';

interface X {
  title: string;
  url: string;
  lang: 'en' | 'es';
  source: string;
  at: string;
  summary: string;
  topics: string[];
}

interface XStory {
  key: string;
  headline: string;
  topics: string[];
  articles: X[];
}

const SOURCES = [
  { key: 'nbc', url: 'https://feeds.example.com/nbc/world.xml', name: 'NBC News', lang: 'en', site: 'https://www.nbcnews.example' },
  { key: 'jornada', url: 'https://feeds.example.mx/jornada/politica.xml', name: 'La Jornada', lang: 'es', site: 'https://www.jornada.example' },
  { key: 'doj', url: 'https://www.justice.gov/news/rss?type=press_release', name: 'Office of Public Affairs', lang: 'en', site: 'https://www.justice.gov' },
] as const;

const STORIES: XStory[] = [
  {
    key: 'cia-options',
    headline: 'US weighs sending special forces and CIA officers into Mexico to strike cartels',
    topics: ['us-military-action', 'diplomacy-sovereignty'],
    articles: [
      { title: 'US weighs sending special forces and CIA officers into Mexico to strike cartels', url: 'https://www.nbcnews.example/politics/cia-mexico-cartels', lang: 'en', source: 'nbc', at: '2026-11-23T14:05:00Z', summary: 'The Trump administration has begun training for a potential mission into Mexico targeting drug cartels, current and former US officials said. The plans include drone strikes under CIA authority. Officials cautioned that no final decision has been made.', topics: ['us-military-action'] },
      { title: 'Pentagon drafts options for strikes on Mexican cartels, sources say', url: 'https://www.reuters.example/world/pentagon-cartel-options', lang: 'en', source: 'reuters', at: '2026-11-23T18:30:00Z', summary: 'Military planners have drawn up options ranging from drone strikes to special-forces raids on drug labs.', topics: ['us-military-action'] },
      { title: 'EU prepara opciones para atacar a cárteles en territorio mexicano', url: 'https://www.eluniversal.example/mundo/eu-opciones-carteles', lang: 'es', source: 'universal', at: '2026-11-23T20:10:00Z', summary: 'Funcionarios estadounidenses confirmaron que se preparan operaciones con drones contra laboratorios de fentanilo. La Casa Blanca no ha tomado una decisión.', topics: ['us-military-action', 'diplomacy-sovereignty'] },
      { title: 'Sheinbaum: "No aceptamos ninguna forma de intervención"', url: 'https://www.jornada.example/politica/sheinbaum-intervencion', lang: 'es', source: 'jornada', at: '2026-11-24T13:10:00Z', summary: 'La presidenta Claudia Sheinbaum rechazó cualquier forma de intervención o injerencia de Estados Unidos. Subrayó que México ha enviado a 55 integrantes de cárteles a ese país. La entrada Sheinbaum rechaza intervención se publicó primero en La Jornada.', topics: ['diplomacy-sovereignty'] },
      { title: 'Ataques con drones contra cárteles, en la mesa de Washington', url: 'https://www.milenio.example/internacional/drones-carteles', lang: 'es', source: 'milenio', at: '2026-11-24T16:45:00Z', summary: 'Washington analiza ataques con drones bajo autoridad de la CIA.', topics: ['us-military-action'] },
    ],
  },
  {
    key: 'ovidio',
    headline: 'Ovidio Guzmán López pleads guilty to drug trafficking charges in Chicago',
    topics: ['extradition-justice', 'cartel-violence'],
    articles: [
      { title: 'Ovidio Guzmán López pleads guilty to drug trafficking charges in Chicago', url: 'https://www.justice.gov/opa/pr/ovidio-guzman-lopez-pleads-guilty', lang: 'en', source: 'doj', at: '2026-11-26T17:00:00Z', summary: 'Ovidio Guzmán López, 35, a leader of the Sinaloa Cartel faction known as Los Chapitos, pleaded guilty today to drug trafficking and money laundering charges. He faces a mandatory minimum of 10 years in prison. The post Ovidio Guzmán López pleads guilty appeared first on Office of Public Affairs.', topics: ['extradition-justice'] },
      { title: 'Son of "El Chapo" pleads guilty in US court', url: 'https://apnews.example/article/ovidio-guilty', lang: 'en', source: 'ap', at: '2026-11-26T18:20:00Z', summary: 'Ovidio Guzmán López admitted his role in trafficking fentanyl into the United States. Read more', topics: ['extradition-justice', 'cartel-violence'] },
      { title: 'Ovidio Guzmán se declara culpable en Chicago', url: 'https://www.milenio.example/policia/ovidio-culpable', lang: 'es', source: 'milenio', at: '2026-11-26T19:05:00Z', summary: 'El hijo de Joaquín Guzmán Loera aceptó los cargos de narcotráfico ante una corte federal.', topics: ['extradition-justice'] },
    ],
  },
  {
    key: 'tunnel',
    headline: 'Cross-border smuggling tunnel found under Tijuana warehouse',
    topics: ['border-security'],
    articles: [
      { title: 'Cross-border smuggling tunnel found under Tijuana warehouse', url: 'https://www.borderreport.example/tijuana-tunnel', lang: 'en', source: 'border', at: '2026-11-27T09:30:00Z', summary: 'The 300-meter tunnel had rails, lighting and ventilation and ended in an Otay Mesa warehouse.', topics: ['border-security'] },
      { title: 'Hallan narcotúnel entre Tijuana y San Diego', url: 'https://www.eluniversal.example/estados/narcotunel-tijuana', lang: 'es', source: 'universal', at: '2026-11-27T12:00:00Z', summary: 'Autoridades de ambos países localizaron un túnel de 300 metros con rieles e iluminación.', topics: ['border-security'] },
    ],
  },
  {
    key: 'last-week',
    headline: 'Treasury sanctions CJNG fuel-theft network',
    topics: ['cartel-designations'],
    articles: [
      { title: 'Treasury sanctions CJNG fuel-theft network', url: 'https://www.reuters.example/world/ofac-cjng-fuel', lang: 'en', source: 'reuters', at: '2026-11-18T15:00:00Z', summary: 'OFAC designated 12 people and 8 companies tied to the Jalisco cartel.', topics: ['cartel-designations'] },
    ],
  },
];

export interface NewsletterSeed extends Seeded {
  extraStories: Record<string, number>;
}

export async function seedNewsletter(db: Db): Promise<NewsletterSeed> {
  const base = await seed(db);
  await sql`TRUNCATE newsletters RESTART IDENTITY`.execute(db);
  const sources: Record<string, number> = { ...base.sources };
  for (const s of SOURCES) {
    const r = await db
      .insertInto('sources')
      .values({ url: s.url, name: s.name, lang: s.lang, site_url: s.site, next_check_at: NOW, created_at: NOW, updated_at: NOW })
      .returning('id')
      .executeTakeFirstOrThrow();
    sources[s.key] = r.id;
  }
  const extraStories: Record<string, number> = {};
  for (const st of STORIES) {
    const times = st.articles.map((a) => new Date(a.at).getTime());
    const first = new Date(Math.min(...times));
    const last = new Date(Math.max(...times));
    const langCounts: Record<string, number> = {};
    for (const a of st.articles) langCounts[a.lang] = (langCounts[a.lang] ?? 0) + 1;
    const r = await sql<{ id: number }>`
      INSERT INTO stories (headline, first_published_at, last_published_at, first_seen_at, last_updated_at,
                           article_count, outlet_count, lang_counts, topics, relevance, first_source_id)
      VALUES (${st.headline}, ${first}, ${last}, ${first}, ${last}, ${st.articles.length},
              ${new Set(st.articles.map((a) => a.source)).size}, ${JSON.stringify(langCounts)}::jsonb, ${st.topics}::text[], 'on_beat',
              ${sources[st.articles[0]!.source]!})
      RETURNING id`.execute(db);
    const storyId = r.rows[0]!.id;
    extraStories[st.key] = storyId;
    for (const [j, a] of st.articles.entries()) {
      const ar = await db
        .insertInto('articles')
        .values({
          dedup_key: `url:${a.url}`,
          url: a.url,
          canonical_url: a.url,
          guid: a.url,
          title: a.title,
          summary_html: `<p>${a.summary}</p>`,
          summary_text: a.summary,
          lang: a.lang,
          published_at: new Date(a.at),
          first_seen_at: new Date(new Date(a.at).getTime() + 120_000),
          updated_at: NOW,
          content_hash: `x${st.key}${j}`,
          first_source_id: sources[a.source]!,
          relevance: 'on_beat',
          score: 8,
          topics: a.topics,
          story_id: storyId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (j === 0) await db.updateTable('stories').set({ first_article_id: ar.id }).where('id', '=', storyId).execute();
    }
  }
  return { ...base, sources, extraStories };
}
