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
  /**
   * Time (ms) this process spent sampling: it runs in the measured process, so it is part of that process's own
   * CPU figure. Kept small (the process list is re-read every RESCAN_EVERY ticks, memory every PSS_EVERY) and reported.
   */
  overheadMs(): number;
}

/** The list of processes (a walk of /proc) is re-read every this many ticks; in between, the known pids' stat only. */
const RESCAN_EVERY = 5;
/** smaps_rollup walks a process's page tables: memory is read every this many ticks. */
const PSS_EVERY = 5;

/**
 * Samples, every `everyMs`, the processes `pids()` names; `pss` also reads their memory. A process is counted
 * with all the CPU it used since it started (its stat is cumulative), less what it had used when the sampler
 * started; one that starts and exits between two re-reads of the list is missed.
 */
function startProcSampler(pids: () => Iterable<number>, everyMs: number, pss: boolean): ProcSampler {
  if (os.platform() !== 'linux') return { stop: () => null, peakPssKb: () => null, overheadMs: () => 0 };
  const seen = new Map<number, number>();
  let peakPss = 0;
  let known: number[] = [];
  let tick = 0;
  let overhead = 0;
  const sample = (full: boolean) => {
    const t0 = performance.now();
    if (full || tick % RESCAN_EVERY === 0) known = [...pids()];
    const readPss = pss && (full || tick % PSS_EVERY === 0);
    tick++;
    let sum = 0;
    for (const pid of known) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        seen.set(pid, Number(f[11]) + Number(f[12]));
        if (readPss) sum += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      } catch {}
    }
    peakPss = Math.max(peakPss, sum);
    overhead += performance.now() - t0;
  };
  sample(true);
  const base = new Map(seen);
  const timer = setInterval(() => sample(false), everyMs);
  timer.unref();
  return {
    peakPssKb: () => (pss ? peakPss : null),
    overheadMs: () => Math.round(overhead),
    stop: () => {
      clearInterval(timer);
      sample(true);
      let ticks = 0;
      for (const [pid, t] of seen) ticks += t - (base.get(pid) ?? 0);
      return Math.round((ticks / TICKS_PER_S) * 1000);
    },
  };
}

/** The backends of one database: the process title carries its name ("postgres: 15/main: user db host …"). */
export function startPgCpuSampler(dbName: string, everyMs = 1000): Pick<ProcSampler, 'stop' | 'overheadMs'> {
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
export function startDescendantSampler(everyMs = 1000): ProcSampler {
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
