// `crm user add --admin` creates the first administrator from the command line: the server then
// prints no setup link, and the admin signs in. Passwords come from stdin or are generated once.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startTestServer } from '../support/test-server.ts';

function crm(args: string[], env: Record<string, string>, stdin?: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', ...args], { env: { ...process.env, ...env, MONGODB_URI: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  child.stdin.end(stdin ?? '');
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

describe('crm user', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  // Several CLI processes in a row (each compiles the engine through tsx): under load more than the default minute.
  it('user add --admin makes the first admin; a weak or duplicate one is refused; reset-password ends sessions', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-cli-'));
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir };
    const added = await crm(['user', 'add', 'owner@shop.test', '--admin', '--password-stdin'], env, 'a-long-cli-password\n');
    expect(added.code, added.out).toBe(0);
    expect(added.out).toContain('created administrator owner@shop.test');
    expect(added.out).not.toContain('a-long-cli-password');
    const weak = await crm(['user', 'add', 'weak@shop.test', '--password-stdin'], env, 'admin\n');
    expect(weak.code).toBe(1);
    expect(weak.out).toContain('/password');
    const again = await crm(['user', 'add', 'owner@shop.test'], env);
    expect(again.code).toBe(1);
    const generated = await crm(['user', 'add', 'clerk@shop.test'], env);
    const password = /password \(shown once\): (\S+)/.exec(generated.out)?.[1];
    expect(password).toBeDefined();

    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const server = await startTestServer({ dataDir, withAdmin: false, env: {} });
    try {
      expect(log.mock.calls.flat().join(' ')).not.toContain('/api/setup/');
      const owner = await server.userClient('owner@shop.test', 'a-long-cli-password');
      expect((await owner.get('/api/auth/me')).body).toMatchObject({ admin: true });
      const clerk = await server.userClient('clerk@shop.test', password!);
      expect((await clerk.get('/api/auth/me')).body).toMatchObject({ admin: false });
      const reset = await crm(['user', 'reset-password', 'clerk@shop.test', '--password-stdin'], env, 'another-long-password\n');
      expect(reset.code, reset.out).toBe(0);
      expect((await clerk.get('/api/auth/me')).status).toBe(401);
      const disabled = await crm(['user', 'disable', 'owner@shop.test'], env);
      expect(disabled.code).toBe(0);
      expect((await owner.get('/api/auth/me')).status).toBe(401);
      const list = await crm(['user', 'list'], env);
      expect(list.out).toMatch(/owner@shop\.test\s+admin\s+disabled/);
    } finally {
      log.mockRestore();
      await server.close();
    }
  }, 180_000);
});
