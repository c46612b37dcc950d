// What the figures were measured on (docs/performance.md quotes this).
import os from 'node:os';
import { serverVersion } from './pg-admin.js';

export async function machineInfo() {
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    mem_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadavg_1m: Math.round(os.loadavg()[0]! * 100) / 100,
    node: process.version,
    pg: await serverVersion(),
  };
}

export const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
