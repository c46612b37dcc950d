import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import type { Deps } from '../deps.js';
import { isAppError } from '../errors.js';
import { addSources, checkFeedUrl, editSource, getSource, importOpml, type FeedCheck, type SourceEdit } from '../services/sources.js';
import { normalizeOutlet, validCountry, validItemFilter, validateSourceUrl } from '../sources/source-fields.js';
import { outletDomainOfFeed } from '../reader/outlet.js';
import type { ItemFilterSpec, Source } from '../model/types.js';

type WithDeps = <T>(fn: (deps: Deps) => Promise<T>) => Promise<T>;

/**
 * `sources add URL`: the URL is fetched and read once before it is stored (unless --no-check), so that a
 * page, a 404 or a blocked address is refused now rather than failing at every scheduled check.
 */
export async function sourcesAddCommand(args: string[], withDeps: WithDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      lang: { type: 'string' },
      'no-check': { type: 'boolean' },
      outlet: { type: 'string' },
      country: { type: 'string' },
      'filter-link-includes': { type: 'string', multiple: true },
      'filter-link-excludes': { type: 'string', multiple: true },
      'filter-categories': { type: 'string', multiple: true },
    },
  });
  if (positionals.length !== 1) {
    console.error('error: sources add takes exactly one URL (npm run cli -- sources add --help)');
    return 2;
  }
  const url = validateSourceUrl(positionals[0]!);
  // Validated before anything is fetched: a bad filter is refused at once.
  const itemFilter = validItemFilter(filterOf(values['filter-link-includes'], values['filter-link-excludes'], values['filter-categories']));
  const outlet = normalizeOutlet(values.outlet);
  const country = validCountry(values.country);
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
    const r = await addSources(deps.db, [{ url, name, lang: values.lang ?? null, itemFilter, outlet, country }], deps.clock());
    const a = r.added[0];
    const where = a?.country ? `, country ${a.country}${a.countryInferred ? ' (inferred from its domain)' : ''}` : ', country unknown (give it with --country XX)';
    if (a) console.log(`added source ${a.id}: ${a.url}${values['no-check'] ? ' (not checked)' : ''}${where}`);
    else console.log('already present: nothing added');
    return 0;
  });
}

/** The edited source, or null when there is no source with that id (the command says so and exits 1). */
async function editIfPresent(deps: Deps, id: number, edit: SourceEdit): Promise<Source | null> {
  try {
    return await editSource(deps.db, id, edit, deps.clock());
  } catch (e) {
    if (isAppError(e) && e.code === 'not_found') return null;
    throw e;
  }
}

function filterOf(linkIncludes?: string[], linkExcludes?: string[], categoriesAny?: string[]): ItemFilterSpec | null {
  const f: ItemFilterSpec = {};
  if (linkIncludes?.length) f.linkIncludes = linkIncludes;
  if (linkExcludes?.length) f.linkExcludes = linkExcludes;
  if (categoriesAny?.length) f.categoriesAny = categoriesAny;
  return Object.keys(f).length ? f : null;
}

function describeFilter(f: ItemFilterSpec | null): string {
  if (!f) return 'none (every item is kept)';
  const parts: string[] = [];
  if (f.linkIncludes) parts.push(`link includes ${f.linkIncludes.join(' | ')}`);
  if (f.linkExcludes) parts.push(`link excludes ${f.linkExcludes.join(' | ')}`);
  if (f.categoriesAny) parts.push(`category is ${f.categoriesAny.join(' | ')}`);
  return parts.join('; ');
}

/** `sources filter ID [--link-includes X]… [--link-excludes X]… [--categories X]… | --clear`: set, clear or show. */
export async function sourcesFilterCommand(args: string[], withDeps: WithDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'link-includes': { type: 'string', multiple: true },
      'link-excludes': { type: 'string', multiple: true },
      categories: { type: 'string', multiple: true },
      clear: { type: 'boolean' },
    },
  });
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(id) || id <= 0) {
    console.error('error: sources filter takes one numeric source id (npm run cli -- sources filter --help)');
    return 2;
  }
  const wanted = filterOf(values['link-includes'], values['link-excludes'], values.categories);
  if (wanted && values.clear) {
    console.error('error: --clear takes no filter options');
    return 2;
  }
  const itemFilter = validItemFilter(wanted);
  return withDeps(async (deps) => {
    const s = wanted || values.clear ? await editIfPresent(deps, id, { itemFilter }) : await getSource(deps.db, id);
    if (!s) {
      console.error(`error: no source ${id}`);
      return 1;
    }
    console.log(`source ${s.id} filter: ${describeFilter(s.itemFilter)}${s.lastSuccessAt ? ` (last fetch dropped ${s.itemsFilteredLast})` : ''}`);
    return 0;
  });
}

/** `sources outlet ID [NAME | --clear]`: the outlet a source belongs to (else its feed's registrable domain). */
export async function sourcesOutletCommand(args: string[], withDeps: WithDeps): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { clear: { type: 'boolean' } } });
  const id = Number(positionals[0]);
  if (positionals.length < 1 || !Number.isInteger(id) || id <= 0 || (values.clear && positionals.length > 1)) {
    console.error('error: sources outlet takes a numeric source id and a name, or --clear (npm run cli -- sources outlet --help)');
    return 2;
  }
  const name = positionals.slice(1).join(' ');
  return withDeps(async (deps) => {
    const s = name || values.clear ? await editIfPresent(deps, id, { outlet: name }) : await getSource(deps.db, id);
    if (!s) {
      console.error(`error: no source ${id}`);
      return 1;
    }
    console.log(`source ${s.id} outlet: ${s.outlet ?? `${s.outletDomain ?? outletDomainOfFeed(s.url)} (its feed's domain)`}`);
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
