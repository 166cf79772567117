// ops/build-freshness: `npm start` runs the compiled server (dist/server/, built by `npm install` or
// `npm run build`). Sources pulled or edited since are not in it; at start the compiled server
// compares its own file with the newest source under engine/ and warns when it is older. Run from
// the sources (tsx) there is nothing to compare.

import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from '../kernel/log.ts';

/** The newest source file under engine/ that is newer than the build `moduleFile`, if any. */
export async function newerSource(moduleFile: string): Promise<string | undefined> {
  if (!moduleFile.endsWith('.js')) return undefined;
  const built = (await stat(moduleFile)).mtimeMs;
  // The build sits two folders below the project root (dist/server/main.js).
  const sources = path.resolve(path.dirname(moduleFile), '../../engine');
  const files = await readdir(sources, { recursive: true }).catch((): string[] => []);
  let newest: { file: string; at: number } | undefined;
  for (const file of files) {
    if (!file.endsWith('.ts')) continue;
    const at = (await stat(path.join(sources, file)).catch(() => undefined))?.mtimeMs ?? 0;
    if (at > built && (!newest || at > newest.at)) newest = { file, at };
  }
  return newest && path.join('engine', newest.file);
}

/** Logs a warning when the running compiled server is older than the sources beside it. */
export async function warnIfBuildIsStale(): Promise<void> {
  const source = await newerSource(fileURLToPath(import.meta.url)).catch(() => undefined);
  if (source) log.warn(`the compiled server is older than ${source}: run \`npm run build\` (npm install does it) to serve the current sources`);
}
