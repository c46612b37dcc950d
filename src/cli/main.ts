// `npm run cli -- <command>`: sources list|add|remove|import|export, fetch, classify, newsletter, label, labels export.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { deleteSource, listSources, markSourcesDue } from '../../db/repositories/sources.repository.js';
import { loadConfig } from '../config.js';
import { createDeps, type Deps } from '../deps.js';
import { isAppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { exportCorrectionsJsonl, markArticle, parseRelevance, unmarkArticle } from '../services/corrections.js';
import { refreshDueSources } from '../services/refresh-feeds.js';
import { addSources, exportOpml, importOpml } from '../services/sources.js';
import { progressBar } from './progress.js';

const USAGE = `usage: npm run cli -- <command>

  sources list                         every source with its health
  sources add URL [--name N] [--lang L]
  sources remove ID
  sources import FILE.opml             add every feed of an OPML file
  sources export [--out FILE]          OPML 2.0 of every source (stdout by default)
  fetch [--source ID]                  refresh due sources now (or one source), with progress
  classify FILE|URL...                 classify feed items without storing them (JSON lines)
  newsletter --topic all --period weekly --date YYYY-MM-DD --format html|text|md [--out FILE]
                                       a digest of the beat (see: npm run cli -- newsletter --help)
  label ID on|adjacent|off [--topics a,b] [--note TEXT] [--by NAME]
                                       an editor's correction of an article, applied at once
  label ID --clear                     remove it (the classifier decides again)
  labels export [--out FILE]           every correction as labels (JSONL, the format of ../shared/labels)
`;

async function withDeps<T>(fn: (deps: Deps) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // Logs go to stderr so that stdout stays clean for data (OPML, JSON lines).
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 2);
  const deps = await createDeps(config, { logger });
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
  const [cmd, sub, ...rest] = argv;
  if (cmd === 'sources' && sub === 'list') {
    return withDeps(async (deps) => {
      const rows = await listSources(deps.db);
      for (const s of rows) {
        const health = s.lastErrorCode ? `${s.lastErrorCode} ×${s.errorCount}` : s.lastStatus ? `ok ${s.lastStatus}` : 'never fetched';
        console.log(
          [String(s.id).padStart(4), s.status.padEnd(7), (s.lang ?? '--').padEnd(2), health.padEnd(26), `next ${fmtDate(s.nextCheckAt)}`, `items ${s.itemsStored}`, s.name ?? '', s.url].join('  '),
        );
      }
      console.error(`${rows.length} sources`);
      return 0;
    });
  }
  if (cmd === 'sources' && sub === 'add') {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { name: { type: 'string' }, lang: { type: 'string' } } });
    if (positionals.length !== 1) return usage('sources add takes exactly one URL');
    return withDeps(async (deps) => {
      const r = await addSources(deps.db, [{ url: positionals[0]!, name: values.name ?? null, lang: values.lang ?? null }], deps.clock());
      if (r.added.length) console.log(`added source ${r.added[0]!.id}: ${r.added[0]!.url}`);
      else console.log('already present: nothing added');
      return 0;
    });
  }
  if (cmd === 'sources' && sub === 'remove') {
    const id = Number(rest[0]);
    if (!Number.isInteger(id) || id <= 0) return usage('sources remove takes a numeric source id');
    return withDeps(async (deps) => {
      const ok = await deleteSource(deps.db, id);
      console.log(ok ? `removed source ${id}` : `no source ${id}`);
      return ok ? 0 : 1;
    });
  }
  if (cmd === 'sources' && sub === 'import') {
    const file = rest[0];
    if (!file) return usage('sources import takes an OPML file');
    const text = fs.readFileSync(file, 'utf8');
    return withDeps(async (deps) => {
      const r = await importOpml(deps.db, text, deps.clock());
      console.log(`added ${r.added.length}, already present ${r.skipped}, invalid ${r.invalid.length}`);
      for (const u of r.invalid) console.error(`invalid URL skipped: ${u}`);
      return 0;
    });
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
    const { values } = parseArgs({ args: argv.slice(1), options: { source: { type: 'string' } } });
    const only = values.source ? [Number(values.source)] : undefined;
    if (only && !Number.isInteger(only[0])) return usage('--source takes a numeric id');
    return withDeps(async (deps) => {
      await markSourcesDue(deps.db, deps.clock(), only);
      const bar = progressBar('fetch');
      const outcomes = await refreshDueSources(deps, {
        ...(only ? { onlyIds: only } : {}),
        onOutcome: (o, done, total) => bar.update(done, total, o.errorCode ?? o.outcome),
      });
      bar.end();
      const created = outcomes.reduce((n, o) => n + o.created, 0);
      const errors = outcomes.filter((o) => o.outcome === 'error');
      console.log(`${outcomes.length} sources fetched, ${created} new articles, ${errors.length} errors`);
      for (const e of errors) console.log(`  source ${e.sourceId}: ${e.errorCode}  ${e.url}`);
      return 0;
    });
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
    const { newsletterCommand, NEWSLETTER_USAGE } = await import('./newsletter.command.js');
    if (argv.includes('--help')) return usage(`newsletter options:\n${NEWSLETTER_USAGE}`);
    return newsletterCommand(argv.slice(1), withDeps);
  }
  return usage(cmd ? `unknown command: ${[cmd, sub].filter(Boolean).join(' ')}` : '');
}

function usage(message: string): number {
  if (message) console.error(`error: ${message}\n`);
  console.error(USAGE);
  return 2;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  console.error(`error: ${isAppError(e) ? `${e.code}: ${e.message}` : (e as Error).message}`);
  process.exitCode = 1;
}
