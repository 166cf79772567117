import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one file at a time per core but one (a single file on a 2-core CI machine).
    // Most of a browser, crash or restart test's time is spent waiting — on a page to render, a child
    // process to come up, an fsync — so two files at once finish the run sooner. Tests wait on state,
    // not on time; the six longest files passed two at a time at a load average of 17.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
  },
});
