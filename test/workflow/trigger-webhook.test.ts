// Acceptance over real HTTP: a trigger that creates a related record and calls a webhook. The
// receiver (a local HTTP server) checks the HMAC signature; it answers 500 twice, the delivery is
// retried with backoff driven by the manual clock and succeeds on the third attempt; the delivery
// log lists every attempt. Also: an update trigger fires when its condition BECOMES true only.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../engine/webhooks/sign-payload.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { startHttpReceiver, type ReceivedRequest } from './support/local-receivers.ts';

const secret = 'whsec-test-4f1c9a';
let t: TestServer;
let agent: TestUser;
let receiver: { url: string; requests: ReceivedRequest[]; close(): Promise<void> };
let broken: { url: string; requests: ReceivedRequest[]; close(): Promise<void> };

function metadata(url: string, brokenUrl: string) {
  return [
    { kind: 'entity', name: 'alarm', label: 'Alarm', fields: { code: { type: 'text' } } },
    {
      kind: 'workflow', name: 'alarmHook', entity: 'alarm', label: 'Alarm hook',
      triggers: { raised: { on: 'create', actions: ['page'] } },
      actions: { page: { type: 'webhook', url: brokenUrl, secretRef: 'TICKET_HOOK_SECRET', role: 'integration', maxAttempts: 2 } },
    },
    { kind: 'role', name: 'agent', label: 'Agent', permissions: { ticket: { create: true, read: 'all', update: 'all' }, task: { read: 'all' } } },
    { kind: 'role', name: 'integration', label: 'Integration', permissions: { ticket: { read: 'all', fields: { internalNote: 'hidden' } } } },
    {
      kind: 'entity', name: 'ticket', label: 'Ticket',
      fields: {
        subject: { type: 'text', required: true },
        priority: { type: 'picklist', default: 'normal', options: { normal: { label: 'Normal' }, urgent: { label: 'Urgent' } } },
        internalNote: { type: 'text' },
      },
    },
    { kind: 'entity', name: 'task', label: 'Task', fields: { title: { type: 'text', required: true }, ticket: { type: 'lookup', to: 'ticket' } } },
    {
      kind: 'workflow', name: 'ticketAutomation', entity: 'ticket', label: 'Ticket automation',
      triggers: {
        onCreate: { on: 'create', actions: ['createTask', 'callHook'] },
        urgentRaised: { on: 'update', when: "priority = 'urgent'", actions: ['tellOwner'] },
      },
      actions: {
        createTask: { type: 'createRecord', entity: 'task', values: { ticket: 'id', title: "'Follow up: ' & subject" } },
        callHook: { type: 'webhook', url, secretRef: 'TICKET_HOOK_SECRET', role: 'integration' },
        tellOwner: { type: 'notify', to: { fields: ['owner'] }, subject: 'Ticket {{ subject }} is urgent', channels: ['inbox'] },
      },
    },
  ];
}

beforeAll(async () => {
  receiver = await startHttpReceiver((n) => (n <= 2 ? 500 : 200));
  broken = await startHttpReceiver(() => 503);
  t = await startTestServer({ env: { TICKET_HOOK_SECRET: secret } });
  const applied = await t.post('/api/meta/apply', metadata(receiver.url, broken.url));
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  agent = await t.createUser({ roles: ['agent'] });
});

afterAll(async () => {
  await t?.close();
  await receiver?.close();
  await broken?.close();
});

const tick = async () => (await t.post('/api/scheduler/tick')).body;

describe('create trigger: related record and webhook', () => {
  it('creates the task, and delivers a signed webhook after two 500s with backoff; every attempt is logged', async () => {
    const created = await agent.client.post('/api/data/ticket', { subject: 'Broken', internalNote: 'VIP customer' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await tick();

    const tasks = (await agent.client.get(`/api/data/task?filter=${encodeURIComponent(JSON.stringify({ ticket: id }))}`)).body.items;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ title: 'Follow up: Broken', ticket: id });

    expect(receiver.requests).toHaveLength(1);
    let log = (await t.get('/api/webhooks/deliveries')).body.items;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ attempt: 1, outcome: 'failed', status: 500, workflow: 'ticketAutomation', action: 'callHook', recordId: id, nextAttemptAt: '2026-03-01T09:00:30.000Z' });

    t.clock.advance(29_000);
    await tick();
    expect(receiver.requests).toHaveLength(1); // not yet: backoff is 30 s
    t.clock.advance(1_000);
    await tick();
    expect(receiver.requests).toHaveLength(2);
    t.clock.advance(59_000);
    await tick();
    expect(receiver.requests).toHaveLength(2); // the second backoff is 60 s
    t.clock.advance(1_000);
    await tick();
    expect(receiver.requests).toHaveLength(3);
    await tick();
    t.clock.advance(3_600_000);
    await tick();
    expect(receiver.requests).toHaveLength(3); // delivered: never again

    const deliveryIds = new Set(receiver.requests.map((r) => r.headers['x-crm-delivery']));
    expect(deliveryIds.size).toBe(1);
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
    for (const request of receiver.requests) {
      const timestamp = String(request.headers['x-crm-timestamp']);
      expect(verifySignature(secret, timestamp, request.body, String(request.headers['x-crm-signature']))).toBe(true);
      expect(verifySignature('another-secret', timestamp, request.body, String(request.headers['x-crm-signature']))).toBe(false);
    }
    const payload = JSON.parse(receiver.requests[0]!.body);
    expect(payload).toMatchObject({ event: 'trigger.onCreate', workflow: 'ticketAutomation', action: 'callHook', entity: 'ticket', record: { id, subject: 'Broken', priority: 'normal' } });
    expect(payload.record).not.toHaveProperty('internalNote'); // hidden from the hook's role

    log = (await t.get(`/api/webhooks/deliveries?delivery=${String([...deliveryIds][0])}`)).body.items;
    expect(log.map((a: any) => [a.attempt, a.outcome, a.status, a.at])).toEqual([
      [3, 'delivered', 200, '2026-03-01T09:01:30.000Z'],
      [2, 'failed', 500, '2026-03-01T09:00:30.000Z'],
      [1, 'failed', 500, '2026-03-01T09:00:00.000Z'],
    ]);
    expect((await agent.client.get('/api/webhooks/deliveries')).status).toBe(403);
  });
});

describe('update trigger', () => {
  it('fires when its condition becomes true, not on every save while it stays true', async () => {
    const created = await agent.client.post('/api/data/ticket', { subject: 'Slow' });
    const id = created.body.id;
    const urgentNotices = async () => {
      await tick();
      return (await agent.client.get('/api/notifications')).body.items.filter((n: any) => n.recordId === id).length;
    };
    expect(await urgentNotices()).toBe(0);
    await agent.client.patch(`/api/data/ticket/${id}`, { priority: 'urgent' });
    expect(await urgentNotices()).toBe(1);
    await agent.client.patch(`/api/data/ticket/${id}`, { subject: 'Very slow' });
    expect(await urgentNotices()).toBe(1);
    await agent.client.patch(`/api/data/ticket/${id}`, { priority: 'normal' });
    await agent.client.patch(`/api/data/ticket/${id}`, { priority: 'urgent' });
    expect(await urgentNotices()).toBe(2);
    const inbox = (await agent.client.get('/api/notifications')).body.items.filter((n: any) => n.recordId === id);
    expect(inbox.map((n: any) => n.subject).sort()).toEqual(['Ticket Slow is urgent', 'Ticket Very slow is urgent']);
  });
});

describe('a receiver that never recovers', () => {
  it('is given up after the hook\'s maxAttempts, every attempt logged', async () => {
    const id = (await t.post('/api/data/alarm', { code: 'E42' })).body.id;
    await tick();
    t.clock.advance(30_000);
    await tick();
    t.clock.advance(24 * 3_600_000);
    await tick();
    expect(broken.requests).toHaveLength(2);
    const log = (await t.get('/api/webhooks/deliveries?workflow=alarmHook')).body.items;
    expect(log.map((a: any) => [a.attempt, a.outcome, a.status, a.recordId, a.nextAttemptAt ?? null])).toEqual([
      [2, 'failed', 503, id, null],
      [1, 'failed', 503, id, expect.any(String)],
    ]);
    const job = (await t.get('/api/scheduler/jobs?key=action.alarmHook.page')).body.items[0];
    expect(job).toMatchObject({ status: 'failed', attempts: 2, maxAttempts: 2, lastError: expect.stringContaining('answered 503') });
  });
});

describe('an action job run again after its holder died', () => {
  it('does not create the related record twice: the record commits with a mark of its job', async () => {
    const id = (await t.post('/api/data/ticket', { subject: 'Twice?' })).body.id;
    await tick();
    const filter = encodeURIComponent(JSON.stringify({ ticket: id }));
    expect((await t.get(`/api/data/task?filter=${filter}`)).body.items).toHaveLength(1);
    // As if the process died after the record committed but before the job was marked done.
    const job = (await t.get('/api/scheduler/jobs?key=action.ticketAutomation.createTask&limit=1000')).body.items.find((j: any) => j.payload.recordId === id);
    const store = t.server.store;
    const row = (await store.get('_jobs', job.id))!;
    const revived = { ...row.data, status: 'running', leaseOwner: 'dead', leaseUntil: t.clock.now().toISOString() };
    expect(await store.transaction((tx) => tx.replace('_jobs', { ...row, version: row.version + 1, data: revived }, row.version))).toBe(true);
    await tick();
    expect((await t.get('/api/scheduler/jobs?key=action.ticketAutomation.createTask&limit=1000')).body.items.find((j: any) => j.id === job.id)).toMatchObject({ status: 'done', note: 'already applied', attempts: 2 });
    expect((await t.get(`/api/data/task?filter=${filter}`)).body.items).toHaveLength(1);
  });
});
