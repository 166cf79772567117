// Searching a server's data folder (database, WAL, stored files, anything else) for values that
// must be gone: the strongest check that an erasure left nothing behind.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** `file: needle` for every file of `dir` (recursively) that holds a needle, in any letter case. */
export async function filesContaining(dir: string, needles: readonly string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const bytes = (await readFile(file)).toString('latin1').toLowerCase();
    for (const needle of needles) if (bytes.includes(needle.toLowerCase())) hits.push(`${path.relative(dir, file)}: ${needle}`);
  }
  return hits;
}
