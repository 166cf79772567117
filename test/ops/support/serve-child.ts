// A real `crm serve` in a child process — through tsx (the sources) or node (the compiled bundle) —
// on a data folder, with its JSON log lines collected, for tests of signals, processes and builds.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import { apiClient, testAdmin } from '../../support/test-server.ts';

export const root = path.resolve(import.meta.dirname, '../../..');

export interface ServedChild {
  child: ChildProcess;
  url: string;
  /** Every stdout line so far (JSON log lines). */
  lines: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `command`: the argv after node (default: the sources through tsx); `cwd` (default the project root). */
export function serveChild(dataDir: string, env: Record<string, string> = {}, command: string[] = ['--import', 'tsx', 'engine/cli/main.ts', 'serve'], cwd: string = root): Promise<ServedChild> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CRM_ADMIN_EMAIL: testAdmin.email, CRM_ADMIN_PASSWORD: testAdmin.password, ...env };
  delete childEnv['MONGODB_URI'];
  const child = spawn(process.execPath, command, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      partial += chunk.toString();
      const complete = partial.split('\n');
      partial = complete.pop()!;
      for (const line of complete) {
        lines.push(line);
        const match = /on http:\/\/localhost:(\d+)/.exec(line);
        if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}`, lines, stderr: () => stderr, exited });
      }
    });
    void exited.then((how) => reject(new Error(`the server exited (${JSON.stringify(how)}) before listening:\n${lines.join('\n')}\n${stderr}`)));
  });
}

/** Signs in as the first administrator and makes an API token (kept in the data folder). */
export async function adminToken(url: string): Promise<string> {
  const anonymous = apiClient(url);
  const login = await anonymous.post('/api/auth/login', { email: testAdmin.email, password: testAdmin.password });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  const session = apiClient(url, { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': login.body.csrfToken });
  const token = await session.post('/api/auth/tokens', { name: 'ops test', role: 'admin' });
  expect(token.status, JSON.stringify(token.body)).toBe(201);
  return token.body.token as string;
}
