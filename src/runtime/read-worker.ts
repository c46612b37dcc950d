// A worker thread of ReadPool (read-pool.ts): bytes in, normalized and classified items out.
// Everything here is CPU work (decode, parse, sanitize, language, beat rules) that would otherwise run on
// the thread that also drives fetches and the database.
import { parentPort, workerData } from 'node:worker_threads';
import { createClassifier, type BeatModel, type Rules } from '../beat/index.js';
import { isAppError } from '../errors.js';
import type { ItemFilter } from '../reader/item-filter.js';
import { createBeat } from '../services/beat.js';
import { readAndClassify, type PooledReading } from './read-pool.js';

export interface ReadRequest {
  id: number;
  bytes: Uint8Array;
  contentType: string | null;
  feedUrl: string;
  now: Date;
  itemFilter: ItemFilter | null;
}

export type ReadReply =
  | { ready: true }
  | { id: number; ok: true; result: PooledReading }
  | { id: number; ok: false; error: { code: string; message: string; retryable: boolean; details?: Record<string, unknown> } };

// The same rules and learned model as the pool's owner: the same classifications and version stamp.
const { rulesFile, rules, model, classify: withClassifier } = workerData as { rulesFile?: string; rules: Rules | null; model: BeatModel | null; classify: boolean };
const classifier = !withClassifier ? null : rules ? createClassifier(rules, model) : createBeat(rulesFile, model).classify;

parentPort!.on('message', (req: ReadRequest) => {
  void handle(req).then((reply) => parentPort!.postMessage(reply));
});
// Loaded, rules compiled: the pool starts sending feeds here (until now the calling thread read them).
parentPort!.postMessage({ ready: true } satisfies ReadReply);

async function handle(req: ReadRequest): Promise<ReadReply> {
  try {
    const result = await readAndClassify(req.bytes, { contentType: req.contentType, feedUrl: req.feedUrl, now: req.now, itemFilter: req.itemFilter }, classifier);
    return { id: req.id, ok: true, result };
  } catch (e) {
    if (isAppError(e)) return { id: req.id, ok: false, error: { code: e.code, message: e.message, retryable: e.retryable, ...(e.details ? { details: e.details } : {}) } };
    return { id: req.id, ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e), retryable: true } };
  }
}
