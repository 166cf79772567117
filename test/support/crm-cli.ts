// The real `crm` command in a child process (under tsx, as `npm run crm` runs it) on a data folder:
// its exit code and everything it printed. MONGODB_URI is cleared so that the command uses the folder
// it is given; `lang` sets the terminal's language (LANG, the others cleared). `startCrm` keeps the
// child running, to read its progress as it comes and kill it (-9) part-way.

import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';

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

/** A running `crm` command. */
export interface CrmChild {
  out: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: no handler runs, as when the machine loses power. */
  kill(): void;
  /** Resolves when the output matches (checked on every chunk); rejects if the command ends first. */
  waitFor(test: (out: string) => boolean): Promise<void>;
}

export function startCrm(dataDir: string, args: string[]): CrmChild {
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir, MONGODB_URI: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const waiters: { test: (out: string) => boolean; resolve: () => void }[] = [];
  const state: CrmChild = {
    out: '',
    exit: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
    kill: () => child.kill('SIGKILL'),
    waitFor: (test) => new Promise((resolve, reject) => {
      if (test(state.out)) return resolve();
      waiters.push({ test, resolve });
      void state.exit.then(() => reject(new Error(`exited before the expected output:\n${state.out}`)));
    }),
  };
  const onData = (chunk: Buffer) => {
    state.out += chunk.toString();
    for (const w of waiters.splice(0)) if (w.test(state.out)) w.resolve();
      else waiters.push(w);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return state;
}

/** The output of a command that must end with exit code 0. */
export async function finished(child: CrmChild): Promise<string> {
  const { code } = await child.exit;
  expect(code, child.out).toBe(0);
  return child.out;
}
