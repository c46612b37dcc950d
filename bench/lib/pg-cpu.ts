// CPU time spent by the PostgreSQL backends serving one database (Linux /proc; null elsewhere).
// Backends exit with their connection, so /proc is sampled while the run goes and the last value seen
// per pid is kept. The process title carries the database name ("postgres: 15/main: user db host …").
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export function startPgCpuSampler(dbName: string, everyMs = 200): { stop(): number | null } {
  if (os.platform() !== 'linux') return { stop: () => null };
  const ticksPerS = 100; // USER_HZ on Linux
  const seen = new Map<number, number>();
  const sample = () => {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
        if (!cmd.startsWith('postgres:') || !cmd.includes(` ${dbName} `)) continue;
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        seen.set(Number(d), Number(f[11]) + Number(f[12]));
      } catch {}
    }
  };
  sample();
  const base = new Map(seen);
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      let ticks = 0;
      for (const [pid, t] of seen) ticks += t - (base.get(pid) ?? 0);
      return Math.round((ticks / ticksPerS) * 1000);
    },
  };
}
