// The real `crm` command in a child process (under tsx, as `npm run crm` runs it) on a data folder:
// its exit code and everything it printed. MONGODB_URI is cleared so that the command uses the folder
// it is given; `lang` sets the terminal's language (LANG, the others cleared).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function runCrm(options: { dataDir: string; lang?: string }, ...args: string[]): Promise<{ code: number; out: string }> {
  const language = options.lang !== undefined ? { LANG: options.lang, LC_ALL: '', LC_MESSAGES: '' } : {};
  const env = { ...process.env, DATA_DIR: options.dataDir, MONGODB_URI: '', ...language };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', ...args], { env });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}
