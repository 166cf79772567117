// Acceptance over real HTTP: triggers on a schedule — relative to a date field ("3 days before
// contractEnd, at 09:00 Shanghai time"), rescheduled when the date changes and skipped in a final
// state — and cron with a filter and a condition, running its actions per matching record.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  t.clock.set('2026-03-01T00:00:00.000Z');
  const applied = await t.post('/api/meta/apply', [
    {
      kind: 'entity', name: 'contract', label: 'Contract',
      fields: {
        name: { type: 'text', required: true },
        active: { type: 'boolean', default: true },
        contractEnd: { type: 'date' },
        stage: { type: 'picklist', options: { running: { label: 'Running' }, ended: { label: 'Ended' } } },
      },
    },
    { kind: 'entity', name: 'careCall', label: 'Care call', fields: { contract: { type: 'lookup', to: 'contract' }, note: { type: 'text' } } },
    {
      kind: 'workflow', name: 'contractLife', entity: 'contract', label: 'Contract life', field: 'stage',
      states: { running: { label: 'Running', initial: true }, ended: { label: 'Ended', final: true } },
      transitions: { end: { label: 'End', from: 'running', to: 'ended' } },
      triggers: {
        renewal: { on: 'date', field: 'contractEnd', offset: '-3d', at: '09:00', timezone: 'Asia/Shanghai', actions: ['remind'] },
        weeklyCare: { on: 'schedule', cron: '0 8 * * 1', timezone: 'UTC', filter: { active: true }, when: "name != 'Skip me'", actions: ['call'] },
      },
      actions: {
        remind: { type: 'notify', to: { fields: ['owner'] }, subject: 'Contract {{ name }} ends on {{ contractEnd }}', channels: ['inbox'] },
        call: { type: 'createRecord', entity: 'careCall', values: { contract: 'id', note: "'Weekly care: ' & name" } },
      },
    },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
});

afterAll(async () => {
  await t?.close();
});

const tick = async () => (await t.post('/api/scheduler/tick')).body;
const reminders = async (id: string) => (await t.get('/api/notifications')).body.items.filter((n: any) => n.recordId === id);

describe('date triggers', () => {
  it('fire at the offset from the date, in the trigger time zone; a changed date reschedules', async () => {
    const id = (await t.post('/api/data/contract', { name: 'Alpha', contractEnd: '2026-03-10' })).body.id;
    // 3 days before 2026-03-10, 09:00 in Shanghai = 2026-03-07T01:00:00Z
    t.clock.set('2026-03-07T00:59:59.000Z');
    await tick();
    expect(await reminders(id)).toEqual([]);
    t.clock.set('2026-03-07T01:00:00.000Z');
    await tick();
    expect((await reminders(id)).map((n: any) => n.subject)).toEqual(['Contract Alpha ends on 2026-03-10']);

    await t.patch(`/api/data/contract/${id}`, { contractEnd: '2026-03-20' });
    t.clock.set('2026-03-17T01:00:00.000Z');
    await tick();
    expect(await reminders(id)).toHaveLength(2);
  });

  it('a date moved before its due time leaves the old job with nothing to do; a final state skips it', async () => {
    const moved = (await t.post('/api/data/contract', { name: 'Beta', contractEnd: '2026-04-10' })).body.id;
    await t.patch(`/api/data/contract/${moved}`, { contractEnd: '2026-05-10' });
    const ended = (await t.post('/api/data/contract', { name: 'Gamma', contractEnd: '2026-04-10' })).body.id;
    expect((await t.post(`/api/data/contract/${ended}/transitions/end`, {})).status).toBe(200);
    t.clock.set('2026-04-07T01:00:00.000Z');
    await tick();
    expect(await reminders(moved)).toEqual([]);
    expect(await reminders(ended)).toEqual([]);
    const notes = (await t.get('/api/scheduler/jobs?status=done&limit=1000')).body.items.filter((j: any) => j.kind === 'date').map((j: any) => j.note);
    expect(notes).toEqual(expect.arrayContaining(['the date changed: rescheduled', 'final state: skipped']));
    t.clock.set('2026-05-07T01:00:00.000Z');
    await tick();
    expect(await reminders(moved)).toHaveLength(1);
  });
});

describe('cron triggers', () => {
  it('run per record matching the filter and condition, once per occurrence', async () => {
    t.clock.set('2026-06-01T00:00:00.000Z'); // a Monday
    const keep = (await t.post('/api/data/contract', { name: 'Delta' })).body.id;
    await t.post('/api/data/contract', { name: 'Skip me' });
    await t.post('/api/data/contract', { name: 'Inactive', active: false });
    await tick(); // queues the next occurrence: Monday 2026-06-01 08:00 UTC
    const calls = async () => (await t.get('/api/data/careCall?total=1&limit=1000')).body;
    const before = (await calls()).total;
    t.clock.set('2026-06-01T08:00:00.000Z');
    await tick();
    await tick();
    const created = (await calls()).items.slice(before);
    // Active contracts not named "Skip me" and not in a final state: Alpha, Beta (earlier tests) and Delta.
    expect(created.map((c: any) => c.note).sort()).toEqual(['Weekly care: Alpha', 'Weekly care: Beta', 'Weekly care: Delta']);
    expect(created.filter((c: any) => c.contract === keep)).toHaveLength(1);
    const next = (await t.get('/api/scheduler/jobs?key=cron.contractLife.weeklyCare&status=pending')).body.items;
    expect(next.map((j: any) => j.dueAt)).toEqual(['2026-06-08T08:00:00.000Z']);
  });
});
