// A reader thread whose code never finishes loading (a module stuck at top level), for the test that ReadPool
// reads around threads that have not loaded within loadWaitMs (test/integration/read-pool.test.ts).
import type { ReaderTask } from '../../src/runtime/read-task.js';

await new Promise<never>(() => {
  // Keeps the thread alive and its module unloaded until the pool is closed.
  setInterval(() => {}, 60_000);
});

export default async function neverReadTask(_task: ReaderTask): Promise<never> {
  throw new Error('unreachable: this module never finishes loading');
}
