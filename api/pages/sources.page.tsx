import type { Source } from '../../src/model/types.js';
import { ExtLink, LangBadge, Time } from './components.js';
import { plural } from './format.js';
import { sourceHealth as health, summarizeSourcesHealth } from './source-health.js';

/** The last `sources check` / check-sources probe: when, what it found, and the stale flag. */
function LastVerified({ s }: { s: Source }) {
  const v = s.lastVerified;
  if (!v) return <>never</>;
  const age = v.newestItemAgeHours;
  return (
    <>
      <Time d={v.at} /> <span class={`badge verify verify-${v.status}`}>{v.status}</span>
      {v.items !== null && <span class="of"> · {plural(v.items, 'item')}</span>}
      {age !== null && <span class="of"> · newest {age < 48 ? `${Math.round(age)} h` : `${Math.round(age / 24)} d`} old</span>}
      {s.staleSince && (
        <span class="error">
          {' '}
          · stale since <Time d={s.staleSince} />
        </span>
      )}
    </>
  );
}

function share(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '—';
}

export function SourcesPage({ sources }: { sources: Source[] }) {
  const by = (st: Source['status']) => sources.filter((s) => s.status === st).length;
  const { failing } = summarizeSourcesHealth(sources);
  return (
    <>
      <div class="page-head">
        <h1>Sources</h1>
        <p class="lede">
          {plural(sources.length, 'feed')}: {by('active')} active, {by('paused')} paused, {by('retired')} retired
          {failing > 0 && `; ${failing} failing`}. Feeds are fetched with conditional GET: a 304 means the outlet had nothing new and cost almost nothing.
        </p>
        <p>
          <a href="/feeds/sources.opml" type="text/x-opml">
            Download the list as OPML
          </a>
        </p>
      </div>
      {sources.length === 0 ? (
        <p class="empty">No sources yet.</p>
      ) : (
        <table class="sources">
          <caption class="visually-hidden">Source health</caption>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Status</th>
              <th scope="col">Last fetch</th>
              <th scope="col">Errors</th>
              <th scope="col">Next check</th>
              <th scope="col">Last verified</th>
              <th scope="col">304 share</th>
              <th scope="col">Items</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => {
              const h = health(s);
              return (
                <tr class={`source source-${h}`} data-source-id={String(s.id)}>
                  <th scope="row" data-label="Source">
                    <span class="name">{s.name ?? s.url}</span> <LangBadge lang={s.lang} />
                    <span class="feed-url">
                      <ExtLink href={s.url}>{s.url}</ExtLink>
                    </span>
                  </th>
                  <td data-label="Status">
                    <span class={`badge status status-${h}`}>{h === 'ok' ? 'active' : h}</span>
                  </td>
                  <td data-label="Last fetch">
                    {s.lastFetchedAt ? (
                      <>
                        <Time d={s.lastFetchedAt} />
                        {s.lastStatus !== null && <span class="http"> · HTTP {s.lastStatus}</span>}
                      </>
                    ) : (
                      'never'
                    )}
                  </td>
                  <td data-label="Errors">
                    {s.errorCount > 0 ? (
                      <span class="error">
                        {plural(s.errorCount, 'in a row', 'in a row')}
                        {s.lastErrorCode && `: ${s.lastErrorCode}`}
                        {s.lastErrorMessage && ` — ${s.lastErrorMessage}`}
                      </span>
                    ) : (
                      'none'
                    )}
                  </td>
                  <td data-label="Next check">{s.status === 'active' ? <Time d={s.nextCheckAt} /> : '—'}</td>
                  <td data-label="Last verified">
                    <LastVerified s={s} />
                  </td>
                  <td data-label="304 share">
                    {share(s.notModifiedCount, s.fetchCount)}
                    <span class="of"> of {plural(s.fetchCount, 'fetch', 'fetches')}</span>
                  </td>
                  <td data-label="Items">
                    {s.itemsStored}
                    {s.itemFilter && <span class="of"> · filter dropped {s.itemsFilteredLast} last fetch</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
