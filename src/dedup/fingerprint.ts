// Near-duplicate signatures: text folding, word shingles, MinHash and LSH band keys.
//
// Everything here is deterministic across processes and machines (fixed seeds, no Math.random), because
// signatures and band keys are stored in PostgreSQL and compared with signatures computed later.
// Band keys are signed 32-bit integers so they fit an `integer` column with a btree index and can be
// looked up with `WHERE band_key = ANY($1)`.
import { createHash } from 'node:crypto';

/** Lower-case, strip accents (NFKD + combining marks), turn punctuation into spaces, collapse spaces. */
export function foldText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    // Keep letters and digits of any script; everything else separates words.
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function foldedTokens(s: string): string[] {
  const f = foldText(s);
  return f === '' ? [] : f.split(' ');
}

/** sha1 (hex) of the folded title + text: equal for copies that differ only in case, accents, punctuation. */
export function contentFingerprint(title: string, text: string): string {
  return createHash('sha1').update(foldText(`${title} ${text}`)).digest('hex');
}

// --- hashing primitives -------------------------------------------------------------------------

/** FNV-1a 32-bit over UTF-16 code units, finished with fmix32 for avalanche. Unsigned result. */
export function hashString32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** MurmurHash3 finalizer: a bijection on 32-bit integers with good avalanche. Unsigned result. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// --- shingles -----------------------------------------------------------------------------------

export const DEFAULT_SHINGLE_SIZE = 3;

/**
 * Hashed word shingles (unsigned 32-bit, de-duplicated) of the folded text. Texts shorter than the
 * shingle size yield one shingle of all their words, so short headlines still get a signature.
 */
export function shingles(text: string, shingleSize = DEFAULT_SHINGLE_SIZE): Uint32Array {
  const toks = foldedTokens(text);
  if (toks.length === 0) return new Uint32Array(0);
  const th = toks.map((t) => hashString32(t));
  const k = Math.min(shingleSize, th.length);
  const out = new Set<number>();
  for (let i = 0; i + k <= th.length; i++) {
    let h = 0x9747b28c ^ k;
    for (let j = 0; j < k; j++) h = fmix32((h ^ th[i + j]) + Math.imul(j + 1, 0x9e3779b9));
    out.add(h >>> 0);
  }
  return Uint32Array.from(out);
}

/** Exact Jaccard of two shingle sets (used to verify LSH candidates and in the eval). */
export function jaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 && b.length === 0) return 1;
  const sa = new Set<number>(Array.from(a));
  let inter = 0;
  const sb = new Set<number>(Array.from(b));
  for (const x of sb) if (sa.has(x)) inter++;
  return inter / (sa.size + sb.size - inter);
}

// --- MinHash ------------------------------------------------------------------------------------

export const DEFAULT_NUM_HASHES = 64;
const SEED_BASE = 0x5f3759df;

const seedCache = new Map<number, Uint32Array>();
function seeds(n: number): Uint32Array {
  let s = seedCache.get(n);
  if (!s) {
    s = new Uint32Array(n);
    for (let i = 0; i < n; i++) s[i] = fmix32(SEED_BASE + Math.imul(i + 1, 0x9e3779b9));
    seedCache.set(n, s);
  }
  return s;
}

export interface MinhashOptions {
  numHashes?: number;
  shingleSize?: number;
}

/**
 * MinHash signature of the folded text's word shingles. Hash function i is fmix32(shingle XOR seed_i),
 * a seeded permutation of 32-bit space. Values are returned as signed int32 (same bits as the unsigned
 * minimum) so they can be stored in an `integer[]` column. An empty text gives all -1 (0xffffffff); two
 * empty texts therefore look identical, so callers should not near-dedup items without text.
 */
export function minhash(text: string, opts: MinhashOptions = {}): Int32Array {
  const n = opts.numHashes ?? DEFAULT_NUM_HASHES;
  return minhashShingles(shingles(text, opts.shingleSize ?? DEFAULT_SHINGLE_SIZE), n);
}

export function minhashShingles(sh: Uint32Array, numHashes = DEFAULT_NUM_HASHES): Int32Array {
  const sd = seeds(numHashes);
  const mins = new Uint32Array(numHashes).fill(0xffffffff);
  for (let j = 0; j < sh.length; j++) {
    const x = sh[j];
    for (let i = 0; i < numHashes; i++) {
      const v = fmix32(x ^ sd[i]);
      if (v < mins[i]) mins[i] = v;
    }
  }
  return new Int32Array(mins.buffer);
}

/** Fraction of equal signature positions: an unbiased estimate of the shingle-set Jaccard. */
export function estimateJaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`signature length mismatch: ${a.length} vs ${b.length}`);
  if (a.length === 0) return 0;
  let eq = 0;
  for (let i = 0; i < a.length; i++) if ((a[i] | 0) === (b[i] | 0)) eq++;
  return eq / a.length;
}

// --- LSH ----------------------------------------------------------------------------------------

/**
 * Default banding for 64 hashes: 16 bands × 4 rows. Probability that a pair with Jaccard s shares at
 * least one band key is 1 − (1 − s⁴)¹⁶:
 *   s = 0.9 → 1.000, 0.8 → 0.9995, 0.7 → 0.988, 0.6 → 0.89, 0.5 → 0.64, 0.3 → 0.12, 0.1 → 0.0016.
 * The S-curve's midpoint is (1/16)^(1/4) = 0.5, so wire copies with small edits (s ≥ 0.7) are candidates
 * with ≥ 98.8 % probability while unrelated articles (s ≲ 0.1) collide in ~0.2 % of pairs; candidates are
 * then verified with {@link isNearDuplicate}.
 */
export const DEFAULT_BANDS = 16;
export const DEFAULT_ROWS = 4;

/**
 * One signed 32-bit key per band: hash(band index, the band's rows). The band index is mixed into the
 * seed, so equal row values in different bands give different keys and a single `band_key` column (no
 * band number column needed) can be indexed and queried with `= ANY($1)`.
 */
export function lshBandKeys(
  signature: ArrayLike<number>,
  bands = DEFAULT_BANDS,
  rows = DEFAULT_ROWS,
): number[] {
  if (bands * rows > signature.length) {
    throw new Error(`bands*rows (${bands * rows}) exceeds signature length (${signature.length})`);
  }
  const keys = new Array<number>(bands);
  for (let b = 0; b < bands; b++) {
    let h = fmix32(0x1b873593 ^ Math.imul(b + 1, 0x9e3779b9));
    for (let r = 0; r < rows; r++) h = fmix32((h ^ (signature[b * rows + r] >>> 0)) + 0x6b43a9b5);
    keys[b] = h | 0;
  }
  return keys;
}

/** Probability that a pair with Jaccard s becomes an LSH candidate under (bands, rows). */
export function lshCandidateProbability(s: number, bands = DEFAULT_BANDS, rows = DEFAULT_ROWS): number {
  return 1 - Math.pow(1 - Math.pow(s, rows), bands);
}

/**
 * Estimated-Jaccard threshold for "near duplicate". 0.6 on a 64-hash estimate (σ ≈ 0.06 at s = 0.7) keeps
 * ~95 % of true s = 0.7 copies while different stories about the same event rarely exceed ~0.3
 * (they share names, not 3-word runs).
 */
export const NEAR_DUPLICATE_THRESHOLD = 0.6;

export function isNearDuplicate(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  threshold = NEAR_DUPLICATE_THRESHOLD,
): boolean {
  return estimateJaccard(a, b) >= threshold;
}

/** Convenience: everything the store needs for one article. */
export interface DedupSignature {
  fingerprint: string;
  minhash: Int32Array;
  bandKeys: number[];
}

export function dedupSignature(title: string, text: string, opts: MinhashOptions = {}): DedupSignature {
  const sig = minhash(`${title} ${text}`, opts);
  return { fingerprint: contentFingerprint(title, text), minhash: sig, bandKeys: lshBandKeys(sig) };
}
