import { raw } from 'hono/html';
import type { SearchHit } from '../../src/model/read-model.js';
import { ExtLink, LangBadge, Time } from './components.js';
import { langAttr, markOnlyHtml, plural } from './format.js';

export interface SearchData {
  q: string;
  hits: SearchHit[];
  moreHref: string | null;
  paged: boolean;
}

/** Highlighted text: rebuilt by markOnlyHtml (escaped text and <mark> only) — the one use of raw(). */
function Marked({ html }: { html: string }) {
  return <>{raw(markOnlyHtml(html))}</>;
}

export function SearchPage({ q, hits, moreHref, paged }: SearchData) {
  return (
    <>
      <div class="page-head">
        <h1>Search</h1>
        <form class="search-form" role="search" method="get" action="/search">
          <label for="q">Words in English or Spanish; accents optional; "quoted phrases", OR, -exclude</label>
          <div class="row">
            <input id="q" type="search" name="q" maxlength={200} value={q} />
            <button type="submit">Search</button>
          </div>
        </form>
      </div>
      {q === '' ? (
        <p class="empty">Search every article Frontera has stored, in both languages.</p>
      ) : hits.length === 0 ? (
        <p class="empty">
          No article matches <q>{q}</q>.
        </p>
      ) : (
        <>
          <p class="sub results-count">
            {paged ? 'More results for ' : `${plural(hits.length, 'result')}${moreHref ? '+' : ''} for `}
            <q>{q}</q>
          </p>
          <ol class="results">
            {hits.map((h) => {
              const a = h.article;
              const l = langAttr(a.lang);
              return (
                <li class="result" data-article-id={String(a.id)}>
                  <h2 class="headline" lang={l}>
                    {a.storyId !== null ? (
                      <a href={`/stories/${a.storyId}`}>
                        <Marked html={h.titleHtml} />
                      </a>
                    ) : (
                      <Marked html={h.titleHtml} />
                    )}
                  </h2>
                  <p class="meta">
                    <LangBadge lang={a.lang} /> <span class="outlet">{a.source?.name ?? 'unknown outlet'}</span>, <Time d={a.publishedAt} />
                    {' · '}
                    <ExtLink href={a.url}>Read at the outlet</ExtLink>
                  </p>
                  {h.snippetHtml && (
                    <p class="snippet" lang={l}>
                      <Marked html={h.snippetHtml} />
                    </p>
                  )}
                </li>
              );
            })}
          </ol>
        </>
      )}
      <nav class="pager" aria-label="Pages">
        {paged && <a href={`/search?q=${encodeURIComponent(q)}`}>← First results</a>}
        {moreHref && (
          <a rel="next" href={moreHref}>
            More results →
          </a>
        )}
      </nav>
    </>
  );
}
