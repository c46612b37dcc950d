import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite instances cost ~5 s and ~780 MB each: keep parallelism modest on 2 cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
