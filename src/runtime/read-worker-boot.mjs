// Entry of a ReadPool thread. Given TypeScript sources (the bundle could not be built, or a test entry), the thread registers tsx's
// loader itself — a worker does not inherit the parent's loader hooks — then loads the real worker.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) (await import('tsx/esm/api')).register();
await import(workerData.entry);
