import type { StoryWithArticles } from '../../src/model/read-model.js';
import type { BeatInfo, BeatTopics } from '../../src/beat/beat.js';
import { StoryCard } from './home.page.js';
import { plural } from './format.js';

// Blind spots: on-beat stories one press did not cover while the other press did, with at least
// BLINDSPOT_MIN_OUTLETS of its outlets. `/blindspots` shows both lists' newest; `?side=us|mx` one list, paged.

export type BlindSide = 'us' | 'mx';

/** "Missed by the US press": the presses are named by the rules (`beat.press`). */
export function blindTitle(beat: BeatInfo, side: BlindSide): string {
  return `Missed by the ${beat.press[side].name}`;
}

function blindLede(beat: BeatInfo, side: BlindSide): string {
  const other = beat.press[side === 'us' ? 'mx' : 'us'];
  return `Covered by outlets published in ${other.country}; no outlet published in ${beat.press[side].country} has reported them.`;
}

export interface BlindspotList {
  side: BlindSide;
  stories: StoryWithArticles[];
  /** The next page (one side only), or a link to the whole list (both sides). */
  moreHref: string | null;
}

export interface BlindspotsData {
  /** null: both lists. */
  side: BlindSide | null;
  lists: BlindspotList[];
  topics: BeatTopics;
  minOutlets: number;
  paged: boolean;
}

const FEEDS = [
  { ext: 'rss', label: 'RSS' },
  { ext: 'atom', label: 'Atom' },
  { ext: 'json', label: 'JSON Feed' },
] as const;

function Feeds({ side }: { side: BlindSide }) {
  return (
    <p class="formats blindspot-feeds">
      Subscribe:{' '}
      {FEEDS.map((f, i) => (
        <>
          {i > 0 && ' · '}
          <a href={`/feeds/blindspot-${side}.${f.ext}`}>{f.label}</a>
        </>
      ))}
    </p>
  );
}

function Tabs({ side, beat }: { side: BlindSide | null; beat: BeatInfo }) {
  const tabs: [BlindSide | null, string, string][] = [
    [null, 'Both', '/blindspots'],
    ['us', blindTitle(beat, 'us'), '/blindspots?side=us'],
    ['mx', blindTitle(beat, 'mx'), '/blindspots?side=mx'],
  ];
  return (
    <nav class="tabs" aria-label="Blind spots">
      <ul>
        {tabs.map(([k, label, href]) => (
          <li>
            <a href={href} aria-current={k === side ? 'page' : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function BlindspotsPage(d: BlindspotsData) {
  const { beat } = d.topics;
  return (
    <>
      <div class="page-head">
        <h1>{d.side ? `Blind spots: ${blindTitle(beat, d.side).toLowerCase()}` : 'Blind spots'}</h1>
        <p class="lede">
          {`Events one press covered and the other did not (at least ${plural(d.minOutlets, 'outlet')} on the side that covered them). Outlets count by their country of publication.`}
        </p>
      </div>
      <Tabs side={d.side} beat={beat} />
      {d.lists.map((l) => (
        <section class={`blindspots blindspots-${l.side}`} aria-labelledby={`blind-${l.side}-h`}>
          <h2 id={`blind-${l.side}-h`}>{blindTitle(beat, l.side)}</h2>
          <p class="sub">{blindLede(beat, l.side)}</p>
          <Feeds side={l.side} />
          {l.stories.length === 0 ? (
            <p class="empty">No blind spots of this press right now.</p>
          ) : (
            <div class="stories">
              {l.stories.map((s) => (
                <StoryCard s={s} topics={d.topics} evidence={undefined} />
              ))}
            </div>
          )}
          {l.moreHref && (
            <nav class="pager" aria-label={d.side ? 'Pages' : `More of ${blindTitle(beat, l.side)}`}>
              {d.side && d.paged && <a href={`/blindspots?side=${l.side}`}>← Newest</a>}
              <a rel={d.side ? 'next' : undefined} href={l.moreHref}>
                {d.side ? 'Older →' : `All ${blindTitle(beat, l.side).toLowerCase()} →`}
              </a>
            </nav>
          )}
          {!l.moreHref && d.side && d.paged && (
            <nav class="pager" aria-label="Pages">
              <a href={`/blindspots?side=${l.side}`}>← Newest</a>
            </nav>
          )}
        </section>
      ))}
    </>
  );
}
