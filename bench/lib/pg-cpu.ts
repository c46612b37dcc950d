// CPU time of processes outside this one (Linux /proc; null elsewhere): the PostgreSQL backends serving one
// database, or this process's descendants (the translator's Apertium pipeline). Processes exit while a run goes
// (a backend with its connection), so /proc is sampled and the last value seen per pid is kept.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

const TICKS_PER_S = 100; // USER_HZ on Linux

export interface ProcSampler {
  /** CPU (ms) the sampled processes used since the sampler started. */
  stop(): number | null;
  /** Largest summed proportional set size (kB) of the sampled processes at one sample. */
  peakPssKb(): number | null;
}

/** Samples, every `everyMs`, the processes `pids()` names; `pss` also reads their memory. */
function startProcSampler(pids: () => Iterable<number>, everyMs: number, pss: boolean): ProcSampler {
  if (os.platform() !== 'linux') return { stop: () => null, peakPssKb: () => null };
  const seen = new Map<number, number>();
  let peakPss = 0;
  const sample = () => {
    let sum = 0;
    for (const pid of pids()) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        seen.set(pid, Number(f[11]) + Number(f[12]));
        if (pss) sum += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      } catch {}
    }
    peakPss = Math.max(peakPss, sum);
  };
  sample();
  const base = new Map(seen);
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    peakPssKb: () => (pss ? peakPss : null),
    stop: () => {
      clearInterval(timer);
      sample();
      let ticks = 0;
      for (const [pid, t] of seen) ticks += t - (base.get(pid) ?? 0);
      return Math.round((ticks / TICKS_PER_S) * 1000);
    },
  };
}

/** The backends of one database: the process title carries its name ("postgres: 15/main: user db host …"). */
export function startPgCpuSampler(dbName: string, everyMs = 200): { stop(): number | null } {
  return startProcSampler(
    function* () {
      for (const d of readdirSync('/proc')) {
        if (!/^\d+$/.test(d)) continue;
        try {
          const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
          if (cmd.startsWith('postgres:') && cmd.includes(` ${dbName} `)) yield Number(d);
        } catch {}
      }
    },
    everyMs,
    false,
  );
}

/**
 * This process's descendants (process.cpuUsage counts its own threads only), walked through
 * /proc/<pid>/task/<tid>/children (no scan of /proc); their CPU and peak summed PSS.
 */
export function startDescendantSampler(everyMs = 200): ProcSampler {
  const childrenOf = (pid: number): number[] => {
    const out: number[] = [];
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ')) if (c.trim()) out.push(Number(c));
      }
    } catch {}
    return out;
  };
  return startProcSampler(
    () => {
      const queue = childrenOf(process.pid);
      for (let i = 0; i < queue.length && i < 1000; i++) queue.push(...childrenOf(queue[i]!));
      return queue;
    },
    everyMs,
    true,
  );
}
