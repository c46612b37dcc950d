// A thread of ReadPool (read-pool.ts): bytes in, normalized and classified items out. Everything here is CPU
// work (decode, parse, sanitize, language, beat rules) that would otherwise run on the thread that also drives
// fetches and the database.
import { workerData } from 'node:worker_threads';
import { createClassifier, loadRules } from '../beat/index.js';
import { isAppError } from '../errors.js';
import { readAndClassify, type ReaderTask, type ReaderThreadData, type ReadReply } from './read-task.js';

// Rules sent by the pool are used as they are: reading and validating the files again (with the gazetteers,
// ≈ 100 ms and several MB of garbage) is only for a pool that has none to send.
const { rulesFile, rules, model, classify: withClassifier } = workerData as ReaderThreadData;
const classifier = !withClassifier ? null : createClassifier(rules ?? loadRules(rulesFile), model);

/** Piscina runs this for each task, once the module (rules compiled) has loaded. */
export default async function readTask(task: ReaderTask): Promise<ReadReply> {
  if ('probe' in task) return { ready: true };
  try {
    const result = await readAndClassify(task.bytes, { contentType: task.contentType, feedUrl: task.feedUrl, now: task.now, itemFilter: task.itemFilter }, classifier);
    return { ok: true, result };
  } catch (e) {
    if (isAppError(e)) return { ok: false, error: { code: e.code, message: e.message, retryable: e.retryable, ...(e.details ? { details: e.details } : {}) } };
    return { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e), retryable: true } };
  }
}
