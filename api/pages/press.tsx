import type { ArticleRef, StorySummary, StoryWithArticles } from '../../src/model/read-model.js';
import { pressSide } from '../../src/press/country.js';
import { pressLine, type PressNames } from '../../src/press/press-line.js';
import type { PressSideView } from '../../src/press/types.js';
import { ArticleLine, Time } from './components.js';
import { plural } from './format.js';

// Two presses, one event, where readers see it: the line on each story card, and the side-by-side
// "US press / Mexican press" section of the story page. Everything comes from the stored sides read in the
// stories' own query (story_press) and the story's articles: no query of its own.

const TERMS_SHOWN = 8;
const NAMES_SHOWN = 8;

/** The press line of a story card ("Mexico first · US press 6 h later · 4 MX / 2 US outlets"); nothing without either press. */
export function PressLine({ s, names }: { s: StorySummary; names: PressNames }) {
  const line = pressLine(s.press, names);
  if (!line) return null;
  return <p class="press-line">{line}</p>;
}

function PressColumn({ side, view, articles, names }: { side: 'us' | 'mx'; view: PressSideView | null; articles: ArticleRef[]; names: PressNames }) {
  const id = `press-${side}-h`;
  const heading = names[side].name;
  if (!view) {
    return (
      <section class={`press-col press-${side} press-none`} aria-labelledby={id}>
        <h3 id={id}>{heading}</h3>
        <p class="note">{`No outlet published in ${names[side].country} has covered this story.`}</p>
      </section>
    );
  }
  const first = articles.find((a) => a.id === view.firstArticleId) ?? articles[0];
  return (
    <section class={`press-col press-${side}`} aria-labelledby={id}>
      <h3 id={id}>{heading}</h3>
      <p class="meta">{`${plural(view.outlets, 'outlet')} · ${plural(view.articles, 'article')}`}</p>
      <p class="press-first">
        First report:{' '}
        {first ? (
          <>
            <strong class="outlet">{first.source?.name ?? 'unknown outlet'}</strong>, <Time d={view.firstAt} />
          </>
        ) : (
          <Time d={view.firstAt} />
        )}
      </p>
      {view.terms.length > 0 && (
        <div class="press-block">
          <h4>Words this side uses</h4>
          <ul class="press-terms" aria-label={`Distinctive terms of the ${heading}`}>
            {view.terms.slice(0, TERMS_SHOWN).map((t) => (
              <li class="badge" title={`${plural(t.articles, 'article')} here, ${t.otherArticles} on the other side`}>
                {t.term}
              </li>
            ))}
          </ul>
        </div>
      )}
      {view.names.length > 0 && (
        <div class="press-block">
          <h4>Names</h4>
          <ul class="press-names" aria-label={`People and organisations the ${heading} names`}>
            {view.names.slice(0, NAMES_SHOWN).map((n) => (
              <li title={`${plural(n.articles, 'article')} here, ${n.otherArticles} on the other side`}>{n.name}</li>
            ))}
          </ul>
        </div>
      )}
      {articles.length > 0 && (
        <div class="press-block">
          <h4>Articles</h4>
          <ul class="press-articles">
            {articles.map((a) => (
              <li data-article-id={String(a.id)}>
                <ArticleLine a={a} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** The story page's "US press / Mexican press" section: two columns on a wide screen, stacked on a phone. */
export function PressSection({ s, names }: { s: StoryWithArticles; names: PressNames }) {
  const p = s.press;
  if (!p || (!p.us && !p.mx)) return null;
  const bySide = (side: 'US' | 'MX') => s.articles.filter((a) => pressSide(a.country) === side);
  return (
    <section class="press" aria-labelledby="press-h">
      <h2 id="press-h">{`${names.us.name} / ${names.mx.name}`}</h2>
      <p class="press-line">{pressLine(p, names)}</p>
      <div class="press-cols">
        <PressColumn side="us" view={p.us} articles={bySide('US')} names={names} />
        <PressColumn side="mx" view={p.mx} articles={bySide('MX')} names={names} />
      </div>
      {p.other && <p class="note">{`Also ${plural(p.other.outlets, 'outlet')} published elsewhere (${plural(p.other.articles, 'article')}).`}</p>}
    </section>
  );
}
