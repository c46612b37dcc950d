import { describe, expect, it } from 'vitest';
import { HostLimiter, Semaphore } from '../../src/runtime/limiter.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('limiters', () => {
  it('keeps one request in flight per host, spaced, while other hosts proceed', async () => {
    const limiter = new HostLimiter(40);
    const log: string[] = [];
    const starts: Record<string, number[]> = { a: [], b: [] };
    let inFlightA = 0;
    let maxInFlightA = 0;
    const task = (host: 'a' | 'b', i: number) =>
      limiter.run(host, async () => {
        starts[host]!.push(Date.now());
        if (host === 'a') maxInFlightA = Math.max(maxInFlightA, ++inFlightA);
        await sleep(5);
        if (host === 'a') inFlightA--;
        log.push(`${host}${i}`);
      });
    await Promise.all([task('a', 1), task('a', 2), task('a', 3), task('b', 1)]);
    expect(maxInFlightA).toBe(1);
    const a = starts.a!;
    expect(a[1]! - a[0]!).toBeGreaterThanOrEqual(38);
    expect(a[2]! - a[1]!).toBeGreaterThanOrEqual(38);
    expect(log.indexOf('b1')).toBeLessThan(log.indexOf('a2'));
  });

  it('a failing task does not block the host queue', async () => {
    const limiter = new HostLimiter(0);
    await expect(limiter.run('h', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(limiter.run('h', async () => 7)).resolves.toBe(7);
  });

  it('a task that comes after its host went idle still waits for the spacing', async () => {
    const limiter = new HostLimiter(60);
    const starts: number[] = [];
    await limiter.run('h', async () => void starts.push(Date.now()));
    await sleep(10);
    await limiter.run('h', async () => void starts.push(Date.now()));
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(58);
    // Past the spacing, a host starts at once.
    await sleep(70);
    const before = Date.now();
    await limiter.run('h', async () => void starts.push(Date.now()));
    expect(starts[2]! - before).toBeLessThan(30);
  });

  it('semaphore bounds global concurrency', async () => {
    const s = new Semaphore(3);
    let active = 0;
    let max = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        s.run(async () => {
          max = Math.max(max, ++active);
          await sleep(3);
          active--;
        }),
      ),
    );
    expect(max).toBe(3);
  });
});
