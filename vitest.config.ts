import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's own default is one worker fewer than the cores: a single worker on the 2-core CI
    // machine, which then leaves a core idle while a test waits on its server or its browser.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
