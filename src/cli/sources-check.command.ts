import { parseArgs } from 'node:util';
import type { Deps } from '../deps.js';
import type { SourceVerification } from '../model/types.js';
import { checkFailed, verifySources } from '../services/source-checks.js';

type WithDeps = <T>(fn: (deps: Deps) => Promise<T>) => Promise<T>;

export function formatAge(hours: number | null): string {
  if (hours === null) return 'undated';
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${Math.round(hours / 24)} d`;
}

function describe(v: SourceVerification): string {
  const parts = [v.status.padEnd(6), v.httpStatus === null ? 'HTTP -  ' : `HTTP ${v.httpStatus}`, (v.contentType?.split(';')[0] ?? '-').padEnd(22)];
  if (v.status === 'ok' || v.status === 'empty') parts.push(`${String(v.items ?? '-').padStart(3)} items`, `newest ${formatAge(v.newestItemAgeHours)}`.padEnd(14));
  else parts.push(`${v.errorCode ?? ''}`.padEnd(24));
  parts.push(`${v.durationMs} ms`.padStart(8));
  return parts.join('  ');
}

/**
 * `sources check [--all | ID…]`: probes each source now (nothing stored but the result), prints status,
 * content type, item count, newest item age and time taken, and a page's advertised feeds; exit 1 when any
 * failed or is an HTML page.
 */
export async function sourcesCheckCommand(args: string[], withDeps: WithDeps): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { all: { type: 'boolean' } } });
  const ids = positionals.map(Number);
  if ((values.all && ids.length) || (!values.all && !ids.length) || ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
    console.error('error: sources check takes --all or one or more numeric source ids (npm run cli -- sources check --help)');
    return 2;
  }
  return withDeps(async (deps) => {
    const results = await verifySources(deps, {
      ...(values.all ? {} : { ids }),
      onResult: (_r, done, total) => process.stderr.isTTY && process.stderr.write(`\rchecking ${done}/${total}`),
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const missing = values.all ? [] : ids.filter((id) => !results.some((r) => r.source.id === id));
    for (const r of results) {
      const v = r.verification;
      const stale = r.stale ? `  STALE (newest item older than ${deps.config.sourceChecks.staleAfterDays} d)` : '';
      console.log(`${String(r.source.id).padStart(4)}  ${describe(v)}  ${r.source.name ?? ''}  ${r.source.url}${stale}`);
      if (checkFailed(v) && v.message) console.log(`        ${v.message}`);
      if (v.suggestions.length) {
        console.log(`        the page advertises ${v.suggestions.length === 1 ? 'a feed' : 'these feeds'}:`);
        for (const s of v.suggestions) console.log(`          ${s}`);
      }
    }
    for (const id of missing) console.log(`${String(id).padStart(4)}  no such source`);
    const failed = results.filter((r) => checkFailed(r.verification)).length;
    const stale = results.filter((r) => r.stale).length;
    console.error(`${results.length} checked: ${results.length - failed} ok / ${failed} failed${stale ? `, ${stale} stale` : ''}`);
    return failed > 0 || missing.length > 0 ? 1 : 0;
  });
}
