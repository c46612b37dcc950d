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

/**
 * Which time a keyset's micros are: 'k' = the list's own time (articles' publication, issues' date);
 * 'e' = a story list's event time (stories were keyed on activity time under 'k' before: such a cursor is now a
 * 400, not a page in the wrong order).
 */
export type KeysetKind = 'k' | 'e';

/** Keyset cursor of a time-ordered list: (sort time in µs since the epoch, id). */
export function encodeKeyset(k: Keyset, kind: KeysetKind = 'k'): string {
  return Buffer.from(JSON.stringify([kind, k.micros, k.id])).toString('base64url');
}

export function decodeKeyset(s: string | undefined, kind: KeysetKind = 'k'): Keyset | undefined {
  if (s === undefined) return undefined;
  const [tag, micros, id] = decode(s);
  if (tag !== kind || !isInt(micros) || !isInt(id)) throw bad();
  return { micros, id };
}

/** Search cursor: (the ordering score as returned by the database, a float8 that survives JSON exactly, id). */
export function encodeSearchCursor(c: SearchCursor): string {
  return Buffer.from(JSON.stringify(['s', c.rank, c.id])).toString('base64url');
}

export function decodeSearchCursor(s: string | undefined): SearchCursor | undefined {
  if (s === undefined) return undefined;
  const [tag, rank, id] = decode(s);
  if (tag !== 's' || typeof rank !== 'number' || !Number.isFinite(rank) || !isInt(id)) throw bad();
  return { rank, id };
}
