import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.fetch).toMatchObject({ timeoutMs: 20_000, maxBytes: 10 * 1024 * 1024, maxRedirects: 5, allowPrivate: false });
    expect(c.refreshCron).toBe('* * * * *');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reports every bad variable in one error', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'eighty', FETCH_TIMEOUT_MS: '-1', DATABASE_URL: 'mysql://x', ALLOW_PRIVATE_SOURCES: 'maybe' });
    } catch (e) {
      message = (e as Error).message;
    }
    for (const v of ['PORT', 'FETCH_TIMEOUT_MS', 'DATABASE_URL', 'ALLOW_PRIVATE_SOURCES']) expect(message).toContain(v);
  });

  it('treats empty strings as unset (compose files produce them)', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).port).toBe(3000);
  });
});

describe('LOG_FORMAT', () => {
  it('defaults to auto and accepts json and pretty only', () => {
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });
});
