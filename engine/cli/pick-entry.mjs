// Which `crm` to run (bin.mjs): the compiled CLI when it was built after the last change to the
// TypeScript sources under engine/ — the rule of ops/build-freshness.ts, which warns a compiled
// server started from older sources — else the sources through tsx. Plain JavaScript: it runs
// before tsx is loaded.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Whether `compiledFile` exists and is newer than every `.ts` file under `sourceDir`. Any doubt (a file unreadable) says no. */
export function compiledIsFresh(compiledFile, sourceDir) {
  try {
    const built = statSync(compiledFile).mtimeMs;
    for (const file of readdirSync(sourceDir, { recursive: true })) {
      if (String(file).endsWith('.ts') && statSync(path.join(sourceDir, String(file))).mtimeMs > built) return false;
    }
    return true;
  } catch {
    return false;
  }
}
