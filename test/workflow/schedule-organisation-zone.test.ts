// A schedule or a date trigger that names no time zone is read in the organisation's (CRM_TIME_ZONE):
// "every day at 09:00" and "at 09:00 on the contract's end date" are nine o'clock where the users
// are. The same metadata on a server without the setting reads them in UTC; a trigger naming its
// own zone keeps it either way.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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

// A date job queued before the organisation's zone counted (or before CRM_TIME_ZONE changed) was
// due at nine in the zone it was read in; the same date read in the zone now gives another time,
// which is no changed date: the reminder is moved there, or sent at once if that time has passed.
describe.each([
  { zone: 'America/New_York', movedTo: ['2026-03-10T13:00:00.000Z'], sent: [] },
  { zone: 'Asia/Shanghai', movedTo: [], sent: ['Lease Dock 4 ends today'] },
])('a date job queued in UTC, run with the organisation in $zone', ({ zone, movedTo, sent }) => {
  it('is neither lost nor run twice', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'zone-change-'));
    const before = await startTestServer({ dataDir });
    servers.push(before);
    before.clock.set('2026-03-01T00:30:00.000Z');
    expect((await before.post<any>('/api/meta/apply', metadata)).status).toBe(200);
    expect((await before.post<any>('/api/data/lease', { name: 'Dock 4', ends: '2026-03-10' })).status).toBe(201);
    expect(Object.values(await queued(before, 'date'))).toEqual(['2026-03-10T09:00:00.000Z']);
    await before.close();

    const after = await startTestServer({ dataDir, env: { CRM_TIME_ZONE: zone } });
    servers.push(after);
    after.clock.set('2026-03-10T09:00:00.000Z');
    await after.post('/api/scheduler/tick');
    expect(Object.values(await queued(after, 'date'))).toEqual(movedTo);
    const subjects = async () => (await after.get<any>('/api/notifications')).body.items.map((n: { subject: string }) => n.subject);
    expect(await subjects()).toEqual(sent);
    // Moved: sent once, at nine where the organisation is.
    after.clock.set('2026-03-10T13:00:00.000Z');
    await after.post('/api/scheduler/tick');
    expect(await queued(after, 'date')).toEqual({});
    expect(await subjects()).toEqual(['Lease Dock 4 ends today']);
    await after.close();
    await rm(dataDir, { recursive: true, force: true });
  });
});
