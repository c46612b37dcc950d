import { parseArgs } from 'node:util';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { refreshDueSources, type SourceOutcome } from '../services/refresh-feeds.js';
import { listAllSources, makeSourcesDue } from '../services/sources.js';
import { progressBar } from './progress.js';

type WithDeps = <T>(fn: (deps: Deps) => Promise<T>) => Promise<T>;

const iso = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * `fetch`: what the scheduler's tick does, now: the sources that are due, and only those (a second run a
 * minute later fetches nothing that is not due). `--all` makes every active source due first; `--source ID`
 * that one. Exits 1 when any source failed.
 */
export async function fetchCommand(args: string[], withDeps: WithDeps): Promise<number> {
  const { values } = parseArgs({ args, options: { source: { type: 'string' }, all: { type: 'boolean' } } });
  const id = values.source === undefined ? undefined : Number(values.source);
  if (id !== undefined && (!Number.isSafeInteger(id) || id <= 0)) {
    throw new AppError('invalid_parameter', '--source takes a numeric source id', { details: { parameter: 'source' } });
  }
  if (id !== undefined && values.all) throw new AppError('invalid_parameter', '--all and --source exclude each other', { details: { parameter: 'all' } });
  return withDeps(async (deps) => {
    const now = deps.clock();
    const only = id === undefined ? undefined : [id];
    if (only) {
      const n = await makeSourcesDue(deps.db, now, only);
      console.log(n ? `refreshing source ${id}` : `source ${id} is not an active source: nothing to refresh`);
      if (!n) return 1;
    } else if (values.all) {
      console.log(`refreshing all ${await makeSourcesDue(deps.db, now)} active sources (--all)`);
    } else {
      const active = (await listAllSources(deps.db)).filter((s) => s.status === 'active');
      const due = active.filter((s) => !s.nextCheckAt || s.nextCheckAt <= now);
      console.log(`refreshing due sources: ${due.length} of ${active.length} active are due (--all to refresh every source)`);
      if (!due.length) {
        const next = active.map((s) => s.nextCheckAt).filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0];
        console.log(`nothing due${next ? `; next check at ${iso(next)}` : ''}`);
        return 0;
      }
    }
    const bar = progressBar('fetch');
    let ok = 0;
    let failed = 0;
    const outcomes: SourceOutcome[] = await refreshDueSources(deps, {
      ...(only ? { onlyIds: only } : {}),
      onOutcome: (o, done, total) => {
        if (o.outcome === 'error') failed++;
        else ok++;
        bar.update(done, total, `${ok} ok / ${failed} failed`);
      },
    });
    bar.end();
    const created = outcomes.reduce((n, o) => n + o.created, 0);
    const errors = outcomes.filter((o) => o.outcome === 'error');
    for (const e of errors) console.log(`  source ${e.sourceId}: ${e.errorCode}  ${e.url}`);
    console.log(`${outcomes.length} sources fetched, ${created} new articles, ${errors.length} errors`);
    console.log(`${outcomes.length - errors.length} ok / ${errors.length} failed`);
    return errors.length ? 1 : 0;
  });
}
