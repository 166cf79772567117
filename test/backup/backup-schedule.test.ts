// Scheduled backups under the test server's manual clock, never sleeping: an administrator sets
// "every 6 hours, keep 2"; nothing is written before the first slot; each slot the clock passes
// writes one automatic archive named after the slot's time, and only the last two automatic ones
// are kept — an archive made by hand is never pruned. Turning the schedule off stops the runs. A
// bad schedule is refused naming the field, in English and Chinese; a non-admin may not set it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const hour = 60 * 60 * 1000;

async function archives(): Promise<string[]> {
  const res = await server.get<any>('/api/backups');
  expect(res.status).toBe(200);
  return res.body.items.map((i: { name: string }) => i.name);
}
const autoName = (at: Date) => `backup-auto-${at.toISOString().replace(/[:.]/g, '-')}.tar.gz`;

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => server?.close());

describe('scheduled backups', () => {
  it('refuses a bad schedule naming the field; non-admins may not set one', async () => {
    const en = await server.put<any>('/api/backups/schedule', { enabled: 'yes', everyHours: 0, keep: 1000, when: 'daily' }, { 'accept-language': 'en' });
    expect(en.status).toBe(400);
    expect(Object.fromEntries(en.body.error.details.map((d: any) => [d.path, d.message]))).toEqual({
      '/when': 'is not a known property (known: enabled, everyHours, keep)',
      '/enabled': 'must be true or false',
      '/everyHours': 'must be a whole number of hours from 1 to 744',
      '/keep': 'must be a whole number from 1 to 100',
    });
    const zh = await server.put<any>('/api/backups/schedule', { enabled: true, everyHours: 6, keep: 0 }, { 'accept-language': 'zh-CN' });
    expect(zh.status).toBe(400);
    expect(zh.body.error.details).toEqual([{ path: '/keep', message: '必须是 1 到 100 之间的整数' }]);
    const user = await server.createUser({ email: 'plain@example.com' });
    expect((await user.client.put('/api/backups/schedule', { enabled: true, everyHours: 6, keep: 2 })).status).toBe(403);
    expect((await server.get<any>('/api/backups/schedule')).body).toEqual({ enabled: false, everyHours: 24, keep: 7 });
  });

  it('writes one archive per slot and keeps the last two automatic ones', async () => {
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    const set = await server.put<any>('/api/backups/schedule', { enabled: true, everyHours: 6, keep: 2 });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect((await server.get<any>('/api/backups/schedule')).body).toEqual({ enabled: true, everyHours: 6, keep: 2 });
    const manual = await server.post<any>('/api/backups');
    expect(manual.status).toBe(201);

    const slot = (t: number) => new Date((Math.floor(t / (6 * hour)) + 1) * 6 * hour);
    let next = slot(server.clock.now().getTime());
    // Just before the first slot: nothing.
    server.clock.set(new Date(next.getTime() - 1000));
    await scheduler.runDue();
    expect(await archives()).toEqual([manual.body.name]);

    const written: string[] = [];
    for (let run = 1; run <= 4; run++) {
      server.clock.set(new Date(next.getTime() + 60_000));
      await scheduler.runDue();
      written.push(autoName(next));
      expect((await archives()).sort()).toEqual([manual.body.name, ...written.slice(-2)].sort());
      // A second run in the same slot writes nothing more.
      await scheduler.runDue();
      expect(await archives()).toHaveLength(1 + Math.min(run, 2));
      next = new Date(next.getTime() + 6 * hour);
    }

    expect((await server.put('/api/backups/schedule', { enabled: false, everyHours: 6, keep: 2 })).status).toBe(200);
    server.clock.set(new Date(next.getTime() + 60_000));
    await scheduler.runDue();
    expect((await archives()).sort()).toEqual([manual.body.name, ...written.slice(-2)].sort());
  }, 120_000);

  it('names an archive made by hand from the engine\u2019s clock; a second at the same instant gets a number, not its place', async () => {
    const stamp = server.clock.now().toISOString().replace(/[:.]/g, '-');
    const first = await server.post<any>('/api/backups');
    const second = await server.post<any>('/api/backups');
    expect([first.status, second.status]).toEqual([201, 201]);
    expect([first.body.name, second.body.name]).toEqual([`backup-${stamp}.tar.gz`, `backup-${stamp}-2.tar.gz`]);
    expect(await archives()).toEqual(expect.arrayContaining([first.body.name, second.body.name]));
  });
});
