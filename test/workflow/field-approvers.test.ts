// Approvers and recipients named by a field path through a lookup: an expense is approved by the
// lead of the team it points to (`team.lead`), and a rejection notifies that lead and the owner.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let t: TestServer;
let employee: TestUser;
let lead: TestUser;
let other: TestUser;

beforeAll(async () => {
  t = await startTestServer();
  const applied = await t.post('/api/meta/apply', [
    { kind: 'role', name: 'employee', label: 'Employee', permissions: { squad: { read: 'all' }, expense: { create: true, read: 'all', update: 'own' } } },
    { kind: 'entity', name: 'squad', label: 'Squad', fields: { name: { type: 'text' }, lead: { type: 'text' } } },
    { kind: 'entity', name: 'expense', label: 'Expense', fields: { squad: { type: 'lookup', to: 'squad', required: true }, amount: { type: 'number' }, status: { type: 'picklist', options: { draft: { label: 'Draft' }, approved: { label: 'Approved' } } } } },
    {
      kind: 'workflow', name: 'expenseFlow', entity: 'expense', label: 'Expenses', field: 'status',
      states: { draft: { label: 'Draft', initial: true }, approved: { label: 'Approved', final: true } },
      transitions: { approve: { label: 'Approve', from: 'draft', to: 'approved', approval: { steps: { lead: { order: 1, label: 'Squad lead', approver: { field: 'squad.lead' } } }, rejectActions: ['tell'] } } },
      actions: { tell: { type: 'notify', to: { fields: ['squad.lead', 'owner'] }, subject: 'Expense of {{ amount }} rejected', channels: ['inbox'] } },
    },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  employee = await t.createUser({ roles: ['employee'] });
  lead = await t.createUser({ roles: ['employee'] });
  other = await t.createUser({ roles: ['employee'] });
});

afterAll(async () => {
  await t?.close();
});

describe('approvers named by a field through a lookup', () => {
  it('the squad lead decides; others do not see it; a rejection reaches the lead and the owner', async () => {
    const squad = (await t.post('/api/data/squad', { name: 'Core', lead: lead.id })).body.id;
    const first = (await employee.client.post('/api/data/expense', { squad, amount: 120 })).body.id;
    const requested = await employee.client.post(`/api/data/expense/${first}/transitions/approve`, {});
    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    const approvalId = requested.body.approval.id;
    expect((await lead.client.get('/api/approvals')).body.items.map((a: any) => a.id)).toEqual([approvalId]);
    expect((await other.client.get('/api/approvals')).body.items).toEqual([]);
    expect((await other.client.post(`/api/approvals/${approvalId}/approve`, {})).status).toBe(404);
    expect((await lead.client.post(`/api/approvals/${approvalId}/approve`, {})).body.status).toBe('approved');
    expect((await employee.client.get(`/api/data/expense/${first}`)).body.status).toBe('approved');

    const second = (await employee.client.post('/api/data/expense', { squad, amount: 9000 })).body.id;
    const id2 = (await employee.client.post(`/api/data/expense/${second}/transitions/approve`, {})).body.approval.id;
    expect((await lead.client.post(`/api/approvals/${id2}/reject`, { comment: 'Too much' })).body.status).toBe('rejected');
    await t.post('/api/scheduler/tick');
    for (const who of [lead, employee]) {
      const subjects = (await who.client.get('/api/notifications')).body.items.filter((n: any) => n.recordId === second).map((n: any) => n.subject);
      expect(subjects).toContain('Expense of 9000 rejected');
    }
    expect((await other.client.get('/api/notifications')).body.items).toEqual([]);

    // Deleting a record closes its pending approval as void.
    const third = (await employee.client.post('/api/data/expense', { squad, amount: 5 })).body.id;
    const id3 = (await employee.client.post(`/api/data/expense/${third}/transitions/approve`, {})).body.approval.id;
    expect((await t.delete(`/api/data/expense/${third}`)).status).toBe(204);
    expect((await lead.client.get('/api/approvals')).body.items).toEqual([]);
    expect((await t.get(`/api/approvals/${id3}`)).body).toMatchObject({ status: 'void', reason: 'the record was deleted' });
  });
});
