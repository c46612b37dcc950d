import type { Child } from 'hono/jsx';
import type { BeatInfo } from '../../src/beat/beat.js';
import type { StaticAssets } from './static-assets.js';

export type NavKey = 'latest' | 'blindspots' | 'search' | 'sources' | 'newsletters' | null;

export interface FeedRef {
  slug: string;
  name: string;
}

export interface LayoutProps {
  title: string;
  description?: string;
  nav: NavKey;
  /** The beat's name and lines (the rules' `beat` section): meta description, search hint, footer. */
  beat: BeatInfo;
  /** Subscribable feeds of this page, most specific first (always ends with the whole beat). */
  feeds: FeedRef[];
  assets: StaticAssets;
  /** Tables: use more of a wide screen. */
  wide?: boolean;
  /** Prefilled search box text. */
  query?: string;
  /** Load the editor controls (api/static/editor.js): the sign-in page, and story pages for a signed-in editor. */
  editor?: boolean;
  children?: Child;
}

const FEED_TYPES = [
  { ext: 'rss', type: 'application/rss+xml', label: 'RSS' },
  { ext: 'atom', type: 'application/atom+xml', label: 'Atom' },
  { ext: 'json', type: 'application/feed+json', label: 'JSON Feed' },
] as const;

const NAV: { key: Exclude<NavKey, null>; href: string; label: string }[] = [
  { key: 'latest', href: '/', label: 'Latest' },
  { key: 'blindspots', href: '/blindspots', label: 'Blind spots' },
  { key: 'search', href: '/search', label: 'Search' },
  { key: 'sources', href: '/sources', label: 'Sources' },
  { key: 'newsletters', href: '/newsletters', label: 'Newsletters' },
];

export function Layout(p: LayoutProps) {
  const primary = p.feeds[0];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${p.title} · Frontera`}</title>
        <meta name="description" content={p.description ?? p.beat.site.tagline} />
        <link rel="stylesheet" href={p.assets.href('app.css')} />
        <link rel="icon" type="image/svg+xml" href={p.assets.href('favicon.svg')} />
        {p.editor && <script src={p.assets.href('editor.js')} defer></script>}
        {p.feeds.flatMap((f) =>
          FEED_TYPES.map((t) => <link rel="alternate" type={t.type} title={`Frontera — ${f.name} (${t.label})`} href={`/feeds/${f.slug}.${t.ext}`} />),
        )}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site">
          <div class="wrap site-bar">
            <a class="brand" href="/">
              Frontera
            </a>
            <nav aria-label="Site">
              <ul class="site-nav">
                {NAV.map((n) => (
                  <li>
                    <a href={n.href} aria-current={p.nav === n.key ? 'page' : undefined}>
                      {n.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <form class="site-search" role="search" method="get" action="/search">
              <label class="visually-hidden" for="site-q">
                Search
              </label>
              <input id="site-q" type="search" name="q" maxlength={200} placeholder={p.beat.site.searchHint} value={p.query ?? ''} />
              <button type="submit">Search</button>
            </form>
          </div>
        </header>
        <main id="main" class={p.wide ? 'wrap wide' : 'wrap'}>
          {p.children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            {primary && (
              <p class="subscribe">
                Subscribe to {primary.name}:{' '}
                {FEED_TYPES.map((t, i) => (
                  <>
                    {i > 0 && ' · '}
                    <a href={`/feeds/${primary.slug}.${t.ext}`} type={t.type}>
                      {t.label}
                    </a>
                  </>
                ))}
              </p>
            )}
            <p>
              {p.beat.site.footer} <a href="/docs">API</a>
              {' · '}
              <a href="/editor">Editors</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
