// Vitest setup file: a failed test's message gets what its pages showed (failure-evidence.ts).

import { beforeEach } from 'vitest';
import { describePages } from './failure-evidence.ts';

beforeEach(({ onTestFailed, task }) => {
  const since = performance.now();
  onTestFailed(async () => {
    const evidence = await describePages(since, task.name);
    if (!evidence) return;
    // On the error itself: the report's summary of failures is what a CI log keeps.
    const error = task.result?.errors?.[0];
    if (error) error.message = `${error.message}\n${evidence}`;
    else console.error(evidence);
  });
});
