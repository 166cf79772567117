// Acceptance over real HTTP: case handling with SLA escalation. A case left open for 48 hours is
// escalated by the scheduler under the manual clock (no sleeping), the managers are notified in
// their inbox and by e-mail through a local SMTP server, and time in each state is reported per
// record and per workflow.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { startSmtpSink, type ReceivedMail } from './support/local-receivers.ts';

const hour = 3_600_000;

const metadata = [
  { kind: 'role', name: 'agent', label: 'Agent', permissions: { supportCase: { create: true, read: 'all', update: 'all' } } },
  { kind: 'role', name: 'serviceManager', label: 'Service manager', permissions: { supportCase: { read: 'all', update: 'all' } } },
  {
    kind: 'entity', name: 'supportCase', label: 'Case',
    fields: {
      subject: { type: 'text', required: true },
      status: { type: 'picklist', options: { new: { label: 'New' }, open: { label: 'Open' }, escalated: { label: 'Escalated' }, resolved: { label: 'Resolved' } } },
      resolution: { type: 'textarea' },
    },
  },
  {
    kind: 'workflow', name: 'caseHandling', entity: 'supportCase', label: 'Case handling', field: 'status',
    states: {
      new: { label: 'New', initial: true, slaHours: 4 },
      open: { label: 'Open', slaHours: 48 },
      escalated: { label: 'Escalated', slaHours: 8 },
      resolved: { label: 'Resolved', final: true },
    },
    transitions: {
      start: { label: 'Start', from: 'new', to: 'open', roles: ['agent'] },
      escalate: { label: 'Escalate', from: ['new', 'open'], to: 'escalated', roles: ['serviceManager'], actions: ['tellManagers'] },
      resolve: { label: 'Resolve', from: ['open', 'escalated'], to: 'resolved', requiredFields: ['resolution'] },
    },
    triggers: {
      slaBreached: { on: 'inState', state: 'open', after: '48h', actions: ['autoEscalate'] },
    },
    actions: {
      autoEscalate: { type: 'transition', transition: 'escalate' },
      tellManagers: {
        type: 'notify', to: { roles: ['serviceManager'] },
        subject: { en: 'Case "{{ subject }}" was escalated', zh: '工单「{{ subject }}」已升级' },
        body: { en: 'It has been open since {{ $substring(updatedAt, 0, 10) }}.', zh: '自 {{ $substring(updatedAt, 0, 10) }} 起处理中。' },
      },
    },
  },
];

let t: TestServer;
let agent: TestUser;
let manager: TestUser;
let smtp: { url: string; messages: ReceivedMail[]; close(): Promise<void> };

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await startTestServer({ env: { SMTP_URL: smtp.url, SMTP_FROM: 'CRM <crm@crm.test>' } });
  const applied = await t.post('/api/meta/apply', metadata);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  agent = await t.createUser({ roles: ['agent'] });
  manager = await t.createUser({ roles: ['serviceManager'], email: 'duty.manager@crm.test' });
});

afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

async function openCase(subject: string): Promise<string> {
  const created = await agent.client.post('/api/data/supportCase', { subject });
  expect(created.status).toBe(201);
  expect(created.body.status).toBe('new');
  const started = await agent.client.post(`/api/data/supportCase/${created.body.id}/transitions/start`, {});
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return created.body.id;
}

/** Sessions last 12 h of clock time: after moving the clock, users sign in again. */
async function signInAgain(): Promise<void> {
  agent = { ...agent, client: await t.userClient(agent.email, agent.password) };
  manager = { ...manager, client: await t.userClient(manager.email, manager.password) };
}

const tick = async () => {
  const res = await t.post('/api/scheduler/tick');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const statusOf = async (id: string) => (await t.get(`/api/data/supportCase/${id}`)).body.status;

describe('SLA escalation', () => {
  it('a case left open past 48 h is escalated by the scheduler; the inbox and SMTP get the notification', async () => {
    const late = await openCase('Printer on fire');
    const handled = await openCase('Password reset');
    t.clock.advance(47 * hour);
    await signInAgain();
    await tick();
    expect(await statusOf(late)).toBe('open');
    expect((await manager.client.get('/api/notifications')).body.items).toEqual([]);

    // Resolved in time: its SLA job finds it gone from "open" and does nothing.
    await agent.client.patch(`/api/data/supportCase/${handled}`, { resolution: 'Reset' });
    expect((await agent.client.post(`/api/data/supportCase/${handled}/transitions/resolve`, {})).status).toBe(200);

    t.clock.advance(2 * hour);
    await signInAgain();
    await tick();
    expect(await statusOf(late)).toBe('escalated');
    expect(await statusOf(handled)).toBe('resolved');

    const inbox = (await manager.client.get('/api/notifications')).body.items;
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ subject: 'Case "Printer on fire" was escalated', entity: 'supportCase', recordId: late, workflow: 'caseHandling' });
    expect(inbox[0].email).toMatchObject({ status: 'sent', to: 'duty.manager@crm.test' });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual(['duty.manager@crm.test']);
    // The subject travels as a MIME encoded-word: "Case "Printer on fire" was escalated".
    expect(smtp.messages[0]!.raw).toContain('Subject: =?UTF-8?Q?Case_=22Printer_on_fire=22_was_escalated?=');
    expect(smtp.messages[0]!.raw).toContain('It has been open since 2026-03-03.');
    expect((await agent.client.get('/api/notifications')).body.items).toEqual([]);

    const history = (await t.get(`/api/data/supportCase/${late}/history`)).body.items;
    const escalation = history.find((e: any) => e.action === 'transition' && e.details.transition === 'escalate');
    expect(escalation).toMatchObject({ by: 'system:workflow caseHandling.autoEscalate', at: '2026-03-03T10:00:00.000Z', details: { from: 'open', to: 'escalated' } });

    // Another tick runs nothing again: the job ran once.
    const again = await tick();
    expect(again.ran).toBe(0);
    expect(smtp.messages).toHaveLength(1);

    const stays = (await t.get(`/api/data/supportCase/${late}/state-history`)).body.items[0].stays;
    expect(stays.map((s: any) => [s.state, s.durationMs / hour, s.breached])).toEqual([['new', 0, false], ['open', 49, true], ['escalated', 0, false]]);

    t.clock.advance(10 * hour);
    await signInAgain();
    const sla = await t.get('/api/workflows/caseHandling/sla');
    expect(sla.status).toBe(200);
    const open = sla.body.states.find((s: any) => s.state === 'open');
    expect(open).toMatchObject({ stays: 2, current: 0, breached: 1, slaHours: 48, maxMs: 49 * hour });
    const escalated = sla.body.states.find((s: any) => s.state === 'escalated');
    expect(escalated).toMatchObject({ stays: 1, current: 1, breached: 1, currentBreached: 1 });
    expect((await agent.client.get('/api/workflows/caseHandling/sla')).status).toBe(200);
  });

  it('the escalation job survives a restart: it is kept in the store', async () => {
    await signInAgain();
    const id = await openCase('Survives restart');
    const dataDir = t.dataDir;
    const clock = t.clock;
    await t.server.close();
    const again = await startTestServer({ dataDir, clock, env: { SMTP_URL: smtp.url } });
    try {
      clock.advance(49 * hour);
      await again.post('/api/scheduler/tick');
      expect((await again.get(`/api/data/supportCase/${id}`)).body.status).toBe('escalated');
    } finally {
      await again.server.close();
    }
  });
});
