// `npm run cli -- <command>`: sources list|add|remove|import|export, fetch, classify, newsletter, label, labels export.
import '../env-file.js';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createDeps, type Deps } from '../deps.js';
import { isAppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { exportCorrectionsJsonl, markArticle, parseRelevance, unmarkArticle } from '../services/corrections.js';
import { exportOpml, listAllSources, removeSource } from '../services/sources.js';


async function withDeps<T>(fn: (deps: Deps) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // Logs go to stderr so that stdout stays clean for data (OPML, JSON lines).
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 2, config.logFormat);
  // Never seeds the default sources: only `npm start` of an empty store does (an OPML import into a fresh
  // database must hold exactly the file's feeds).
  // Someone waits at a terminal: an unreachable database is reported within seconds (workers wait longer).
  const deps = await createDeps(config, { dbWaitMs: 5_000, logger, seed: false });
  try {
    return await fn(deps);
  } finally {
    await deps.close();
  }
}

function fmtDate(d: Date | null): string {
  return d ? d.toISOString().replace(/\.\d+Z$/, 'Z') : '-';
}

async function main(argv: string[]): Promise<number> {
  const help = await import('./help.js');
  if (argv.length === 0 || (argv.length === 1 && (help.isHelpFlag(argv[0]) || argv[0] === 'help'))) {
    if (argv.length === 0) return usage('no command given');
    process.stdout.write(help.USAGE);
    return 0;
  }
  if (argv[0] === 'help' || argv.some(help.isHelpFlag)) {
    const named = (argv[0] === 'help' ? argv.slice(1) : argv).filter((a) => !help.isHelpFlag(a));
    const text = help.helpFor(named);
    if (text === null) return usage(`unknown command: ${named.slice(0, 2).join(' ')}; did you mean \`${help.nearestCommand(named)}\`?`, false);
    if (help.commandOf(named) === 'newsletter') {
      const { NEWSLETTER_USAGE } = await import('./newsletter.command.js');
      process.stdout.write(`${text}\n\n${NEWSLETTER_USAGE}\n`);
    } else process.stdout.write(`${text}\n`);
    return 0;
  }
  const [cmd, sub, ...rest] = argv;
  if (cmd === 'sources' && sub === 'list') {
    return withDeps(async (deps) => {
      const rows = await listAllSources(deps.db);
      for (const s of rows) {
        const health = s.lastErrorCode ? `${s.lastErrorCode} ×${s.errorCount}` : s.lastStatus ? `ok ${s.lastStatus}` : 'never fetched';
        console.log(
          [String(s.id).padStart(4), s.status.padEnd(7), (s.lang ?? '--').padEnd(2), health.padEnd(26), `next ${fmtDate(s.nextCheckAt)}`, `items ${s.itemsStored}${s.itemFilter ? ` (filter dropped ${s.itemsFilteredLast})` : ''}`, s.name ?? '', s.url].join('  '),
        );
      }
      console.error(`${rows.length} sources`);
      return 0;
    });
  }
  if (cmd === 'sources' && sub === 'add') {
    const { sourcesAddCommand } = await import('./sources.command.js');
    return sourcesAddCommand(rest, withDeps);
  }
  if (cmd === 'sources' && sub === 'check') {
    const { sourcesCheckCommand } = await import('./sources-check.command.js');
    return sourcesCheckCommand(rest, withDeps);
  }
  if (cmd === 'sources' && sub === 'filter') {
    const { sourcesFilterCommand } = await import('./sources.command.js');
    return sourcesFilterCommand(rest, withDeps);
  }
  if (cmd === 'sources' && sub === 'outlet') {
    const { sourcesOutletCommand } = await import('./sources.command.js');
    return sourcesOutletCommand(rest, withDeps);
  }
  if (cmd === 'sources' && sub === 'remove') {
    const id = Number(rest[0]);
    if (!Number.isInteger(id) || id <= 0) return usage('sources remove takes a numeric source id');
    return withDeps(async (deps) => {
      const ok = await removeSource(deps.db, id);
      console.log(ok ? `removed source ${id}` : `no source ${id}`);
      return ok ? 0 : 1;
    });
  }
  if (cmd === 'sources' && sub === 'import') {
    const { sourcesImportCommand } = await import('./sources.command.js');
    return sourcesImportCommand(rest, withDeps);
  }
  if (cmd === 'sources' && sub === 'export') {
    const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } } });
    return withDeps(async (deps) => {
      const xml = await exportOpml(deps.db, deps.clock());
      if (values.out) fs.writeFileSync(values.out, xml);
      else process.stdout.write(xml);
      return 0;
    });
  }
  if (cmd === 'fetch') {
    const { fetchCommand } = await import('./fetch.command.js');
    return fetchCommand(argv.slice(1), withDeps);
  }
  if (cmd === 'classify') {
    const { classifyCommand } = await import('./classify.command.js');
    return classifyCommand(argv.slice(1));
  }
  if (cmd === 'label') {
    const { values, positionals } = parseArgs({
      args: argv.slice(1),
      allowPositionals: true,
      options: { topics: { type: 'string' }, note: { type: 'string' }, by: { type: 'string' }, clear: { type: 'boolean' } },
    });
    const id = Number(positionals[0]);
    if (!Number.isSafeInteger(id) || id <= 0) return usage('label takes a numeric article id');
    if (values.clear) {
      if (positionals.length !== 1) return usage('label ID --clear takes no relevance');
      return withDeps(async (deps) => {
        const removed = await unmarkArticle(deps.db, deps.beat.beat, id, deps.clock());
        console.log(removed ? `article ${id}: correction removed, classified by the classifier again` : `article ${id} had no correction`);
        return 0;
      });
    }
    const relevance = positionals.length === 2 ? parseRelevance(positionals[1]!) : null;
    if (!relevance) return usage('label ID takes on, adjacent or off (or --clear)');
    const topics = values.topics?.split(',').map((t) => t.trim()).filter(Boolean);
    return withDeps(async (deps) => {
      const c = await markArticle(deps.db, deps.beat.beat, id, relevance, { topics, note: values.note ?? null, by: values.by ?? 'cli' }, deps.clock());
      console.log(`article ${id}: marked ${c.relevance}${c.topics.length ? ` (${c.topics.join(', ')})` : ''}`);
      return 0;
    });
  }
  if (cmd === 'labels' && sub === 'export') {
    const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } } });
    return withDeps(async (deps) => {
      const jsonl = await exportCorrectionsJsonl(deps.db);
      if (values.out) fs.writeFileSync(values.out, jsonl);
      else process.stdout.write(jsonl);
      console.error(`${jsonl ? jsonl.split('\n').length - 1 : 0} corrections exported`);
      return 0;
    });
  }
  if (cmd === 'newsletter') {
    const { newsletterCommand } = await import('./newsletter.command.js');
    return newsletterCommand(argv.slice(1), withDeps);
  }
  const typed = [cmd, sub].filter(Boolean).join(' ');
  return usage(`unknown command: ${typed}; did you mean \`${help.nearestCommand(argv)}\`?`, false);
}

/** A usage error (exit 2): the message, and the command list unless told otherwise. */
async function usage(message: string, full = true): Promise<number> {
  if (message) console.error(`error: ${message}`);
  if (full) console.error(`\n${(await import('./help.js')).USAGE}`);
  else console.error('(npm run cli -- --help lists the commands)');
  return 2;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  console.error(`error: ${isAppError(e) ? `${e.code}: ${e.message}` : (e as Error).message}`);
  process.exitCode = 1;
}
