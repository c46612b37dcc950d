import type { Source } from '../../src/model/types.js';

// One reading of a source's health, shared by the Sources page (per row, and its "N failing" count) and the
// home page's empty state (why there is nothing to read yet). Pure: the caller lists the sources
// (sources.repository listSources, the Sources page's query).

export type SourceHealth = 'ok' | 'failing' | 'paused' | 'retired';

export function sourceHealth(s: Source): SourceHealth {
  if (s.status !== 'active') return s.status;
  return s.errorCount > 0 ? 'failing' : 'ok';
}

export interface SourcesHealthSummary {
  total: number;
  active: number;
  failing: number;
  /** Sources that answered successfully (200 or 304) at least once. */
  delivered: number;
  /** Sources never fetched yet (a first refresh pass still under way). */
  unfetched: number;
}

export function summarizeSourcesHealth(sources: readonly Source[]): SourcesHealthSummary {
  const out: SourcesHealthSummary = { total: sources.length, active: 0, failing: 0, delivered: 0, unfetched: 0 };
  for (const s of sources) {
    const h = sourceHealth(s);
    if (s.status === 'active') out.active++;
    if (h === 'failing') out.failing++;
    if (s.lastSuccessAt !== null) out.delivered++;
    if (s.lastFetchedAt === null && s.status === 'active') out.unfetched++;
  }
  return out;
}
