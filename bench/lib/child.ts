// Runs one measured step in its own process (so each run's peak RSS is its own) and collects its figures.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/** `node --import tsx --import report-rss.ts script args…`, env merged over process.env. */
export async function runTsChild<T = Record<string, unknown>>(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
  opts: { echoStderr?: boolean; timeoutMs?: number } = {},
): Promise<ChildResult<T>> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'frontera-bench-rss-'));
  const rssFile = path.join(tmp, 'rss.json');
  const started = performance.now();
  // BENCH_CPU_PROF=DIR writes a V8 CPU profile of each child there (open it in Chrome DevTools or speedscope).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_NODE_FLAGS='--flag …' passes Node/V8 flags to each measured child (experiments: --max-semi-space-size=…).
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...flags, ...prof, '--import', 'tsx', '--import', RSS_PRELOAD, script, ...args], {
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
