import { describe, expect, it } from 'vitest';
import {
  contentFingerprint, estimateJaccard, foldText, isNearDuplicate, jaccard, lshBandKeys,
  lshCandidateProbability, minhash, shingles,
} from '../../src/dedup/fingerprint.js';

const wire =
  'MEXICO CITY (AP) — Mexico sent 55 cartel members to the United States on Tuesday, the third such mass ' +
  'transfer this year, as President Claudia Sheinbaum seeks to ease pressure from Washington over fentanyl ' +
  'trafficking and threats of US military strikes against drug cartels on Mexican soil. Security officials ' +
  'said the prisoners were flown on Mexican government planes to several US cities where they face charges.';
// Reprint under another URL: dateline dropped, one word changed, trailing sentence added.
const reprint =
  'Mexico sent 55 cartel members to the United States on Tuesday, the third such mass ' +
  'transfer this year, as President Claudia Sheinbaum seeks to ease pressure from Washington over fentanyl ' +
  'trafficking and threats of U.S. military strikes against drug cartels on Mexican soil. Security officials ' +
  'said the prisoners were flown on Mexican government aircraft to several US cities where they face charges. ' +
  'Reporting by staff.';
const other =
  'Mexican authorities seized more than a ton of methamphetamine at a clandestine laboratory in the mountains ' +
  'of Sinaloa, the navy said, the latest in a string of raids on drug labs run by the Sinaloa Cartel factions ' +
  'at war with each other since last September.';

describe('foldText / contentFingerprint', () => {
  it('folds case, accents and punctuation', () => {
    expect(foldText('¡Extradición de “El Mayo”, México!')).toBe('extradicion de el mayo mexico');
  });
  it('is equal for copies differing only in case/accents/punctuation', () => {
    expect(contentFingerprint('Cártel de Sinaloa', 'Decomiso: 55 kg.')).toBe(contentFingerprint('cartel de sinaloa', 'decomiso 55 kg'));
    expect(contentFingerprint('a', 'b')).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('minhash', () => {
  it('is deterministic and 64 signed int32 values', () => {
    const a = minhash(wire);
    expect(a).toHaveLength(64);
    expect(Array.from(a)).toEqual(Array.from(minhash(wire)));
    for (const v of a) expect(v).toBe(v | 0);
  });
  it('estimates Jaccard within sampling error', () => {
    const exact = jaccard(shingles(wire), shingles(reprint));
    expect(Math.abs(estimateJaccard(minhash(wire), minhash(reprint)) - exact)).toBeLessThan(0.2);
  });
  it('flags a wire reprint with small edits but not a different story', () => {
    expect(jaccard(shingles(wire), shingles(reprint))).toBeGreaterThan(0.7);
    expect(isNearDuplicate(minhash(wire), minhash(reprint))).toBe(true);
    expect(isNearDuplicate(minhash(wire), minhash(other))).toBe(false);
  });
  it('is fast enough (≥ 20k short articles/s)', () => {
    const texts = Array.from({ length: 5000 }, (_, i) => `${wire.slice(0, 200)} ${i}`);
    for (const t of texts.slice(0, 2000)) minhash(t); // JIT warm-up
    // CPU time rather than wall time: the suite runs in parallel with other work on a shared machine.
    const c0 = process.cpuUsage();
    for (const t of texts) minhash(t);
    const c = process.cpuUsage(c0);
    const perSec = texts.length / ((c.user + c.system) / 1e6);
    expect(perSec).toBeGreaterThan(20_000);
  });
});

describe('lshBandKeys', () => {
  it('gives one signed 32-bit key per band, band index mixed in', () => {
    const keys = lshBandKeys(minhash(wire));
    expect(keys).toHaveLength(16);
    for (const k of keys) expect(k).toBe(k | 0);
    // Identical rows in every band must still give 16 different keys.
    const flat = lshBandKeys(new Int32Array(64).fill(7));
    expect(new Set(flat).size).toBe(16);
  });
  it('makes a reprint a candidate and a different story not', () => {
    const a = new Set(lshBandKeys(minhash(wire)));
    expect(lshBandKeys(minhash(reprint)).some((k) => a.has(k))).toBe(true);
    expect(lshBandKeys(minhash(other)).some((k) => a.has(k))).toBe(false);
  });
  it('has the documented S-curve', () => {
    expect(lshCandidateProbability(0.7)).toBeGreaterThan(0.98);
    expect(lshCandidateProbability(0.1)).toBeLessThan(0.01);
  });
  it('rejects banding larger than the signature', () => {
    expect(() => lshBandKeys(new Int32Array(8), 4, 4)).toThrow();
  });
});
