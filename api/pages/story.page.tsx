import type { RelatedStory, StoryDetail, StoryEvidence } from '../../src/model/read-model.js';
import type { BeatTopics } from '../../src/beat/beat.js';
import { ExtLink, LangBadge, StoryMeta, Time, TopicBadges, WhyMatched } from './components.js';
import { entityLabel, langAttr, plural } from './format.js';
import { PressSection } from './press.js';

export interface StoryData {
  story: StoryDetail;
  topics: BeatTopics;
  evidence: StoryEvidence[] | undefined;
}

function relatedReason(r: RelatedStory): string {
  return `Same storyline: shares ${r.shared.map(entityLabel).join(', ')}`;
}

export function StoryPage({ story: s, topics, evidence }: StoryData) {
  return (
    <article class="story-detail" data-story-id={String(s.id)}>
      <p class="crumbs">
        <a href="/">← Latest</a>
      </p>
      <h1 class="headline">{s.headline}</h1>
      <StoryMeta s={s} />
      <TopicBadges slugs={s.topics} topics={topics} />
      {s.mergedFrom.length > 0 && (
        <p class="note">
          Combines earlier {s.mergedFrom.length === 1 ? 'story' : 'stories'} {s.mergedFrom.map((id) => `#${id}`).join(', ')} about the same event.
        </p>
      )}
      <WhyMatched evidence={evidence} topics={topics} />
      <PressSection s={s} names={topics.beat.press} />

      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline of coverage</h2>
        <p class="sub">{`${plural(s.articles.length, 'article')}, oldest first`}</p>
        <ol class="timeline">
          {s.articles.map((a) => (
            <li class="timeline-item" data-article-id={String(a.id)}>
              <p class="when">
                <Time d={a.publishedAt} />
              </p>
              <div class="what">
                <h3>
                  <LangBadge lang={a.lang} />{' '}
                  <ExtLink href={a.url} lang={a.lang}>
                    {a.title}
                  </ExtLink>
                </h3>
                <p class="src">
                  <span class="outlet">{a.source?.name ?? 'unknown outlet'}</span>
                  {a.duplicateOf !== null && ' · same article as an earlier one'}
                </p>
                {a.summaryText && (
                  <p class="summary" lang={langAttr(a.lang)}>
                    {a.summaryText}
                  </p>
                )}
              </div>
            </li>
          ))}
        </ol>
      </section>

      {s.related.length > 0 && (
        <section aria-labelledby="related-h">
          <h2 id="related-h">Related stories</h2>
          <ul class="related">
            {s.related.map((r) => (
              <li>
                <a href={`/stories/${r.id}`}>{r.headline}</a>
                <p class="meta">
                  {relatedReason(r)} · <Time d={r.lastUpdatedAt} /> · {plural(r.outletCount, 'outlet')}
                </p>
              </li>
            ))}
          </ul>
        </section>
      )}

      {s.roundups.length > 0 && (
        <section aria-labelledby="roundups-h">
          <h2 id="roundups-h">Roundups that mention this story</h2>
          <ul class="related roundups">
            {s.roundups.map((a) => (
              <li class="roundup" data-article-id={String(a.id)}>
                <LangBadge lang={a.lang} />{' '}
                <ExtLink href={a.url} lang={a.lang}>
                  {a.title}
                </ExtLink>
                <p class="meta">
                  Roundup · {a.source?.name ?? 'unknown outlet'} · <Time d={a.publishedAt} />
                </p>
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
