// Workflow metadata checked on save, beyond its JSON Schema: each broken cross-reference is
// refused with its JSON pointer, and nothing is applied.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;

const valid = () => ({
  kind: 'workflow', name: 'orderFlow', entity: 'order', label: 'Orders', field: 'status',
  states: { open: { label: 'Open', initial: true }, paid: { label: 'Paid' }, closed: { label: 'Closed', final: true } },
  transitions: {
    pay: { label: 'Pay', from: 'open', to: 'paid', guard: 'amount > 0', roles: ['clerk'], requiredFields: ['amount'], actions: ['stamp'] },
    close: { label: 'Close', from: ['paid'], to: 'closed', approval: { steps: { boss: { order: 1, label: 'Boss', approver: { role: 'clerk' } } } } },
  },
  triggers: {
    big: { on: 'update', when: 'amount > 1000', actions: ['tell'] },
    due: { on: 'date', field: 'dueDate', offset: '-1d', actions: ['tell'] },
    stale: { on: 'inState', state: 'open', after: '7d', actions: ['tell'] },
    nightly: { on: 'schedule', cron: '0 2 * * *', actions: ['tell'] },
  },
  actions: {
    stamp: { type: 'setFields', values: { note: "'paid'" } },
    tell: { type: 'notify', to: { roles: ['clerk'], fields: ['owner'] }, subject: 'Order {{ amount }}' },
    ask: { type: 'startApproval', transition: 'close' },
  },
});

type Mutation = (w: any) => void;

beforeAll(async () => {
  t = await startTestServer();
  const applied = await t.post('/api/meta/apply', [
    { kind: 'role', name: 'clerk', label: 'Clerk' },
    { kind: 'entity', name: 'order', label: 'Order', fields: { amount: { type: 'number' }, note: { type: 'text' }, dueDate: { type: 'date' }, total: { type: 'formula', returns: 'number', expression: 'amount * 2' }, status: { type: 'picklist', options: { open: { label: 'Open' }, paid: { label: 'Paid' }, closed: { label: 'Closed' } } } } },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
});

afterAll(async () => {
  await t?.close();
});

describe('workflow metadata checks', () => {
  it('the valid workflow is accepted', async () => {
    const res = await t.post('/api/meta/validate', valid());
    expect(res.body.issues).toEqual([]);
  });

  it.each<{ name: string; change: Mutation; path: string; message: RegExp }>([
    { name: 'unknown entity', change: (w) => (w.entity = 'invoice'), path: '/entity', message: /entity "invoice"/ },
    { name: 'field not on the entity', change: (w) => (w.field = 'stage'), path: '/field', message: /"stage", which is not a field/ },
    { name: 'field not a picklist', change: (w) => (w.field = 'note'), path: '/field', message: /must be a picklist/ },
    { name: 'states differ from the options', change: (w) => (w.states.void = { label: 'Void' }), path: '/field', message: /states without an option: void/ },
    { name: 'no initial state', change: (w) => delete w.states.open.initial, path: '/states', message: /exactly one state must be initial \(found 0/ },
    { name: 'two initial states', change: (w) => (w.states.paid.initial = true), path: '/states', message: /found 2: open, paid/ },
    { name: 'transition from an unknown state', change: (w) => (w.transitions.pay.from = 'draft'), path: '/transitions/pay/from', message: /state "draft"/ },
    { name: 'transition to an unknown state', change: (w) => (w.transitions.close.to = 'archived'), path: '/transitions/close/to', message: /state "archived"/ },
    { name: 'transition leaving a final state', change: (w) => (w.transitions.close.from = ['closed']), path: '/transitions/close/from/0', message: /final/ },
    { name: 'guard reading an unknown field', change: (w) => (w.transitions.pay.guard = 'price > 0'), path: '/transitions/pay/guard', message: /"price", which is not a field/ },
    { name: 'guard with a syntax error', change: (w) => (w.transitions.pay.guard = 'amount >'), path: '/transitions/pay/guard', message: /at character/ },
    { name: 'guard calling $eval', change: (w) => (w.transitions.pay.guard = "$eval('1')"), path: '/transitions/pay/guard', message: /\$eval is not allowed/ },
    { name: 'unknown role', change: (w) => (w.transitions.pay.roles = ['cashier']), path: '/transitions/pay/roles/0', message: /role "cashier"/ },
    { name: 'unknown required field', change: (w) => (w.transitions.pay.requiredFields = ['iban']), path: '/transitions/pay/requiredFields/0', message: /"iban"/ },
    { name: 'unknown action', change: (w) => (w.transitions.pay.actions = ['charge']), path: '/transitions/pay/actions/0', message: /action "charge"/ },
    { name: 'approver role unknown', change: (w) => (w.transitions.close.approval.steps.boss.approver = { role: 'ceo' }), path: '/transitions/close/approval/steps/boss/approver/role', message: /role "ceo"/ },
    { name: 'inState on an unknown state', change: (w) => (w.triggers.stale.state = 'pending'), path: '/triggers/stale/state', message: /state "pending"/ },
    { name: 'date trigger on a non-date field', change: (w) => (w.triggers.due.field = 'amount'), path: '/triggers/due/field', message: /date or datetime/ },
    { name: 'cron the library refuses', change: (w) => (w.triggers.nightly.cron = '61 2 * * *'), path: '/triggers/nightly/cron', message: /not a valid cron/ },
    { name: 'unknown time zone', change: (w) => (w.triggers.nightly.timezone = 'Mars/Olympus'), path: '/triggers/nightly/timezone', message: /not a known IANA time zone/ },
    { name: 'setFields on the state field', change: (w) => (w.actions.stamp.values = { status: "'paid'" }), path: '/actions/stamp/values/status', message: /state field/ },
    { name: 'setFields on a formula', change: (w) => (w.actions.stamp.values = { total: '1' }), path: '/actions/stamp/values/total', message: /computed/ },
    { name: 'notify template reading an unknown field', change: (w) => (w.actions.tell.subject = 'Order {{ price }}'), path: '/actions/tell/subject', message: /"price"/ },
    { name: 'startApproval of a move without approval', change: (w) => (w.actions.ask.transition = 'pay'), path: '/actions/ask/transition', message: /has no approval/ },
    { name: 'mapping a state that still exists', change: (w) => (w.stateMapping = { paid: 'open' }), path: '/stateMapping/paid', message: /still a state/ },
  ])('refused: $name', async ({ change, path, message }) => {
    const doc = valid();
    change(doc);
    const res = await t.put('/api/meta/workflows/orderFlow', doc);
    expect(res.status).toBe(400);
    const issue = res.body.error.details.find((d: any) => d.path === path);
    expect(issue, JSON.stringify(res.body.error.details)).toBeDefined();
    expect(issue.message).toMatch(message);
    expect((await t.get('/api/meta/workflows/orderFlow')).status).toBe(404);
  });

  it('a second workflow on the same field is refused', async () => {
    expect((await t.put('/api/meta/workflows/orderFlow', valid())).status).toBe(201);
    const twin = { ...valid(), name: 'orderFlowTwin' };
    const res = await t.put('/api/meta/workflows/orderFlowTwin', twin);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.message).join(' ')).toMatch(/already driven by workflow "orderFlow"/);
  });
});
