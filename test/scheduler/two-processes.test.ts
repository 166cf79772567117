// Two server processes on one data folder, sharing a clock through a file (CRM_CLOCK_FILE): a
// scheduled job runs exactly once however both tick; when the process holding a job's lease is
// killed with SIGKILL, the other takes the job over once the lease has expired.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileClock } from '../../engine/scheduler/file-clock.ts';
import { apiClient, testAdmin, type ApiClient } from '../support/test-server.ts';
import { startHttpReceiver } from '../workflow/support/local-receivers.ts';

interface Child {
  process: ChildProcess;
  url: string;
  client: ApiClient;
}

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function startChild(dataDir: string, clockFile: string, extraEnv: Record<string, string> = {}): Promise<Child> {
  const env = {
    ...process.env, DATA_DIR: dataDir, CRM_CLOCK_FILE: clockFile, CRM_SCHEDULER_INTERVAL_MS: '0', CRM_JOB_LEASE_MS: '60000',
    CRM_ADMIN_EMAIL: testAdmin.email, CRM_ADMIN_PASSWORD: testAdmin.password, ...extraEnv,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/scheduler/support/child-server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code}: ${stderr}`)));
  });
  const anonymous = apiClient(url);
  const login = await anonymous.post<{ csrfToken: string }>('/api/auth/login', { email: testAdmin.email, password: testAdmin.password });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  const token = await apiClient(url, { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': login.body.csrfToken }).post<{ token: string }>('/api/auth/tokens', { name: 'test', role: 'admin' });
  expect(token.status).toBe(201);
  return { process: child, url, client: apiClient(url, { authorization: `Bearer ${token.body.token}` }) };
}

async function setup(): Promise<{ dataDir: string; clockFile: string }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-two-'));
  const clockFile = path.join(dataDir, 'clock.txt');
  FileClock.write(clockFile, '2026-03-01T09:00:00.000Z');
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  return { dataDir, clockFile };
}

const tick = async (child: Child) => {
  const res = await child.client.post('/api/scheduler/tick');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { ran: number };
};

describe('two server processes on one data folder', () => {
  it('a scheduled job runs exactly once, however both processes tick', async () => {
    const { dataDir, clockFile } = await setup();
    const a = await startChild(dataDir, clockFile);
    const b = await startChild(dataDir, clockFile);
    const applied = await a.client.post('/api/meta/apply', [
      { kind: 'entity', name: 'note', label: 'Note', fields: { title: { type: 'text', required: true } } },
      { kind: 'workflow', name: 'heartbeat', entity: 'note', label: 'Heartbeat', triggers: { every5: { on: 'schedule', cron: '*/5 * * * *', timezone: 'UTC', actions: ['write'] } }, actions: { write: { type: 'createRecord', entity: 'note', values: { title: "'beat at ' & $now()" } } } },
    ]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    await Promise.all([tick(a), tick(b)]);
    const jobs = (await b.client.get('/api/scheduler/jobs?key=cron.heartbeat.every5')).body.items;
    expect(jobs.map((j: any) => [j.status, j.dueAt])).toEqual([['pending', '2026-03-01T09:05:00.000Z']]);

    FileClock.write(clockFile, '2026-03-01T09:05:30.000Z');
    for (let round = 0; round < 5; round++) await Promise.all([tick(a), tick(b), tick(a), tick(b)]);
    const notes = (await a.client.get('/api/data/note?total=1')).body;
    expect(notes.total).toBe(1);
    expect(notes.items[0].title).toBe('beat at 2026-03-01T09:05:30.000Z');
    const after = (await a.client.get('/api/scheduler/jobs?key=cron.heartbeat.every5')).body.items;
    expect(after.map((j: any) => [j.status, j.dueAt, j.attempts])).toEqual([['done', '2026-03-01T09:05:00.000Z', 1], ['pending', '2026-03-01T09:10:00.000Z', 0]]);

    FileClock.write(clockFile, '2026-03-01T09:10:00.000Z');
    await Promise.all([tick(b), tick(a)]);
    expect((await b.client.get('/api/data/note?total=1')).body.total).toBe(2);
  });

  it('when the process holding the lease is killed, the other runs the job after the lease expires', async () => {
    const { dataDir, clockFile } = await setup();
    // The first call hangs (the holder dies while waiting); the second is answered.
    const receiver = await startHttpReceiver((n) => (n === 1 ? 'hang' : 200));
    cleanups.push(() => receiver.close());
    const env = { PING_SECRET: 'ping-secret-1' };
    const a = await startChild(dataDir, clockFile, env);
    const b = await startChild(dataDir, clockFile, env);
    const applied = await a.client.post('/api/meta/apply', [
      { kind: 'role', name: 'integration', label: 'Integration' },
      { kind: 'entity', name: 'note', label: 'Note', fields: { title: { type: 'text' } } },
      { kind: 'workflow', name: 'pinger', entity: 'note', label: 'Pinger', triggers: { hourly: { on: 'schedule', cron: '0 * * * *', timezone: 'UTC', actions: ['ping'] } }, actions: { ping: { type: 'webhook', url: receiver.url, secretRef: 'PING_SECRET', role: 'integration' } } },
    ]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    await Promise.all([tick(a), tick(b)]);

    FileClock.write(clockFile, '2026-03-01T10:00:10.000Z');
    void a.client.post('/api/scheduler/tick').catch(() => undefined); // a takes the job and hangs in the call
    for (let i = 0; i < 200 && receiver.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 25)); // real I/O, not the clock
    expect(receiver.requests).toHaveLength(1);
    const running = (await b.client.get('/api/scheduler/jobs?status=running')).body.items;
    expect(running).toHaveLength(1);
    expect(running[0]).toMatchObject({ kind: 'action', attempts: 1, leaseUntil: '2026-03-01T10:01:10.000Z' });
    a.process.kill('SIGKILL');
    await new Promise((resolve) => a.process.once('exit', resolve));

    await tick(b); // the lease has not expired: b leaves the job alone
    expect(receiver.requests).toHaveLength(1);
    FileClock.write(clockFile, '2026-03-01T10:01:11.000Z');
    await tick(b);
    expect(receiver.requests).toHaveLength(2);
    const job = (await b.client.get(`/api/scheduler/jobs?key=${encodeURIComponent('action.pinger.ping')}`)).body.items[0];
    expect(job).toMatchObject({ status: 'done', attempts: 2 });
    const deliveries = (await b.client.get('/api/webhooks/deliveries')).body.items;
    expect(deliveries.map((d: any) => [d.outcome, d.status, d.at])).toEqual([['delivered', 200, '2026-03-01T10:01:11.000Z']]);
    await tick(b);
    expect(receiver.requests).toHaveLength(2);
  });
});
