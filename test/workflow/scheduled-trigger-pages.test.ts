// A cron trigger over more records than one page: every matching record gets its actions, once
// (the trigger handles one id-ordered page per job, each queueing the next; it once read a fixed
// 10,000 records in one go and silently stopped there).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedulePageSize } from '../../engine/workflow/triggers.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  t.clock.set('2026-06-01T00:00:00.000Z'); // a Monday
  const applied = await t.post('/api/meta/apply', [
    { kind: 'entity', name: 'ticket', label: 'Ticket', fields: { name: { type: 'text', required: true }, open: { type: 'boolean', default: true } } },
    { kind: 'entity', name: 'chaser', label: 'Chaser', fields: { ticket: { type: 'lookup', to: 'ticket' } } },
    {
      kind: 'workflow', name: 'ticketChase', entity: 'ticket', label: 'Ticket chase',
      triggers: { weekly: { on: 'schedule', cron: '0 8 * * 1', timezone: 'UTC', filter: { open: true }, actions: ['chase'] } },
      actions: { chase: { type: 'createRecord', entity: 'chaser', values: { ticket: 'id' } } },
    },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('a cron trigger over many records', () => {
  it('queues the actions of every matching record, past the first page', async () => {
    const open = schedulePageSize + 7;
    const closed = 5;
    const bodies = [
      ...Array.from({ length: open }, (_, i) => ({ name: `Open ${i}` })),
      ...Array.from({ length: closed }, (_, i) => ({ name: `Closed ${i}`, open: false })),
    ];
    for (let i = 0; i < bodies.length; i += 16) {
      const answers = await Promise.all(bodies.slice(i, i + 16).map((body) => t.post('/api/data/ticket', body)));
      for (const answer of answers) expect(answer.status).toBe(201);
    }
    await t.post('/api/scheduler/tick'); // queues the first occurrence: 2026-06-01 08:00 UTC
    t.clock.set('2026-06-01T08:00:00.000Z');
    await t.post('/api/scheduler/tick');
    // One job per page of records, each queued by the one before: none runs longer than a page.
    const done = (await t.get('/api/scheduler/jobs?key=cron.ticketChase.weekly&status=done')).body.items;
    const counted = done.map((j: any) => /^queued (\d+) action\(s\) over (\d+) record\(s\)/.exec(j.note)).filter(Boolean);
    expect(counted).toHaveLength(Math.ceil(open / schedulePageSize));
    expect(counted.reduce((sum: number, m: RegExpExecArray) => sum + Number(m[1]), 0)).toBe(open);
    expect(Math.max(...counted.map((m: RegExpExecArray) => Number(m[2])))).toBeLessThanOrEqual(schedulePageSize);
    // Run the queued actions to the end: one chaser per open ticket, each ticket once.
    const chasers = async () => (await t.get('/api/data/chaser?total=1&limit=1')).body.total as number;
    for (let last = -1, now = await chasers(); now !== last; last = now, now = await chasers()) await t.post('/api/scheduler/tick');
    expect(await chasers()).toBe(open);
    const tickets = new Set<string>();
    for (let cursor: string | undefined; ;) {
      const page = (await t.get(`/api/data/chaser?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body;
      for (const chaser of page.items) tickets.add(chaser.ticket);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(tickets.size).toBe(open);
  }, 120_000);
});
