import os from 'node:os';
import { defineConfig } from 'vitest/config';

// Two test files at a time at least: vitest's default (cores − 1) ran CI's 2 cores one file at a
// time, though a browser test's own process mostly waits on its server and chromium. At most 4, so
// that a large machine does not start a dozen browsers at once.
const workers = Math.min(4, Math.max(2, os.availableParallelism()));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A failed browser test says what its pages showed (test/support/failure-evidence.ts).
    setupFiles: ['test/support/failure-evidence-hook.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: workers,
  },
});
