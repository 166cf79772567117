// A schedule or a date trigger that names no time zone is read in the organisation's (CRM_TIME_ZONE):
// "every day at 09:00" and "at 09:00 on the contract's end date" are nine o'clock where the users
// are. The same metadata on a server without the setting reads them in UTC; a trigger naming its
// own zone keeps it either way.

import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const metadata = [
  { kind: 'entity', name: 'lease', label: 'Lease', fields: { name: { type: 'text', required: true }, ends: { type: 'date' } } },
  { kind: 'entity', name: 'memo', label: 'Memo', fields: { note: { type: 'text' } } },
  {
    kind: 'workflow', name: 'leaseLife', entity: 'lease', label: 'Lease life',
    triggers: {
      morning: { on: 'schedule', cron: '0 9 * * *', actions: ['jot'] },
      london: { on: 'schedule', cron: '0 9 * * *', timezone: 'Europe/London', actions: ['jot'] },
      expiry: { on: 'date', field: 'ends', offset: '0d', at: '09:00', actions: ['remind'] },
    },
    actions: {
      jot: { type: 'createRecord', entity: 'memo', values: { note: "'scheduled'" } },
      remind: { type: 'notify', to: { fields: ['owner'] }, subject: 'Lease {{ name }} ends today', channels: ['inbox'] },
    },
  },
];

const servers: TestServer[] = [];
afterAll(async () => Promise.all(servers.map((s) => s.close())));

/** The due times of the queued jobs of a kind, by key. */
async function queued(t: TestServer, kind: string): Promise<Record<string, string>> {
  const jobs = (await t.get<any>('/api/scheduler/jobs?status=pending&limit=1000')).body.items as { kind: string; key: string; dueAt: string }[];
  return Object.fromEntries(jobs.filter((job) => job.kind === kind).map((job) => [job.key, job.dueAt]));
}

describe.each([
  { zone: 'Asia/Shanghai', env: { CRM_TIME_ZONE: 'Asia/Shanghai' }, nine: '2026-03-01T01:00:00.000Z', leaseNine: '2026-03-10T01:00:00.000Z' },
  { zone: 'UTC (unset)', env: {}, nine: '2026-03-01T09:00:00.000Z', leaseNine: '2026-03-10T09:00:00.000Z' },
])('triggers naming no zone, organisation in $zone', ({ env, nine, leaseNine }) => {
  it('a cron schedule and a date trigger\u2019s `at` are read in the organisation\u2019s zone; a named zone stays', async () => {
    const t = await startTestServer({ env });
    servers.push(t);
    t.clock.set('2026-03-01T00:30:00.000Z');
    const applied = await t.post<any>('/api/meta/apply', metadata);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    await t.post('/api/scheduler/tick');
    // 09:00 in London on 1 March (GMT) is 09:00 UTC whatever the organisation's zone.
    expect(await queued(t, 'cron')).toEqual({ 'cron.leaseLife.morning': nine, 'cron.leaseLife.london': '2026-03-01T09:00:00.000Z' });
    expect((await t.post<any>('/api/data/lease', { name: 'Dock 4', ends: '2026-03-10' })).status).toBe(201);
    expect(Object.values(await queued(t, 'date'))).toEqual([leaseNine]);
  });
});
