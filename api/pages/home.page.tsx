import type { Child } from 'hono/jsx';
import type { StoryEvidence, StoryWithArticles } from '../../src/model/read-model.js';
import type { BeatTopics } from '../../src/beat/beat.js';
import type { TopicSummary } from '../../src/services/topics.js';
import { CoverageItem, StoryMeta, TopicBadges, WhyMatched } from './components.js';
import { plural, sentence } from './format.js';
import { PressLine } from './press.js';
import type { SourcesHealthSummary } from './source-health.js';

export interface HomeData {
  topic: TopicSummary;
  tabs: TopicSummary[];
  topics: BeatTopics;
  stories: StoryWithArticles[];
  evidence: Map<number, StoryEvidence[]>;
  /** The "older" page's query string, or null on the last page. */
  olderHref: string | null;
  /** True when this is not the first page. */
  paged: boolean;
  newestHref: string;
  /** Source health, read only when the page has no events: it says why (see EmptyState). */
  sourcesHealth: SourcesHealthSummary | null;
}

/** Related coverage shown under each event on the front page; the story page has all of it. */
export const COVERAGE_SHOWN = 6;

export function TopicTabs({ tabs, active }: { tabs: TopicSummary[]; active: string }) {
  return (
    <nav class="tabs" aria-label="Topics">
      <ul>
        {tabs.map((t) => (
          <li>
            <a href={t.slug === 'all' ? '/' : `/?topic=${encodeURIComponent(t.slug)}`} aria-current={t.slug === active ? 'page' : undefined}>
              {t.slug === 'all' ? 'All' : t.name} <span class="n">{t.storyCount}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function StoryCard({ s, topics, evidence }: { s: StoryWithArticles; topics: BeatTopics; evidence: StoryEvidence[] | undefined }) {
  const shown = s.articles.slice(0, COVERAGE_SHOWN);
  const more = s.articleCount - shown.length;
  return (
    <article class="story" id={`story-${s.id}`} data-story-id={String(s.id)}>
      <h2 class="headline">
        <a href={`/stories/${s.id}`}>{s.headline}</a>
      </h2>
      <StoryMeta s={s} />
      <PressLine s={s} names={topics.beat.press} />
      <TopicBadges slugs={s.topics} topics={topics} />
      {shown.length > 0 && (
        <section class="coverage" aria-label="Coverage">
          <ul>
            {shown.map((a) => (
              <CoverageItem a={a} />
            ))}
          </ul>
          {more > 0 && (
            <p class="more">
              <a href={`/stories/${s.id}`}>{`+ ${plural(more, 'more article')}: full timeline`}</a>
            </p>
          )}
        </section>
      )}
      <WhyMatched evidence={evidence} topics={topics} />
    </article>
  );
}

/**
 * An empty page says why when the sources are the reason: on a first start without network every default source
 * fails, and "No events yet" alone reads as "nothing happened".
 */
export function EmptyState({ health }: { health: SourcesHealthSummary | null }) {
  const sourcesLink = <a href="/sources">Sources page</a>;
  if (health && health.total === 0) {
    return (
      <p class="empty">
        No sources yet: add a feed (<code>npm run cli -- sources add URL</code>) and its stories appear here.
      </p>
    );
  }
  let reason: Child = null;
  if (health && health.delivered === 0) {
    const why =
      health.failing > 0
        ? `${plural(health.failing, 'source')} failing${health.failing < health.active ? `, ${health.active - health.failing} not fetched yet` : ''}`
        : 'the first fetch has not finished';
    reason = (
      <>
        <strong>No source has delivered yet</strong>: {why}. See the {sourcesLink} for each source’s last error.
      </>
    );
  } else if (health && health.failing > 0) {
    reason = (
      <>
        <strong>{`${plural(health.failing, 'source')} failing`}</strong> of {health.active} active. See the {sourcesLink}.
      </>
    );
  }
  return (
    <div class="empty" role="status">
      <p>No events on this topic yet.</p>
      {reason && <p class="empty-reason">{reason}</p>}
    </div>
  );
}

export function HomePage(d: HomeData) {
  const isAll = d.topic.slug === 'all';
  return (
    <>
      <div class="page-head">
        <h1>{isAll ? 'The beat at a glance' : d.topic.name}</h1>
        <p class="lede">
          {isAll ? d.topics.beat.site.lede : sentence(d.topic.description)}{' '}
          <span class="total">{`${plural(d.topic.storyCount, 'event')}.`}</span>
        </p>
      </div>
      <TopicTabs tabs={d.tabs} active={d.topic.slug} />
      {d.stories.length === 0 ? (
        <EmptyState health={d.sourcesHealth} />
      ) : (
        <div class="stories">
          {d.stories.map((s) => (
            <StoryCard s={s} topics={d.topics} evidence={d.evidence.get(s.id)} />
          ))}
        </div>
      )}
      <nav class="pager" aria-label="Pages">
        {d.paged && <a href={d.newestHref}>← Newest</a>}
        {d.olderHref && (
          <a rel="next" href={d.olderHref}>
            Older events →
          </a>
        )}
      </nav>
    </>
  );
}
