import type { Child } from 'hono/jsx';
import type { ArticleRef, StoryEvidence, StorySummary } from '../../src/model/read-model.js';
import type { BeatTopics, TopicInfo } from '../../src/beat/beat.js';
import { formatTime, langAttr, langName, plural, safeHref, topicName } from './format.js';

export function Time({ d }: { d: Date }) {
  return <time datetime={d.toISOString()}>{formatTime(d)}</time>;
}

export function LangBadge({ lang }: { lang: string | null }) {
  if (!lang) return null;
  return (
    <abbr class={`badge lang lang-${langAttr(lang) ?? 'x'}`} title={langName(lang)}>
      {lang.toUpperCase()}
    </abbr>
  );
}

/** A link to another site: only http(s) hrefs, never passing our URL or a window handle along. Otherwise plain text. */
export function ExtLink({ href, lang, children }: { href: string | null; lang?: string | null; children?: Child }) {
  const safe = safeHref(href);
  const l = langAttr(lang);
  if (!safe) return <span class="nolink" lang={l}>{children}</span>;
  return (
    <a href={safe} rel="noopener noreferrer" hreflang={l} lang={l}>
      {children}
    </a>
  );
}

export function TopicBadges({ slugs, topics }: { slugs: string[]; topics: readonly TopicInfo[] }) {
  if (slugs.length === 0) return null;
  return (
    <ul class="badges" aria-label="Topics">
      {[...new Set(slugs)].map((s) => (
        <li>
          <a class="badge topic" href={`/?topic=${encodeURIComponent(s)}`}>
            {topicName(topics, s)}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** "2 languages (EN 2 · ES 1)". */
function langSummary(langCounts: Record<string, number>): string {
  const entries = Object.entries(langCounts).sort((a, b) => b[1] - a[1]);
  const detail = entries.length === 1 ? entries[0]![0].toUpperCase() : entries.map(([l, n]) => `${l.toUpperCase()} ${n}`).join(' · ');
  return `${plural(entries.length, 'language')}${detail ? ` (${detail})` : ''}`;
}

export function StoryMeta({ s }: { s: StorySummary }) {
  return (
    <p class="meta">
      {s.firstSource?.name ? (
        <>
          First report: <strong class="outlet">{s.firstSource.name}</strong>,{' '}
        </>
      ) : (
        'First report: '
      )}
      <Time d={s.firstPublishedAt} />
      <span class="counts">
        {' · '}
        <span class="count-outlets">{plural(s.outletCount, 'outlet')}</span>
        {' · '}
        <span class="count-langs">{langSummary(s.langCounts)}</span>
        {' · '}
        <span class="count-articles">{plural(s.articleCount, 'article')}</span>
      </span>
    </p>
  );
}

/** One article as a line: language, linked title, outlet and time (inside the caller's list item). */
export function ArticleLine({ a }: { a: ArticleRef }) {
  return (
    <>
      <LangBadge lang={a.lang} />{' '}
      <ExtLink href={a.url} lang={a.lang}>
        {a.title}
      </ExtLink>
      <span class="src">
        {' — '}
        <span class="outlet">{a.source?.name ?? 'unknown outlet'}</span>, <Time d={a.publishedAt} />
      </span>
    </>
  );
}

export function CoverageItem({ a }: { a: ArticleRef }) {
  return (
    <li class="coverage-item">
      <ArticleLine a={a} />
    </li>
  );
}

const KIND_LABEL: Record<string, string> = {
  topic: 'topic',
  actor: 'actor',
  'security-term': 'security term',
  entity: 'named entity',
  trap: 'trap (counts against)',
  adjacent: 'adjacent subject',
};

function describeRule(rule: string, topics: BeatTopics): string {
  const kind = rule.split(/[:/]/)[0] ?? rule;
  if (kind === 'topic') {
    const slug = rule.slice('topic:'.length).split('/')[0] ?? '';
    return `topic: ${topicName(topics, slug)}`;
  }
  // The beat's own names for its context and co-occurrence rules (the rules' `beat.evidence`).
  if (kind === 'context' || kind === 'cooccurrence') return topics.beat.evidence[kind];
  return KIND_LABEL[kind] ?? kind;
}

/** "Matched because …" — the classifier's evidence (and an editor's correction), disclosed on demand without any script. */
export function WhyMatched({ evidence, topics }: { evidence: StoryEvidence[] | undefined; topics: BeatTopics }) {
  if (!evidence || evidence.length === 0) return null;
  return (
    <details class="why">
      <summary>Matched because …</summary>
      <ul>
        {evidence.map((e) =>
          // An editor's correction is no rule: it says who decided, and the editor's note.
          e.rule.startsWith('editor:') ? (
            <li class="editor-correction">
              Editor’s correction: <q>{e.matched}</q>
              {e.articles > 1 ? ` (${plural(e.articles, 'article')})` : ''}
            </li>
          ) : (
          <li>
            {e.matched ? <q>{e.matched}</q> : 'pattern'} in the {e.field} → {describeRule(e.rule, topics)}{' '}
            <span class="weight">
              ({e.weight > 0 ? '+' : ''}
              {Math.round(e.weight * 10) / 10}
              {e.articles > 1 ? `, ${plural(e.articles, 'article')}` : ''})
            </span>
          </li>
          ),
        )}
      </ul>
    </details>
  );
}
