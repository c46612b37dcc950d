// A worker thread of ReadPool (read-pool.ts): bytes in, normalized and classified items out.
// Everything here is CPU work (decode, parse, sanitize, language, beat rules) that would otherwise run on
// the thread that also drives fetches and the database.
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../errors.js';
import type { Classification } from '../model/types.js';
import { readFeed } from '../reader/read-feed.js';
import { classifyItem, createBeat } from './beat.js';

export interface ReadRequest {
  id: number;
  bytes: Uint8Array;
  contentType: string | null;
  feedUrl: string;
  now: Date;
}

export type ReadReply =
  | { id: number; ok: true; result: { meta: Awaited<ReturnType<typeof readFeed>>['meta']; encoding: string; items: Awaited<ReturnType<typeof readFeed>>['items']; classifications: Classification[] | null } }
  | { id: number; ok: false; error: { code: string; message: string; retryable: boolean; details?: Record<string, unknown> } };

const { rulesFile, classify: withClassifier } = workerData as { rulesFile?: string; classify: boolean };
const classifier = withClassifier ? createBeat(rulesFile).classify : null;

parentPort!.on('message', (req: ReadRequest) => {
  void handle(req).then((reply) => parentPort!.postMessage(reply));
});

async function handle(req: ReadRequest): Promise<ReadReply> {
  try {
    const r = await readFeed(req.bytes, { contentType: req.contentType, feedUrl: req.feedUrl, now: req.now });
    const classifications = classifier ? r.items.map((it) => classifyItem(classifier, it)) : null;
    return { id: req.id, ok: true, result: { meta: r.meta, encoding: r.encoding, items: r.items, classifications } };
  } catch (e) {
    if (isAppError(e)) return { id: req.id, ok: false, error: { code: e.code, message: e.message, retryable: e.retryable, ...(e.details ? { details: e.details } : {}) } };
    return { id: req.id, ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e), retryable: true } };
  }
}
