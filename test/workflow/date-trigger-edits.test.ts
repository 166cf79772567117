// Editing when a date trigger is due (its `at`, `offset` or `timezone`) re-queues its jobs: every
// record whose date is due later under the new definition has exactly one pending job, at the new
// time; a record whose new time has passed has none, as a record created now with that date would
// not; a new trigger covers the records already stored. A trigger left as it was keeps its jobs as
// they were; a removed trigger's jobs go. Before, the edit left the old jobs, which then found their
// due time changed and did nothing: records with a future date never fired. Over real HTTP on the real store, with the injectable clock.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requeuePageSize } from '../../engine/workflow/date-job-requeue.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const contract = { kind: 'entity', name: 'contract', label: 'Contract', fields: { name: { type: 'text', required: true }, ends: { type: 'date' } } };
const remind = { type: 'notify', to: { fields: ['owner'] }, subject: 'Contract {{ name }} ends on {{ ends }}', channels: ['inbox'] };
const workflow = (triggers: Record<string, unknown>) => ({ kind: 'workflow', name: 'contractLife', entity: 'contract', label: 'Contract life', triggers, actions: { remind } });
const expiry = { on: 'date', field: 'ends', offset: '-1d', at: '09:00', timezone: 'UTC', actions: ['remind'] };
const onTheDay = { on: 'date', field: 'ends', offset: '0d', at: '08:00', timezone: 'UTC', actions: ['remind'] };
const spare = { on: 'date', field: 'ends', offset: '-7d', at: '10:00', timezone: 'UTC', actions: ['remind'] };

const servers: TestServer[] = [];
afterAll(async () => Promise.all(servers.map((s) => s.close())));

interface JobView { id: string; key: string; dueAt: string; createdAt: string; version: number; payload: { recordId: string } }

async function pendingDateJobs(t: TestServer, trigger: string): Promise<JobView[]> {
  const res = await t.get<any>(`/api/scheduler/jobs?status=pending&key=date.contractLife.${trigger}&limit=1000`);
  expect(res.status).toBe(200);
  return res.body.items as JobView[];
}

/** Due time by record id, failing when a record has more than one pending job. */
async function dueByRecord(t: TestServer, trigger: string): Promise<Record<string, string>> {
  const jobs = await pendingDateJobs(t, trigger);
  const due: Record<string, string> = {};
  for (const job of jobs) {
    expect(due[job.payload.recordId], `two pending jobs for ${job.payload.recordId}`).toBeUndefined();
    due[job.payload.recordId] = job.dueAt;
  }
  return due;
}

async function apply(t: TestServer, documents: unknown[]): Promise<void> {
  const applied = await t.post<any>('/api/meta/apply', documents);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
}

async function create(t: TestServer, body: Record<string, unknown>): Promise<string> {
  const res = await t.post<any>('/api/data/contract', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

describe('editing when a date trigger is due', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    servers.push(t);
    t.clock.set('2026-03-01T00:00:00.000Z');
    await apply(t, [contract, workflow({ expiry, onTheDay, spare })]);
  });

  it('re-queues the changed trigger for every record, keeps the unchanged one, drops the removed one', async () => {
    const alpha = await create(t, { name: 'Alpha', ends: '2026-03-10' });
    const beta = await create(t, { name: 'Beta', ends: '2026-03-20' });
    // Due the day before at 09:00 UTC: still to come now, but three days before (the edit) is past.
    const soon = await create(t, { name: 'Soon', ends: '2026-03-03' });
    await create(t, { name: 'Undated' });
    expect(await dueByRecord(t, 'expiry')).toEqual({ [alpha]: '2026-03-09T09:00:00.000Z', [beta]: '2026-03-19T09:00:00.000Z', [soon]: '2026-03-02T09:00:00.000Z' });
    const kept = await pendingDateJobs(t, 'onTheDay');
    expect(kept).toHaveLength(3);
    expect(await pendingDateJobs(t, 'spare')).toHaveLength(2); // Soon's is past already

    t.clock.set('2026-03-01T06:00:00.000Z');
    const added = { on: 'date', field: 'ends', offset: '0d', at: '12:00', timezone: 'UTC', actions: ['remind'] };
    await apply(t, [contract, workflow({ expiry: { ...expiry, offset: '-3d', at: '15:00', timezone: 'Asia/Shanghai' }, onTheDay, added })]);
    // A new trigger covers the records already there, as it will those created from now on.
    expect(await dueByRecord(t, 'added')).toEqual({ [alpha]: '2026-03-10T12:00:00.000Z', [beta]: '2026-03-20T12:00:00.000Z', [soon]: '2026-03-03T12:00:00.000Z' });
    // Three days before, at 15:00 in Shanghai (UTC+8) = 07:00 UTC.
    expect(await dueByRecord(t, 'expiry')).toEqual({ [alpha]: '2026-03-07T07:00:00.000Z', [beta]: '2026-03-17T07:00:00.000Z' });
    // The same as a record created now with Soon's date: its due time has passed, nothing is queued.
    const late = await create(t, { name: 'Late', ends: '2026-03-03' });
    expect(Object.keys(await dueByRecord(t, 'expiry'))).not.toContain(late);
    // The unchanged trigger's jobs are the very same (not deleted and queued again).
    expect((await pendingDateJobs(t, 'onTheDay')).filter((job) => job.payload.recordId !== late)).toEqual(kept);
    expect(await pendingDateJobs(t, 'spare')).toEqual([]);

    // The re-queued job fires at its new time, once.
    t.clock.set('2026-03-07T07:00:00.000Z');
    await t.post('/api/scheduler/tick');
    const subjects = async () => ((await t.get<any>('/api/notifications')).body.items as { subject: string; recordId: string }[]).filter((n) => n.recordId === alpha).map((n) => n.subject);
    expect(await subjects()).toEqual(['Contract Alpha ends on 2026-03-10']);
    expect(await dueByRecord(t, 'expiry')).toEqual({ [beta]: '2026-03-17T07:00:00.000Z' });
  });
});

describe('editing a date trigger over more records than one page', () => {
  it('gives each record exactly one job at the new time', { timeout: 120_000 }, async () => {
    const t = await startTestServer();
    servers.push(t);
    t.clock.set('2026-03-01T00:00:00.000Z');
    await apply(t, [contract, workflow({ expiry })]);
    const count = requeuePageSize + 7;
    const bodies = Array.from({ length: count }, (_, i) => ({ name: `Contract ${i}`, ends: `2026-04-${String(1 + (i % 28)).padStart(2, '0')}` }));
    const ends = new Map<string, string>();
    for (let i = 0; i < bodies.length; i += 16) {
      const batch = bodies.slice(i, i + 16);
      const ids = await Promise.all(batch.map((body) => create(t, body)));
      ids.forEach((id, j) => ends.set(id, batch[j]!.ends));
    }
    expect(Object.keys(await dueByRecord(t, 'expiry'))).toHaveLength(count);

    await apply(t, [contract, workflow({ expiry: { ...expiry, offset: '-2d', at: '18:30' } })]);
    const expected = Object.fromEntries([...ends].map(([id, day]) => [id, new Date(Date.parse(`${day}T18:30:00.000Z`) - 2 * 86_400_000).toISOString()]));
    expect(await dueByRecord(t, 'expiry')).toEqual(expected);
  });
});

describe('editing a date trigger while a job is overdue (due, not yet run)', () => {
  it('keeps the job whose due time the edit leaves as it was: it runs at the next tick, once', async () => {
    const t = await startTestServer();
    servers.push(t);
    t.clock.set('2026-03-01T00:00:00.000Z');
    await apply(t, [contract, workflow({ expiry })]);
    const due = await create(t, { name: 'Due', ends: '2026-03-10' });
    const later = await create(t, { name: 'Later', ends: '2026-03-20' });
    // Due's job fell due at 09:00; the scheduler has not run it yet (its timer, a backlog, a restart).
    t.clock.set('2026-03-09T09:00:30.000Z');
    // "-24h" is the same time as "-1d": the definition changed, no record's due time did.
    await apply(t, [contract, workflow({ expiry: { ...expiry, offset: '-24h' } })]);
    expect(await dueByRecord(t, 'expiry')).toEqual({ [due]: '2026-03-09T09:00:00.000Z', [later]: '2026-03-19T09:00:00.000Z' });
    await t.post('/api/scheduler/tick');
    const notified = ((await t.get<any>('/api/notifications')).body.items as { recordId: string }[]).map((n) => n.recordId);
    expect(notified).toEqual([due]);
  });
});
