import { AppError } from '../src/errors.js';
import type { Keyset } from '../src/model/read-model.js';
import type { SearchCursor } from '../src/services/search.js';

// Opaque cursors: base64url of a small JSON array tagged by kind. Clients must not build them; the
// format may change (a stale cursor is a 400, never a wrong page).

const bad = () => new AppError('invalid_parameter', 'Invalid parameter "cursor": not a cursor issued by this API', { details: { parameter: 'cursor' } });

function decode(s: string): unknown[] {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (!Array.isArray(v)) throw bad();
    return v;
  } catch {
    throw bad();
  }
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Keyset cursor of a time-ordered list: (sort time in µs since the epoch, id). */
export function encodeKeyset(k: Keyset): string {
  return Buffer.from(JSON.stringify(['k', k.micros, k.id])).toString('base64url');
}

export function decodeKeyset(s: string | undefined): Keyset | undefined {
  if (s === undefined) return undefined;
  const [tag, micros, id] = decode(s);
  if (tag !== 'k' || !isInt(micros) || !isInt(id)) throw bad();
  return { micros, id };
}

/** Search cursor: (rank as returned by the database, id). */
export function encodeSearchCursor(c: SearchCursor): string {
  return Buffer.from(JSON.stringify(['s', c.rank, c.id])).toString('base64url');
}

export function decodeSearchCursor(s: string | undefined): SearchCursor | undefined {
  if (s === undefined) return undefined;
  const [tag, rank, id] = decode(s);
  if (tag !== 's' || typeof rank !== 'number' || !Number.isFinite(rank) || !isInt(id)) throw bad();
  return { rank, id };
}
