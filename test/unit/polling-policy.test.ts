import { describe, expect, it } from 'vitest';
import { nextCheckAfterError, nextCheckAfterSuccess } from '../../src/sources/polling-policy.js';
import { parseRetryAfter } from '../../src/reader/fetch-feed.js';

const p = { pollMinutes: 30, minPollMinutes: 5, maxPollMinutes: 1440, backoffBaseMinutes: 5, backoffMaxMinutes: 1440 };
const now = new Date('2026-11-25T12:00:00Z');
const minutesFrom = (d: Date) => (d.getTime() - now.getTime()) / 60_000;
const none = { freshForSeconds: null, ttlMinutes: null, updateIntervalMinutes: null };

describe('polling policy', () => {
  it('uses the regular interval, pushed later by max-age, ttl or sy:updatePeriod, and clamped', () => {
    expect(minutesFrom(nextCheckAfterSuccess(now, none, p))).toBe(30);
    expect(minutesFrom(nextCheckAfterSuccess(now, { ...none, freshForSeconds: 3600 }, p))).toBe(60);
    expect(minutesFrom(nextCheckAfterSuccess(now, { ...none, ttlMinutes: 120 }, p))).toBe(120);
    expect(minutesFrom(nextCheckAfterSuccess(now, { ...none, updateIntervalMinutes: 360 }, p))).toBe(360);
    expect(minutesFrom(nextCheckAfterSuccess(now, { ...none, freshForSeconds: 365 * 86400 }, p))).toBe(1440);
  });

  it('backs off exponentially with jitter up to the cap, and honours Retry-After', () => {
    const mid = () => 0.5; // no jitter
    expect(minutesFrom(nextCheckAfterError(now, 1, null, p, mid))).toBe(5);
    expect(minutesFrom(nextCheckAfterError(now, 2, null, p, mid))).toBe(10);
    expect(minutesFrom(nextCheckAfterError(now, 4, null, p, mid))).toBe(40);
    expect(minutesFrom(nextCheckAfterError(now, 50, null, p, mid))).toBe(1440);
    expect(minutesFrom(nextCheckAfterError(now, 1, 7200, p, mid))).toBe(120);
    const lo = minutesFrom(nextCheckAfterError(now, 3, null, p, () => 0));
    const hi = minutesFrom(nextCheckAfterError(now, 3, null, p, () => 0.999));
    expect(lo).toBeCloseTo(16, 5);
    expect(hi).toBeGreaterThan(23.9);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Wed, 25 Nov 2026 13:00:00 GMT', now)).toBe(3600);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
