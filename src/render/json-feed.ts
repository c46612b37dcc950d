import type { PressSideView, StoryPress } from '../press/types.js';
import { coverageHtml } from './coverage-html.js';
import type { FeedRelatedArticle, TopicFeed } from './topic-feed-model.js';
import { safeUrl, stripInvalidXml } from './xml.js';

// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). The related coverage is also given as data
// in the `_frontera` extension object (extension keys start with an underscore, per the spec):
// member articles, then the roundups that mention the story (`roundup: true`), and the stories of the
// same storyline (`relatedStories`), and the two presses' coverage (`press`: outlets, articles, first report,
// distinctive terms and names per side, which side first and the lag).

function articleJson(r: FeedRelatedArticle, roundup: boolean) {
  return {
    id: r.articleId,
    title: r.title,
    url: safeUrl(r.url),
    source: r.outlet,
    lang: r.lang,
    publishedAt: r.publishedAt.toISOString(),
    roundup,
  };
}

function pressSideJson(p: PressSideView | null) {
  if (!p) return null;
  return {
    outlets: p.outlets,
    articles: p.articles,
    firstArticleId: p.firstArticleId,
    firstAt: p.firstAt.toISOString(),
    terms: p.terms.map((t) => ({ term: t.term, key: t.key, score: t.score, articles: t.articles, otherArticles: t.otherArticles })),
    names: p.names.map((n) => ({ id: n.id, name: n.name, kind: n.kind, articles: n.articles, otherArticles: n.otherArticles })),
  };
}

/** The `press` member of `_frontera` (same shape as the API's story `press`). */
export function pressJson(p: StoryPress) {
  return { us: pressSideJson(p.us), mx: pressSideJson(p.mx), other: pressSideJson(p.other), firstSide: p.firstSide, lagMs: p.lagMs };
}

export function renderJsonFeed(feed: TopicFeed): string {
  const doc = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homePageUrl,
    feed_url: feed.links.json,
    description: feed.description,
    authors: [{ name: 'Frontera' }],
    items: feed.items.map((it) => ({
      id: it.id,
      url: safeUrl(it.url) ?? undefined,
      title: it.title,
      content_html: coverageHtml(it),
      summary: it.summary || undefined,
      date_published: it.published.toISOString(),
      date_modified: it.updated.toISOString(),
      authors: it.outlets.length ? it.outlets.map((name) => ({ name })) : undefined,
      tags: it.topics.length ? it.topics : undefined,
      language: it.lang ?? undefined,
      _frontera: {
        kind: it.kind,
        storyId: it.storyId,
        articleId: it.articleId,
        articleCount: it.articleCount,
        outlets: it.outlets,
        articles: [...it.related.map((r) => articleJson(r, false)), ...it.roundups.map((r) => articleJson(r, true))],
        relatedStories: it.relatedStories.map((r) => ({ id: r.storyId, headline: r.headline, url: safeUrl(r.url), shared: r.shared })),
        ...(it.press ? { press: pressJson(it.press) } : {}),
      },
    })),
  };
  return stringifyClean(doc);
}

// JSON.stringify writes every character XML forbids as an escape (C0 controls as \u00XX, \b or \f; lone
// surrogates as \udXXX) except U+FFFE/U+FFFF, written as they are. Output without any of these needs no
// cleaning, and JSON.stringify without a replacer (no call per value) is several times faster; a match (or a
// literal "\\b" in the text) takes the cleaning pass, which writes the same JSON when there is nothing to clean.
const MAY_HOLD_INVALID = /\\u00[01][0-9a-f]|\\[bf]|\\ud[89a-f][0-9a-f]{2}|[\uFFFE\uFFFF]/;
const clean = (_k: string, v: unknown) => (typeof v === 'string' ? stripInvalidXml(v) : v);

/** JSON with every string cleaned as for XML: control characters are legal JSON (escaped) but useless to readers. */
export function stringifyClean(value: unknown): string {
  const json = JSON.stringify(value);
  return MAY_HOLD_INVALID.test(json) ? JSON.stringify(value, clean) : json;
}
