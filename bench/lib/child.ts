// Runs one measured step in its own process (so each run's peak RSS is its own) and collects its figures.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './paths.js';

export interface ChildResult<T> {
  code: number | null;
  /** Last JSON line the child printed on stdout. */
  result: T | null;
  maxRssKb: number | null;
  wallMs: number;
  stderr: string;
  stdout: string;
}

const RSS_PRELOAD = path.join(repoRoot, 'bench/lib/report-rss.ts');

type ChildOpts = { echoStderr?: boolean; timeoutMs?: number };
type AppChildOpts = ChildOpts & {
  /** Node flags of the compiled child; default the worker's (workerNodeFlags). BENCH_NODE_FLAGS come after them. */
  nodeFlags?: string[];
};

/** `node --import tsx --import report-rss.ts script args…`, env merged over process.env. */
export function runTsChild<T = Record<string, unknown>>(script: string, args: string[], env: Record<string, string | undefined>, opts: ChildOpts = {}): Promise<ChildResult<T>> {
  return runChild<T>([], ['--import', 'tsx', '--import', RSS_PRELOAD, script, ...args], env, opts);
}

/** The application's folders that `npm run build` compiles to dist/ (scripts/build.mjs ROOTS). */
const APP_ROOTS = ['src', 'db', 'jobs', 'api'];
/** Bundles of bench scripts, at the depth of bench/lib so that `repoRoot` (paths.ts) resolves the same. */
const COMPILED_DIR = path.join(repoRoot, 'bench/out');

/** The Node flags production's worker runs with: those of `npm run start:worker` (package.json), so the two cannot drift. */
export function workerNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const cmd = pkg.scripts['start:worker'];
  if (!cmd) throw new Error('package.json has no start:worker script: cannot tell the worker\'s Node flags');
  return cmd.split(/\s+/).filter((w) => w.startsWith('--') && w !== '--no-api');
}

let built = false;
/** `npm run build --if-stale`, once per bench process: dist/ as of the current sources. */
function ensureDist(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--if-stale'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`building dist/ failed (exit ${r.status ?? r.signal}): the compiled child cannot run`);
  built = true;
}

/**
 * A bench script (TypeScript under bench/) as one ES module in bench/out whose imports of the application
 * (src/, db/, jobs/, api/) load the compiled dist/ modules, so the measured code is what production runs.
 * Packages stay external. A script inside the application maps to its dist/ file as it is.
 */
async function compiledEntry(script: string): Promise<string> {
  const abs = path.resolve(repoRoot, script);
  const rel = path.relative(repoRoot, abs);
  const distOf = (file: string) => path.join(repoRoot, 'dist', path.relative(repoRoot, file).replace(/\.tsx?$/, '.js'));
  if (APP_ROOTS.includes(rel.split(path.sep)[0]!)) return distOf(abs);
  const { build } = await import('esbuild');
  const out = path.join(COMPILED_DIR, `${rel.replace(/[\\/]/g, '_').replace(/\.tsx?$/, '')}.compiled.mjs`);
  const tmp = `${out}.${process.pid}.tmp`;
  await build({
    entryPoints: [abs],
    outfile: tmp,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
    plugins: [
      {
        name: 'app-from-dist',
        setup(b) {
          b.onResolve({ filter: /^\./ }, (a) => {
            const target = path.resolve(a.resolveDir, a.path);
            const top = path.relative(repoRoot, target).split(path.sep)[0]!;
            if (!APP_ROOTS.includes(top)) return undefined;
            return { path: pathToFileURL(distOf(target.replace(/\.js$/, '.ts'))).href, external: true };
          });
        },
      },
    ],
  });
  renameSync(tmp, out);
  return out;
}

/**
 * `node <start:worker's flags> --import report-rss script args…` on the compiled code (dist/, built if stale):
 * the measured process has production's heap limits, and its reader threads load JavaScript, not tsx.
 * BENCH_FROM_SOURCES=1 runs the TypeScript sources under tsx instead (runTsChild), V8's default heap.
 */
export async function runAppChild<T = Record<string, unknown>>(script: string, args: string[], env: Record<string, string | undefined>, opts: AppChildOpts = {}): Promise<ChildResult<T>> {
  if (process.env.BENCH_FROM_SOURCES === '1') return runTsChild<T>(script, args, env, opts);
  ensureDist();
  const [entry, preload] = await Promise.all([compiledEntry(script), compiledEntry('bench/lib/report-rss.ts')]);
  return runChild<T>(opts.nodeFlags ?? workerNodeFlags(), ['--import', pathToFileURL(preload).href, entry, ...args], env, opts);
}

/** Whether runAppChild runs the compiled code (the default) or the sources (BENCH_FROM_SOURCES=1): for the result line. */
export const childCode = (): 'dist' | 'sources' => (process.env.BENCH_FROM_SOURCES === '1' ? 'sources' : 'dist');

async function runChild<T>(baseFlags: string[], nodeArgs: string[], env: Record<string, string | undefined>, opts: ChildOpts): Promise<ChildResult<T>> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'frontera-bench-rss-'));
  const rssFile = path.join(tmp, 'rss.json');
  const started = performance.now();
  // BENCH_CPU_PROF=DIR writes a V8 CPU profile of each child there (open it in Chrome DevTools or speedscope).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_NODE_FLAGS='--flag …' passes Node/V8 flags to each measured child (experiments: --max-semi-space-size=…).
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...baseFlags, ...flags, ...prof, ...nodeArgs], {
    cwd: repoRoot,
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (opts.echoStderr) process.stderr.write(d);
  });
  const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs) : null;
  const code = await new Promise<number | null>((r) => child.once('close', (c) => r(c)));
  if (timer) clearTimeout(timer);
  const wallMs = performance.now() - started;
  let maxRssKb: number | null = null;
  try {
    maxRssKb = (JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRssKb: number }).maxRssKb;
  } catch {}
  rmSync(tmp, { recursive: true, force: true });
  return { code, result: lastJsonLine<T>(stdout), maxRssKb, wallMs, stderr, stdout };
}

export function lastJsonLine<T>(out: string): T | null {
  const lines = out.trim().split('\n').reverse();
  for (const l of lines) {
    const s = l.trim();
    if (!s.startsWith('{')) continue;
    try {
      return JSON.parse(s) as T;
    } catch {}
  }
  return null;
}

/** The child side: print the one result line. */
export function emitResult(obj: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(obj) + '\n');
}
