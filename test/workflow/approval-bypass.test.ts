// Regression, the approval bypass: while an approval was pending, or after it was granted, the fields
// its conditions depend on could still be changed — a 10 % discount approved by the manager was
// PATCHed to 40 %, skipping the finance step that applies above 30 % here. The fields an approval's
// `when`, step conditions and approver fields read are now locked (409, each field by its pointer)
// while it is pending, and after it was granted until the record is back in a state the approved
// transition starts from. Other fields stay writable.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { account, quote, quoteApproval, roles } from './support/quote-metadata.ts';

let t: TestServer;
let rep: TestUser;
let manager: TestUser;
let accountId: string;

beforeAll(async () => {
  t = await startTestServer();
  const reopenable = { ...quoteApproval, transitions: { ...quoteApproval.transitions, reopen: { label: 'Reopen', from: ['approved'], to: 'draft' } } };
  const applied = await t.post('/api/meta/apply', [...roles, account, quote, reopenable]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  rep = await t.createUser({ roles: ['salesRep'] });
  manager = await t.createUser({ roles: ['salesManager'] });
  accountId = (await rep.client.post('/api/data/account', { name: 'Acme' })).body.id;
});
afterAll(async () => t?.close());

async function submittedQuote(discount: number): Promise<string> {
  const created = await rep.client.post('/api/data/quote', { account: accountId, listAmount: 1000, validUntil: '2026-04-01', discount });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const submitted = await rep.client.post(`/api/data/quote/${created.body.id}/transitions/submit`, {});
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
  return created.body.id;
}

describe('approval bypass', () => {
  it('while pending: the discount cannot move past the finance threshold; the manager approves what was asked', async () => {
    const id = await submittedQuote(12);
    const raised = await rep.client.patch(`/api/data/quote/${id}`, { discount: 40 });
    expect(raised.status).toBe(409);
    expect(raised.body.error.details).toEqual([expect.objectContaining({ path: '/discount', code: 'APPROVAL_LOCKED' })]);
    // The admin is held too: it is the approval that depends on the value, not a permission.
    expect((await t.patch(`/api/data/quote/${id}`, { discount: 40 })).status).toBe(409);
    // What the approval does not read stays writable.
    expect((await rep.client.patch(`/api/data/quote/${id}`, { validUntil: '2026-05-01' })).status).toBe(200);
    const waiting = (await manager.client.get('/api/approvals')).body.items.find((a: { recordId: string }) => a.recordId === id);
    expect((await manager.client.post(`/api/approvals/${waiting.id}/approve`, {})).status).toBe(200);
    expect((await t.get(`/api/data/quote/${id}`)).body).toMatchObject({ status: 'approved', discount: 12 });
  });

  it('after it was granted: the discount stays as approved until the quote is reopened, then approval is asked again', async () => {
    const id = await submittedQuote(12);
    const waiting = (await manager.client.get('/api/approvals')).body.items.find((a: { recordId: string }) => a.recordId === id);
    expect((await manager.client.post(`/api/approvals/${waiting.id}/approve`, {})).status).toBe(200);
    const raised = await rep.client.patch(`/api/data/quote/${id}`, { discount: 40 });
    expect(raised.status).toBe(409);
    expect(raised.body.error.details[0]).toMatchObject({ path: '/discount', code: 'APPROVAL_LOCKED' });
    expect((await t.get(`/api/data/quote/${id}`)).body.discount).toBe(12);
    // Back in draft the value may change; taking "submit" again asks for both steps now.
    expect((await t.post(`/api/data/quote/${id}/transitions/reopen`, {})).status).toBe(200);
    expect((await rep.client.patch(`/api/data/quote/${id}`, { discount: 40 })).status).toBe(200);
    const again = await rep.client.post(`/api/data/quote/${id}/transitions/submit`, {});
    expect(again.status).toBe(202);
    expect(again.body.approval.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([['manager', 'pending'], ['finance', 'pending']]);
  });
});
