import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isAppError } from '../../src/errors.js';
import { listRecentNewsletterIssues } from '../../src/services/newsletter.js';
import { search } from '../../src/services/search.js';
import { listAllSources } from '../../src/services/sources.js';
import { explainStories } from '../../src/services/story-evidence.js';
import { BLINDSPOT_MIN_OUTLETS, getStory, listBlindspots, listTopicStories } from '../../src/services/stories.js';
import type { BeatInfo } from '../../src/beat/beat.js';
import { findTopic, listTopics } from '../../src/services/topics.js';
import { newRouter, type ApiContext } from '../context.js';
import { decodeKeyset, decodeSearchCursor, encodeKeyset, encodeSearchCursor } from '../cursor.js';
import { blindTitle, BlindspotsPage, type BlindSide, type BlindspotList } from './blindspots.page.js';
import { isEditor } from './editor.js';
import { EditorPage } from './editor.page.js';
import { ErrorPage } from './error.page.js';
import { COVERAGE_SHOWN, HomePage } from './home.page.js';
import { Layout, type FeedRef, type LayoutProps } from './layout.js';
import { NewslettersPage, type NewsletterIssueView } from './newsletters.page.js';
import { SearchPage } from './search.page.js';
import { summarizeSourcesHealth } from './source-health.js';
import { SourcesPage } from './sources.page.js';
import type { StaticAssets } from './static-assets.js';
import { StoryPage } from './story.page.js';

// The reader's web pages: server-rendered with hono/jsx, no client script (but for editors: /editor, and story
// pages once signed in there, load api/static/editor.js). Every section of a page
// is one batched query (topic counts, a page of stories, their articles, their evidence), never one
// per story. Everything from feeds is rendered as escaped text; links to outlets are http(s) only.

const STORIES_PER_PAGE = 15;
const BLINDSPOTS_PER_SIDE = 6;
const HITS_PER_PAGE = 20;
const MAX_QUERY_CHARS = 200;

type PageProps = Omit<LayoutProps, 'assets' | 'children'>;

const STATUS: Record<string, ContentfulStatusCode> = { invalid_parameter: 400, not_found: 404, rate_limited: 429 };

async function render(c: Context, assets: StaticAssets, props: PageProps, body: Child, status: ContentfulStatusCode = 200): Promise<Response> {
  const node = (
    <Layout {...props} assets={assets}>
      {body}
    </Layout>
  );
  // C0 controls (other than whitespace) never belong in HTML; feed titles sometimes carry them.
  const text = `<!DOCTYPE html>${await node.toString()}`.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
  return c.html(text, status);
}

/** The whole beat's feed, named by the rules (`beat.all`). */
const allFeed = (beat: BeatInfo): FeedRef => ({ slug: 'all', name: beat.all.name });

/** An HTML error page (the JSON API keeps its JSON errors). */
export function renderErrorPage(c: Context, assets: StaticAssets, beat: BeatInfo, status: ContentfulStatusCode, message: string): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  return render(c, assets, { title: status === 404 ? 'Not found' : 'Error', nav: null, beat, feeds: [allFeed(beat)] }, <ErrorPage status={status} message={message} />, status);
}

/** Browsers ask for text/html first; API clients and curl do not. */
export function wantsHtml(c: Context): boolean {
  return /^\s*text\/html\b/.test(c.req.header('Accept') ?? '');
}

const ISSUES_PER_PAGE = 12;
const EVENTS_PER_ISSUE = 3;

/** The newest stored issues of a topic, each with a preview: one query (the models come along). */
async function newsletterIssues(ctx: ApiContext, topic: string): Promise<NewsletterIssueView[]> {
  const issues = await listRecentNewsletterIssues(ctx.deps.db, ctx.deps.topics, { topic, limit: ISSUES_PER_PAGE });
  return issues.map((n) => ({
    id: n.id,
    title: n.title,
    periodLabel: n.model.period?.label ?? '',
    generatedAt: n.generatedAt,
    preheader: n.model.preheader ?? '',
    eventCount: n.eventCount,
    articleCount: n.articleCount,
    topEvents: (n.model.sections ?? [])
      .flatMap((s) => s.events)
      .sort((a, b) => a.position - b.position)
      .slice(0, EVENTS_PER_ISSUE)
      .map((e) => ({ storyId: e.storyId, headline: e.headline, outletCount: e.outletCount })),
  }));
}

export function pagesRoutes(ctx: ApiContext, assets: StaticAssets) {
  const { db, topics, logger } = ctx.deps;
  const { beat } = topics;
  const ALL_FEED = allFeed(beat);
  const app = newRouter();

  // Wraps only this router's handlers (not the API's): AppErrors become HTML pages.
  app.onError((err, c) => {
    if (isAppError(err) && STATUS[err.code]) {
      const retry = err.details?.['retryAfterSeconds'];
      if (typeof retry === 'number') c.header('Retry-After', String(retry));
      return renderErrorPage(c, assets, beat, STATUS[err.code]!, err.message);
    }
    logger.error({ event: 'page_error', path: c.req.path, err, request_id: c.get('requestId') });
    return renderErrorPage(c, assets, beat, 500, 'The page could not be rendered. Please try again shortly.');
  });

  app.get('/', async (c) => {
    const slug = (c.req.query('topic') ?? 'all').slice(0, 64);
    findTopic(topics, slug); // unknown topic: 404 before any query
    const cursor = c.req.query('cursor');
    const after = decodeKeyset(cursor, 'e');
    const [tabs, page] = await Promise.all([
      listTopics(db, topics),
      listTopicStories(db, topics, slug, { after, limit: STORIES_PER_PAGE, articlesPerStory: COVERAGE_SHOWN }),
    ]);
    // An empty page reads the sources' health (the Sources page's query) to say why; a full one costs nothing more.
    const [evidence, sourcesHealth] = await Promise.all([
      explainStories(db, page.items.map((s) => s.id)),
      page.items.length === 0 ? listAllSources(db).then(summarizeSourcesHealth) : null,
    ]);
    const topic = tabs.find((t) => t.slug === slug)!;
    const base = slug === 'all' ? '/' : `/?topic=${encodeURIComponent(slug)}`;
    const olderHref = page.next ? `${base}${slug === 'all' ? '?' : '&'}cursor=${encodeKeyset(page.next, 'e')}` : null;
    const feeds = slug === 'all' ? [ALL_FEED] : [{ slug, name: topic.name }, ALL_FEED];
    return render(
      c,
      assets,
      { title: slug === 'all' ? beat.site.title : topic.name, description: topic.description, nav: 'latest', beat, feeds },
      <HomePage topic={topic} tabs={tabs} topics={topics} stories={page.items} evidence={evidence} olderHref={olderHref} paged={cursor !== undefined} newestHref={base} sourcesHealth={sourcesHealth} />,
    );
  });

  app.get('/stories/:id', async (c) => {
    const raw = c.req.param('id');
    const id = /^[1-9][0-9]{0,14}$/.test(raw) ? Number(raw) : null;
    if (id === null) return renderErrorPage(c, assets, beat, 404, 'There is no such story.');
    const r = await getStory(db, id);
    if (r.kind === 'merged') {
      // Merges are permanent: the old address moves for good to the surviving story.
      c.header('Cache-Control', 'public, max-age=3600');
      return c.redirect(`/stories/${r.survivorId}`, 301);
    }
    const s = r.story;
    const evidence = (await explainStories(db, [s.id])).get(s.id);
    const feeds = [...s.topics.slice(0, 1).map((t) => ({ slug: t, name: topics.find((x) => x.slug === t)?.name ?? t })), ALL_FEED];
    const editor = isEditor(c);
    if (editor) c.header('Cache-Control', 'private, no-store');
    // A browser's cached reader copy must not stand in for the editor's page after signing in (or back).
    c.header('Vary', 'Cookie');
    return render(c, assets, { title: s.headline, nav: null, beat, feeds, editor }, <StoryPage story={s} topics={topics} evidence={evidence} />);
  });

  // Blind spots: both presses' newest, or one press's list paged (?side=us|mx&cursor=).
  app.get('/blindspots', async (c) => {
    const raw = c.req.query('side');
    if (raw !== undefined && raw !== 'us' && raw !== 'mx') return renderErrorPage(c, assets, beat, 404, 'Blind spots are listed per press: side=us or side=mx.');
    const side: BlindSide | null = raw ?? null;
    const cursor = side ? c.req.query('cursor') : undefined;
    const after = decodeKeyset(cursor, 'e');
    const sides: BlindSide[] = side ? [side] : ['us', 'mx'];
    const limit = side ? STORIES_PER_PAGE : BLINDSPOTS_PER_SIDE;
    const pages = await Promise.all(sides.map((x) => listBlindspots(db, topics, x, { after, limit, articlesPerStory: COVERAGE_SHOWN })));
    const lists: BlindspotList[] = sides.map((x, i) => {
      const next = pages[i]!.next;
      return { side: x, stories: pages[i]!.items, moreHref: next ? (side ? `/blindspots?side=${x}&cursor=${encodeKeyset(next, 'e')}` : `/blindspots?side=${x}`) : null };
    });
    const feeds: FeedRef[] = [...sides.map((x) => ({ slug: `blindspot-${x}`, name: `Blind spots: ${blindTitle(beat, x).toLowerCase()}` })), ALL_FEED];
    return render(
      c,
      assets,
      { title: side ? `Blind spots: ${blindTitle(beat, side).toLowerCase()}` : 'Blind spots', nav: 'blindspots', beat, feeds },
      <BlindspotsPage side={side} lists={lists} topics={topics} minOutlets={BLINDSPOT_MIN_OUTLETS} paged={cursor !== undefined} />,
    );
  });

  app.get('/editor', (c) => {
    c.header('Cache-Control', 'no-store');
    return render(c, assets, { title: 'Editors', nav: null, beat, feeds: [ALL_FEED], editor: true }, <EditorPage />);
  });

  app.get('/search', async (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, MAX_QUERY_CHARS);
    const cursor = c.req.query('cursor');
    const r = q ? await search(db, q, { after: decodeSearchCursor(cursor), limit: HITS_PER_PAGE }) : { items: [], next: null };
    const moreHref = r.next ? `/search?q=${encodeURIComponent(q)}&cursor=${encodeSearchCursor(r.next)}` : null;
    return render(
      c,
      assets,
      { title: q ? `Search: ${q}` : 'Search', nav: 'search', beat, feeds: [ALL_FEED], query: q },
      <SearchPage q={q} hits={r.items} moreHref={moreHref} paged={q !== '' && cursor !== undefined} />,
    );
  });

  app.get('/sources', async (c) => {
    const sources = await listAllSources(db);
    return render(c, assets, { title: 'Sources', nav: 'sources', beat, feeds: [ALL_FEED], wide: true }, <SourcesPage sources={sources} />);
  });

  app.get('/newsletters', async (c) => {
    const topic = (c.req.query('topic') ?? 'all').slice(0, 64);
    const issues = await newsletterIssues(ctx, topic);
    return render(c, assets, { title: 'Newsletters', nav: 'newsletters', beat, feeds: [ALL_FEED] }, <NewslettersPage issues={issues} topic={topic} />);
  });

  return app;
}
