// A campaign (a scheduled trigger on a segment) over a segment of more than 10,000 members: each job
// reads one page of members, so every member is reached (it once read the member list whole and
// failed its job past 10,000 members — the cap a list view over a segment still has).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../engine/kernel/ids.ts';
import { schedulePageSize } from '../../engine/workflow/triggers.ts';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
// More members than the old 10,000 cap, not a whole number of pages; one in 97 is flagged for the trigger's filter.
const goldCount = 10_000 + schedulePageSize / 2 + 3;
const silverCount = 40;
const flagged = (i: number) => i % 97 === 0;

beforeAll(async () => {
  t = await startTestServer();
  t.clock.set('2026-06-01T00:00:00.000Z'); // a Monday
  const applied = await t.post('/api/meta/apply', [
    { kind: 'entity', name: 'member', label: 'Member', fields: { name: { type: 'text', required: true }, tier: { type: 'picklist', options: { gold: { label: 'Gold' }, silver: { label: 'Silver' } } }, flagged: { type: 'boolean' } } },
    { kind: 'entity', name: 'touch', label: 'Touch', fields: { member: { type: 'lookup', to: 'member' } } },
    { kind: 'segment', name: 'gold', label: 'Gold', entity: 'member', filter: { tier: 'gold' } },
    {
      kind: 'workflow', name: 'goldCampaign', entity: 'member', label: 'Gold campaign',
      triggers: { weekly: { on: 'schedule', cron: '0 8 * * 1', timezone: 'UTC', segment: 'gold', filter: { flagged: true }, actions: ['touch'] } },
      actions: { touch: { type: 'createRecord', entity: 'touch', values: { member: 'id' } } },
    },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  // Seeded through the store in one transaction: ten thousand creates over HTTP would only slow the test.
  const now = t.clock.now().toISOString();
  const record = (i: number, tier: string) => ({ id: newId(), version: 1, revision: 1, data: { name: `${tier} ${i}`, tier, flagged: flagged(i), createdAt: now, updatedAt: now, createdBy: 'seed', updatedBy: 'seed', owner: 'seed' } });
  const docs = [...Array.from({ length: goldCount }, (_, i) => record(i, 'gold')), ...Array.from({ length: silverCount }, (_, i) => record(i, 'silver'))];
  await t.server.services.store.transaction(async (tx) => {
    for (const doc of docs) await tx.insert('member', doc);
  });
  const refreshed = await t.post('/api/segments/gold/refresh', {});
  expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('a campaign to a segment of more than 10,000 members', () => {
  it('reaches every member a page at a time, and only the members its filter keeps', async () => {
    expect((await t.get('/api/segments/gold/members?limit=1')).body.count).toBe(goldCount);
    const scheduler = findWorkflowRuntime(t.server.services)!.scheduler;
    await scheduler.runDue(); // queues the first occurrence: 2026-06-01 08:00 UTC
    t.clock.set('2026-06-01T08:00:00.000Z');
    await scheduler.runDue();
    const jobs = (await t.get('/api/scheduler/jobs?key=cron.goldCampaign.weekly&limit=100')).body.items as { status: string; note?: string }[];
    expect(jobs.filter((j) => j.status === 'failed')).toEqual([]);
    const counted = jobs.filter((j) => j.status === 'done').map((j) => /^queued (\d+) action\(s\) over (\d+) record\(s\)/.exec(j.note ?? '')).filter((m): m is RegExpExecArray => m !== null);
    // One job per page of members, each queued by the one before.
    expect(counted).toHaveLength(Math.ceil(goldCount / schedulePageSize));
    const expected = Array.from({ length: goldCount }, (_, i) => i).filter(flagged).length;
    expect(counted.reduce((sum, m) => sum + Number(m[1]), 0)).toBe(expected);
    expect(counted.reduce((sum, m) => sum + Number(m[2]), 0)).toBe(expected);
  }, 120_000);
});
