// The peer: newsboat loading the same farm (`newsboat -x reload`, reload-threads N, fresh cache file).
// It fetches, parses and stores every item in SQLite — the same work as a Frontera refresh pass
// minus classification, dedup and clustering. Timed with /usr/bin/time for its peak RSS.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const NEWSBOAT = process.env.NEWSBOAT_BIN ?? '/usr/bin/newsboat';

export interface NewsboatRun {
  wallMs: number;
  /** User + system CPU of the newsboat process (all its threads). */
  cpuMs: number | null;
  maxRssKb: number | null;
  items: number | null;
  code: number | null;
  stderr: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const c = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.once('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
  });
}

export function newsboatAvailable(): boolean {
  return existsSync(NEWSBOAT);
}

export class NewsboatPeer {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'frontera-bench-newsboat-'));
  constructor(urls: string[], threads = 8) {
    writeFileSync(path.join(this.dir, 'urls'), urls.join('\n') + '\n');
    writeFileSync(path.join(this.dir, 'config'), `reload-threads ${threads}\nshow-read-feeds yes\ndownload-timeout 60\n`);
  }

  async reload(): Promise<NewsboatRun> {
    const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
    const args = ['-x', 'reload', '-u', path.join(this.dir, 'urls'), '-c', path.join(this.dir, 'cache.db'), '-C', path.join(this.dir, 'config')];
    const env = { ...process.env, HOME: this.dir, XDG_CONFIG_HOME: this.dir, XDG_DATA_HOME: this.dir };
    const r = timeBin ? await run(timeBin, ['-f', 'BENCH_TIME %e %M %U %S', NEWSBOAT, ...args], env) : await run(NEWSBOAT, args, env);
    const m = r.stderr.match(/BENCH_TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/);
    const items = await run('sqlite3', [path.join(this.dir, 'cache.db'), 'SELECT count(*) FROM rss_item'], env);
    return {
      wallMs: r.ms,
      cpuMs: m ? Math.round((Number(m[3]) + Number(m[4])) * 1000) : null,
      maxRssKb: m ? Number(m[2]) : null,
      items: items.code === 0 ? Number(items.stdout.trim()) : null,
      code: r.code,
      stderr: r.stderr.replace(/BENCH_TIME.*\n?/, '').slice(0, 2000),
    };
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
