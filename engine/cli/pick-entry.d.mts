/** Whether `compiledFile` exists and is newer than every `.ts` file under `sourceDir` (pick-entry.mjs). */
export function compiledIsFresh(compiledFile: string, sourceDir: string): boolean;
