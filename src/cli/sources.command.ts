import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import type { Deps } from '../deps.js';
import { isAppError } from '../errors.js';
import { addSources, checkFeedUrl, importOpml, validateSourceUrl, type FeedCheck } from '../services/sources.js';

type WithDeps = <T>(fn: (deps: Deps) => Promise<T>) => Promise<T>;

/**
 * `sources add URL`: the URL is fetched and read once before it is stored (unless --no-check), so that a
 * page, a 404 or a blocked address is refused now rather than failing at every scheduled check.
 */
export async function sourcesAddCommand(args: string[], withDeps: WithDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, lang: { type: 'string' }, 'no-check': { type: 'boolean' } },
  });
  if (positionals.length !== 1) {
    console.error('error: sources add takes exactly one URL (npm run cli -- sources add --help)');
    return 2;
  }
  const url = validateSourceUrl(positionals[0]!);
  let checked: FeedCheck | null = null;
  if (!values['no-check']) {
    // Checked before the database is opened: an embedded database stays free while the fetch waits.
    const config = loadConfig();
    try {
      checked = await checkFeedUrl(url, config.fetch, new Date());
    } catch (e) {
      if (!isAppError(e)) throw e;
      console.error(`error: not added: ${e.code}: ${e.message}`);
      const suggestions = (e.details?.['suggestions'] as string[] | undefined) ?? [];
      if (suggestions.length) {
        console.error(`\nthe page advertises ${suggestions.length === 1 ? 'a feed' : 'these feeds'}; add one with:`);
        for (const s of suggestions) console.error(`  npm run cli -- sources add ${s}`);
      } else console.error('(add it anyway with --no-check)');
      return 1;
    }
    console.log(`checked: ${checked.title ?? 'untitled feed'}, ${checked.items} items`);
  }
  return withDeps(async (deps) => {
    const name = values.name ?? checked?.title ?? null;
    const r = await addSources(deps.db, [{ url, name, lang: values.lang ?? null }], deps.clock());
    if (r.added.length) console.log(`added source ${r.added[0]!.id}: ${r.added[0]!.url}${values['no-check'] ? ' (not checked)' : ''}`);
    else console.log('already present: nothing added');
    return 0;
  });
}

/** `sources import FILE`: exactly the file's feeds; a count per outcome, and each skipped one with its reason. */
export async function sourcesImportCommand(args: string[], withDeps: WithDeps): Promise<number> {
  const file = args[0];
  if (!file || args.length !== 1) {
    console.error('error: sources import takes one OPML file (npm run cli -- sources import --help)');
    return 2;
  }
  const text = fs.readFileSync(file, 'utf8');
  return withDeps(async (deps) => {
    const r = await importOpml(deps.db, text, deps.clock());
    console.log(`added ${r.added.length}, already present ${r.alreadyPresent.length}, skipped ${r.rejected.length}`);
    for (const s of r.added) console.log(`  added ${s.id}: ${s.url}`);
    for (const u of r.alreadyPresent) console.log(`  already present: ${u}`);
    for (const x of r.rejected) console.log(`  skipped ${x.url}: ${x.reason}`);
    return 0;
  });
}
