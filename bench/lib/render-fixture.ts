import type { PressSideView, StoryPress } from '../../src/press/types.js';
import type { FeedRelatedArticle, TopicFeed, TopicFeedItem } from '../../src/render/topic-feed-model.js';

// A topic feed shaped like a busy one from the API (default limit: 50 stories), for the render bench:
// bilingual titles with the characters escaping has to handle, several outlets per story, roundups every
// fifth story, storyline links and both presses on half the stories. Deterministic.

const OUTLETS = ['Reuters', 'El Universal', 'AP News', 'Milenio', 'La Jornada', 'Border Report', 'Proceso', 'NBC News'];
const TITLES = [
  'Sinaloa cartel leader extradited to the United States',
  'Extraditan a líder del Cártel de Sinaloa a Estados Unidos',
  'Guns & ammo smuggling ring "Operation Río" dismantled',
  'Aseguran cargamento récord de fentanilo en Nogales',
  'Border agents seize 300 lbs of meth <hidden> in a truck',
  'Despliegan 1,200 elementos de la Guardia Nacional en Culiacán',
];
const T0 = Date.UTC(2026, 10, 25, 7, 0, 0);

function article(story: number, k: number): FeedRelatedArticle {
  const outlet = OUTLETS[(story + k) % OUTLETS.length]!;
  return {
    articleId: story * 100 + k,
    title: `${TITLES[(story + k) % TITLES.length]} (${k + 1})`,
    url: `https://news.example/${outlet.toLowerCase().replace(/\s+/g, '-')}/${story}-${k}?utm_source=x&id=${k}`,
    outlet,
    lang: k % 2 ? 'es' : 'en',
    publishedAt: new Date(T0 + story * 3_600_000 + k * 600_000),
  };
}

function side(country: 'US' | 'MX', story: number): PressSideView {
  return {
    country,
    outlets: 2,
    articles: 3,
    firstArticleId: story * 100,
    firstAt: new Date(T0 + story * 3_600_000),
    terms: ['extradition', 'soberanía', 'cartel'].map((term, i) => ({ term, key: `s:${term}`, score: 2.5 - i / 2, articles: 3 - i, otherArticles: i })),
    names: [{ id: 'organization:sinaloa-cartel', name: 'Cártel de Sinaloa', kind: 'cartel', articles: 3, otherArticles: 1 }],
  };
}

function press(story: number): StoryPress {
  return { us: side('US', story), mx: side('MX', story), other: null, firstSide: 'us', lagMs: 1_800_000 };
}

function item(i: number): TopicFeedItem {
  const related = Array.from({ length: 3 + (i % 6) }, (_, k) => article(i, k));
  return {
    id: `urn:frontera:story:${1000 + i}`,
    kind: 'story',
    storyId: 1000 + i,
    articleId: related[0]!.articleId,
    title: TITLES[i % TITLES.length]!,
    url: related[0]!.url,
    summary:
      'Mexican authorities handed over a top cartel figure to US prosecutors on Tuesday, officials said; ' +
      'las autoridades mexicanas informaron que el traslado se realizó en coordinación con la Fiscalía General de la República.',
    published: new Date(T0 + i * 3_600_000),
    updated: new Date(T0 + i * 3_600_000 + 1_800_000),
    lang: i % 3 ? 'es' : null,
    topics: ['extradition-justice', 'cartel-violence'].slice(0, 1 + (i % 2)),
    outlets: [...new Set(related.map((r) => r.outlet!))],
    related,
    articleCount: related.length + (i % 4),
    roundups: i % 5 === 0 ? [article(i, 9)] : [],
    relatedStories: i % 4 === 0 ? [{ storyId: 2000 + i, headline: TITLES[(i + 1) % TITLES.length]!, url: `http://frontera.test/stories/${2000 + i}`, shared: ['place:culiacan'] }] : [],
    ...(i % 2 ? { press: press(i) } : {}),
  };
}

export function benchTopicFeed(items = 50): TopicFeed {
  const base = 'http://frontera.test';
  return {
    id: 'urn:frontera:feed:all',
    topic: 'all',
    title: 'Frontera — All US–Mexico security news',
    description: 'Stories from many outlets in English and Spanish.',
    links: { rss: `${base}/feeds/all.rss`, atom: `${base}/feeds/all.atom`, json: `${base}/feeds/all.json` },
    homePageUrl: `${base}/v1/topics/all/stories`,
    updated: new Date(T0 + items * 3_600_000),
    generator: 'Frontera',
    items: Array.from({ length: items }, (_, i) => item(i)),
  };
}
