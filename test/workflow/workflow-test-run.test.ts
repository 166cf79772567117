// POST /api/workflows/test over real HTTP: a workflow as edited (not saved) run against a stored or
// a draft record — open transitions and why not (guards, roles, required fields), the actions and
// notifications that would fire, the SLA escalations that would be scheduled, records per state —
// and nothing written: no job, no notification, no record change, no new metadata revision.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

const metadata = [
  { kind: 'role', name: 'agent', label: 'Agent', permissions: { supportCase: { create: true, read: 'all', update: 'all' } } },
  { kind: 'role', name: 'serviceManager', label: 'Service manager', permissions: { supportCase: { read: 'all', update: 'all' } } },
  {
    kind: 'entity', name: 'supportCase', label: 'Case',
    fields: {
      subject: { type: 'text', required: true },
      priority: { type: 'picklist', options: { low: { label: 'Low' }, high: { label: 'High' } } },
      status: { type: 'picklist', options: { new: { label: 'New' }, open: { label: 'Open' }, resolved: { label: 'Resolved' } } },
      resolution: { type: 'textarea' },
      escalations: { type: 'integer' },
    },
  },
  {
    kind: 'workflow', name: 'caseHandling', entity: 'supportCase', label: 'Case handling', field: 'status',
    states: { new: { label: 'New', initial: true }, open: { label: 'Open' }, resolved: { label: 'Resolved', final: true } },
    transitions: {
      start: { label: 'Start', from: 'new', to: 'open', roles: ['agent'] },
      resolve: { label: 'Resolve', from: 'open', to: 'resolved', requiredFields: ['resolution'] },
    },
  },
];

/** The saved workflow plus a new state, a transition into it with a required field, a guard, actions and an SLA trigger. */
function edited(): Record<string, unknown> {
  const base = structuredClone(metadata[3]) as Record<string, any>;
  base['states'].triage = { label: 'Triage' };
  base['transitions'].triageIt = { label: 'Triage it', from: 'new', to: 'triage', requiredFields: ['resolution'], guard: "priority = 'high'", actions: ['countEscalation', 'tellManagers', 'followUp'] };
  base['transitions'].leaveTriage = { label: 'Leave triage', from: 'triage', to: 'open' };
  base['triggers'] = {
    triageTooLong: { on: 'inState', state: 'triage', after: '2h', repeatEvery: '4h', actions: ['tellManagers'] },
    newCase: { on: 'create', when: "priority = 'high'", actions: ['tellManagers'] },
  };
  base['actions'] = {
    countEscalation: { type: 'setFields', values: { escalations: '(escalations ? escalations : 0) + 1' } },
    tellManagers: { type: 'notify', to: { roles: ['serviceManager'] }, subject: { en: 'Case {{ subject }} needs triage', zh: '工单 {{ subject }} 需要分诊' } },
    followUp: { type: 'createRecord', entity: 'supportCase', values: { subject: "'Follow up: ' & subject" } },
  };
  return base;
}

/** The entity with the new state as an option of its state field (the two are checked together). */
function entityWithTriage(): Record<string, unknown> {
  const entity = structuredClone(metadata[2]) as Record<string, any>;
  entity['fields'].status.options.triage = { label: 'Triage' };
  return entity;
}

let t: TestServer;
let agent: TestUser;
let caseId = '';

async function sideEffectsSnapshot() {
  const jobs = await t.get('/api/scheduler/jobs');
  const cases = await t.get('/api/data/supportCase?limit=100');
  const revisions = await t.get('/api/meta/revisions');
  const notifications = await t.get('/api/notifications');
  return { jobs: jobs.body.items.length, cases: cases.body.items.map((c: any) => `${c.id}@${c.version}`).sort(), revisions: revisions.body.items.length, notifications: notifications.body.items.length };
}

beforeAll(async () => {
  t = await startTestServer();
  const applied = await t.post('/api/meta/apply', metadata);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  agent = await t.createUser({ roles: ['agent'] });
  const created = await t.post('/api/data/supportCase', { subject: 'Printer on fire', priority: 'high' });
  expect(created.status).toBe(201);
  caseId = created.body.id;
}, 60_000);
afterAll(async () => t?.close());

describe('POST /api/workflows/test', () => {
  it('lists the open transitions of the edited workflow and why the others are closed, writing nothing', async () => {
    const before = await sideEffectsSnapshot();
    const res = await t.post('/api/workflows/test', { workflow: edited(), documents: [entityWithTriage()], record: { id: caseId } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ workflow: 'caseHandling', entity: 'supportCase', applied: false, record: { id: caseId, draft: false, state: 'new' } });
    const byName = Object.fromEntries(res.body.transitions.map((x: any) => [x.name, x]));
    expect(Object.keys(byName).sort()).toEqual(['start', 'triageIt']);
    expect(byName.start).toMatchObject({ open: true, roles: ['agent'], to: 'open' });
    expect(byName.triageIt.open).toBe(false);
    expect(byName.triageIt.missingFields).toEqual(['resolution']);
    expect(byName.triageIt.reasons.map((r: any) => r.code)).toEqual(['WF_MISSING_FIELDS']);
    expect(byName.triageIt.guard).toEqual({ expression: "priority = 'high'", value: true });
    expect(res.body.usage).toEqual(expect.arrayContaining([{ state: 'new', records: 1, removed: false }, { state: 'triage', records: 0, removed: false }]));
    expect(await sideEffectsSnapshot()).toEqual(before);
  });

  it('shows the setFields values, actions, notifications and SLA escalations an open transition would bring', async () => {
    const patched = await t.patch(`/api/data/supportCase/${caseId}`, { resolution: 'Extinguished' });
    expect(patched.status).toBe(200);
    const before = await sideEffectsSnapshot();
    const res = await t.post('/api/workflows/test', { workflow: edited(), documents: [entityWithTriage()], record: { id: caseId } });
    expect(res.status).toBe(200);
    const triage = res.body.transitions.find((x: any) => x.name === 'triageIt');
    expect(triage.open).toBe(true);
    expect(triage.setFields).toEqual({ escalations: 1 });
    expect(triage.actions.map((a: any) => [a.name, a.type, a.fires])).toEqual([['countEscalation', 'setFields', true], ['tellManagers', 'notify', true], ['followUp', 'createRecord', true]]);
    const notify = triage.actions.find((a: any) => a.name === 'tellManagers');
    expect(notify.detail).toMatchObject({ to: { roles: ['serviceManager'] }, subject: 'Case {{ subject }} needs triage', rendered: { subject: 'Case Printer on fire needs triage' } });
    expect(triage.actions.find((a: any) => a.name === 'followUp').detail).toEqual({ entity: 'supportCase', values: { subject: 'Follow up: Printer on fire' } });
    expect(triage.escalations).toEqual([{ trigger: 'triageTooLong', state: 'triage', dueAt: '2026-03-01T11:00:00.000Z', repeatEvery: '4h', holds: true, actions: ['tellManagers'] }]);
    // Nothing ran: no job, no follow-up case, no notification, no revision, the record as it was.
    expect(await sideEffectsSnapshot()).toEqual(before);
    expect((await t.get(`/api/data/supportCase/${caseId}`)).body.status).toBe('new');
  });

  it('evaluates roles as another role would see them', async () => {
    const res = await t.post('/api/workflows/test', { workflow: edited(), documents: [entityWithTriage()], record: { id: caseId }, as: { roles: ['serviceManager'] } });
    expect(res.status).toBe(200);
    const start = res.body.transitions.find((x: any) => x.name === 'start');
    expect(start.open).toBe(false);
    expect(start.reasons.map((r: any) => r.code)).toEqual(['WF_ROLE']);
  });

  it('runs a draft record through creation: the create triggers and SLA jobs it would start', async () => {
    const before = await sideEffectsSnapshot();
    const draft = edited() as Record<string, any>;
    draft['triggers'].newSla = { on: 'inState', state: 'new', after: '1h', actions: ['tellManagers'] };
    const res = await t.post('/api/workflows/test', { workflow: draft, documents: [entityWithTriage()], record: { values: { subject: 'Draft', priority: 'high' } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.record).toEqual({ draft: true, state: 'new' });
    expect(res.body.onCreate.actions.map((a: any) => [a.name, a.origin])).toEqual([['tellManagers', 'trigger.newCase']]);
    // The subject as the draft record would fill it in.
    expect(res.body.onCreate.actions[0].detail.rendered).toEqual({ subject: 'Case Draft needs triage' });
    expect(res.body.onCreate.escalations.map((e: any) => [e.trigger, e.dueAt])).toEqual([['newSla', '2026-03-01T10:00:00.000Z']]);
    expect(res.body.transitions.find((x: any) => x.name === 'triageIt').reasons.map((r: any) => r.code)).toEqual(['WF_MISSING_FIELDS']);
    expect(await sideEffectsSnapshot()).toEqual(before);
  });

  it('refuses bad input with 4xx naming the field', async () => {
    const missing = await t.post('/api/workflows/test', { record: { id: caseId } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: any) => d.path)).toEqual(['/workflow']);
    const badRecord = await t.post('/api/workflows/test', { workflow: edited(), documents: [entityWithTriage()], record: { id: 5 }, extra: 1 });
    expect(badRecord.status).toBe(400);
    expect(badRecord.body.error.details.map((d: any) => d.path).sort()).toEqual(['/extra', '/record']);
    const broken = edited() as Record<string, any>;
    broken['transitions'].triageIt.to = 'nowhere';
    const invalid = await t.post('/api/workflows/test', { workflow: broken, documents: [entityWithTriage()], record: { id: caseId } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.some((d: any) => d.path.startsWith('/workflow/transitions/triageIt'))).toBe(true);
    const unknown = await t.post('/api/workflows/test', { workflow: edited(), documents: [entityWithTriage()], record: { id: '01JAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(unknown.status).toBe(404);
    const zh = await t.post('/api/workflows/test', { record: { id: caseId } }, { 'accept-language': 'zh-CN' });
    expect(zh.status).toBe(400);
  });

  it('is for administrators only', async () => {
    const res = await agent.client.post('/api/workflows/test', { workflow: edited(), documents: [entityWithTriage()], record: { id: caseId } });
    expect(res.status).toBe(403);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await t.get('/api/openapi.json')).body;
    expect(doc.paths['/api/workflows/test'].post.operationId).toBe('testWorkflow');
    expect(doc.components.schemas['crm.WorkflowTest']).toBeDefined();
  });
});
