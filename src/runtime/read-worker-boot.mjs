// The module piscina loads in a ReadPool thread: the worker named in workerData, whose default export runs each
// task. Compiled (dist/), that worker is JavaScript and loads as it is. From TypeScript sources (development,
// tests and benches run under tsx) the thread registers tsx's loader first: a worker does not inherit its
// parent's loader hooks.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) (await import('tsx/esm/api')).register();
const { default: readTask } = await import(workerData.entry);
export default readTask;
