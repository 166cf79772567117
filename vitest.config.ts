import os from 'node:os';
import { defineConfig } from 'vitest/config';

// Two test files at a time at least: vitest's default (cores − 1) ran CI's 2 cores one file at a
// time, though a browser test's own process mostly waits on its server and chromium. At most 4, so
// that a large machine does not start a dozen browsers at once.
const workers = Math.min(4, Math.max(2, os.availableParallelism()));

/**
 * Files that change the process itself (format.test.ts sets TZ before the studio's formatters are
 * built) run each in a process of its own. Every other file shares its worker's process with the
 * files before it: an isolated file paid ~2 s loading playwright, exceljs, the mongodb driver and
 * the engine again (test/api alone: 131 s isolated, 71 s shared). A file that shares must leave
 * nothing behind — its servers, browsers and timers closed in afterAll.
 */
const ownProcess = ['test/studio-unit/format.test.ts'];

export default defineConfig({
  test: {
    // A failed browser test says what its pages showed (test/support/failure-evidence.ts).
    setupFiles: ['test/support/failure-evidence-hook.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: workers,
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ownProcess, isolate: false } },
      { extends: true, test: { name: 'own-process', include: ownProcess, isolate: true } },
    ],
  },
});
