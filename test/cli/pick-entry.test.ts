// The `crm` command runs the compiled CLI only when it was built after the last change to the
// TypeScript sources (engine/cli/pick-entry.mjs, used by bin.mjs): on real files in a temporary
// folder, with their modification times set.

import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledIsFresh } from '../../engine/cli/pick-entry.mjs';

describe('which crm runs', () => {
  let dir = '';
  let sources = '';
  let compiled = '';
  const at = (file: string, seconds: number) => utimes(file, seconds, seconds);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'crm-pick-entry-'));
    sources = path.join(dir, 'engine');
    await mkdir(path.join(sources, 'cli'), { recursive: true });
    await writeFile(path.join(sources, 'cli', 'main.ts'), '');
    await writeFile(path.join(sources, 'cli', 'bin.mjs'), '');
    compiled = path.join(dir, 'main.js');
    await writeFile(compiled, '');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the build when it is newer than every source, tsx when a source changed after it or there is none', async () => {
    await at(path.join(sources, 'cli', 'main.ts'), 1_000);
    await at(compiled, 2_000);
    expect(compiledIsFresh(compiled, sources)).toBe(true);
    // A source in a nested folder edited after the build.
    await at(path.join(sources, 'cli', 'main.ts'), 3_000);
    expect(compiledIsFresh(compiled, sources)).toBe(false);
    // Rebuilt since.
    await at(compiled, 4_000);
    expect(compiledIsFresh(compiled, sources)).toBe(true);
    // Files that are not compiled into it do not count.
    await at(path.join(sources, 'cli', 'bin.mjs'), 5_000);
    expect(compiledIsFresh(compiled, sources)).toBe(true);
    expect(compiledIsFresh(path.join(dir, 'absent.js'), sources)).toBe(false);
  });
});
