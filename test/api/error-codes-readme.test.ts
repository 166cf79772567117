// The README's error-code list is complete: every code of the catalogue with its status, and every
// detail code the engine's source writes (a quoted UPPER_SNAKE literal that is not an environment
// variable or a driver's code) is named in the "Error codes" section.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodes, statusOf } from '../../engine/kernel/errors.ts';

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.includes('generated')).map((e) => path.join(e.parentPath, e.name));
}

async function section(): Promise<string> {
  const readme = await readFile('README.md', 'utf8');
  const start = readme.indexOf('### Error codes');
  expect(start).toBeGreaterThan(0);
  return readme.slice(start, readme.indexOf('\n## ', start));
}

describe('README: error codes', () => {
  it('lists every error code with its status', async () => {
    const text = await section();
    for (const code of errorCodes) expect(text, code).toMatch(new RegExp(`\\| \`${code}\` \\| ${statusOf(code)} \\|`));
  });

  it('names every detail code the engine writes', async () => {
    const text = await section();
    // CSV_: csv-parse's own error codes, read by the importer, never written (one of them, INVALID_OPENING_QUOTE,
    // has no prefix); HPE_: Node's HTTP parser's.
    const notDetailCodes = /^(CRM_|SMTP_|MONGODB_|SQLITE_|LC_|CSV_|HPE_|DATA_DIR$|INVALID_OPENING_QUOTE$)/;
    const found = new Set<string>();
    for (const file of await sourceFiles('engine')) {
      for (const match of (await readFile(file, 'utf8')).matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) {
        const code = match[1]!;
        if (!notDetailCodes.test(code) && !(errorCodes as string[]).includes(code)) found.add(code);
      }
    }
    expect(found.size).toBeGreaterThan(40);
    expect([...found].filter((code) => !text.includes(`\`${code}\``)).sort()).toEqual([]);
  });
});
