// A reader thread that dies on a feed whose URL says "crash", as one does when it runs out of memory: for the
// test of ReadPool's recovery (test/integration/read-pool.test.ts).
import type { ReaderTask } from '../../src/runtime/read-task.js';
import readTask from '../../src/runtime/read-worker.js';

export default async function crashingReadTask(task: ReaderTask) {
  if ('feedUrl' in task && task.feedUrl.includes('crash')) process.exit(3);
  return readTask(task);
}
