// Acceptance over real HTTP: a quote-approval flow. A discount above 10 % needs a sales manager;
// above 30 % finance as well. The record moves only after the last approval, a rejection says why,
// the driven field cannot be written by create or PATCH, unavailable transitions give reasons,
// and the audit trail shows every step.

import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { account, quote, quoteApproval, roles } from './support/quote-metadata.ts';

let t: TestServer;
let rep: TestUser;
let manager: TestUser;
let finance: TestUser;
let agent: TestUser;
let accountId: string;

beforeAll(async () => {
  t = await startTestServer();
  const applied = await t.post('/api/meta/apply', [...roles, account, quote, quoteApproval]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  rep = await t.createUser({ roles: ['salesRep'] });
  manager = await t.createUser({ roles: ['salesManager'] });
  finance = await t.createUser({ roles: ['finance'] });
  agent = await t.createUser({ roles: ['serviceAgent'] });
  const acc = await rep.client.post('/api/data/account', { name: 'Acme' });
  expect(acc.status).toBe(201);
  accountId = acc.body.id;
});

afterAll(async () => {
  await t?.close();
});

async function newQuote(values: Record<string, unknown>) {
  const res = await rep.client.post('/api/data/quote', { account: accountId, listAmount: 1000, validUntil: '2026-04-01', ...values });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; status: string; number: string };
}

const transitionsOf = async (who: TestUser, id: string) => (await who.client.get(`/api/data/quote/${id}/transitions`)).body;
const reasonsOf = (listing: any, name: string): string[] => listing.transitions.find((x: any) => x.name === name).reasons.map((r: any) => r.code);

describe('the driven field', () => {
  it('starts in the initial state and cannot be written by create or PATCH', async () => {
    const q = await newQuote({});
    expect(q.status).toBe('draft');
    const created = await rep.client.post('/api/data/quote', { account: accountId, listAmount: 5, status: 'approved' });
    expect(created.status).toBe(400);
    expect(created.body.error.code).toBe('READ_ONLY_FIELD');
    expect(created.body.error.details).toEqual([expect.objectContaining({ path: '/status', message: expect.stringContaining('transition') })]);
    const patched = await t.patch(`/api/data/quote/${q.id}`, { status: 'approved' });
    expect(patched.status).toBe(400);
    expect(patched.body.error.details[0].path).toBe('/status');
    expect((await t.get(`/api/data/quote/${q.id}`)).body.status).toBe('draft');
  });
});

describe('unavailable transitions are listed with their reason', () => {
  it('guard false, missing fields, role and pending approval', async () => {
    const q = await newQuote({ listAmount: 0, validUntil: undefined, discount: 20 });
    const forRep = await transitionsOf(rep, q.id);
    expect(forRep.states).toEqual({ quoteApproval: 'draft' });
    expect(forRep.transitions.map((x: any) => x.name)).toEqual(['submit']);
    expect(forRep.transitions[0]).toMatchObject({ allowed: false, to: 'approved', needsApproval: true });
    expect(reasonsOf(forRep, 'submit')).toEqual(['WF_GUARD_FALSE', 'WF_MISSING_FIELDS']);
    expect(forRep.transitions[0].reasons[0].message).toBe('A quote needs an amount');
    expect(forRep.transitions[0].reasons[1].fields).toEqual(['validUntil']);
    const inChinese = await rep.client.get(`/api/data/quote/${q.id}/transitions`, { 'accept-language': 'zh' });
    expect(inChinese.body.transitions[0].reasons[0].message).toBe('报价必须有金额');

    expect(reasonsOf(await transitionsOf(agent, q.id), 'submit')).toEqual(['WF_ROLE', 'WF_GUARD_FALSE', 'WF_MISSING_FIELDS']);
    expect(reasonsOf(await transitionsOf(finance, q.id), 'submit')).toEqual(['WF_NO_UPDATE', 'WF_ROLE', 'WF_GUARD_FALSE', 'WF_MISSING_FIELDS']);

    const refused = await rep.client.post(`/api/data/quote/${q.id}/transitions/submit`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.map((d: any) => d.code)).toEqual(['WF_GUARD_FALSE', 'WF_MISSING_FIELDS']);
    expect((await agent.client.post(`/api/data/quote/${q.id}/transitions/submit`, {})).status).toBe(409);

    await rep.client.patch(`/api/data/quote/${q.id}`, { listAmount: 100, validUntil: '2026-05-01' });
    expect((await transitionsOf(rep, q.id)).transitions[0]).toMatchObject({ allowed: true, reasons: [] });
    expect((await rep.client.post(`/api/data/quote/${q.id}/transitions/submit`, { comment: 'please' })).status).toBe(202);
    expect(reasonsOf(await transitionsOf(rep, q.id), 'submit')).toEqual(['WF_PENDING_APPROVAL']);
    expect((await rep.client.post(`/api/data/quote/${q.id}/transitions/submit`, {})).body.error.details[0].code).toBe('WF_PENDING_APPROVAL');
  });

  it('an unknown transition is 404', async () => {
    const q = await newQuote({});
    expect((await rep.client.post(`/api/data/quote/${q.id}/transitions/teleport`, {})).status).toBe(404);
  });
});

describe('quote approval end to end', () => {
  it('above the larger threshold: manager, then finance; the record moves only after the last step', async () => {
    const q = await newQuote({ discount: 40 });
    const requested = await rep.client.post(`/api/data/quote/${q.id}/transitions/submit`, { comment: 'Big customer' });
    expect(requested.status).toBe(202);
    expect(requested.body.outcome).toBe('approvalRequested');
    const approvalId = requested.body.approval.id;
    expect(requested.body.approval.steps.map((s: any) => [s.name, s.status])).toEqual([['manager', 'pending'], ['finance', 'pending']]);
    expect((await t.get(`/api/data/quote/${q.id}`)).body.status).toBe('draft');

    // Only the manager's inbox of approvals lists it now.
    expect((await manager.client.get('/api/approvals')).body.items.map((a: any) => a.id)).toContain(approvalId);
    expect((await finance.client.get('/api/approvals')).body.items.map((a: any) => a.id)).not.toContain(approvalId);
    expect((await rep.client.get('/api/approvals')).body.items).toEqual([]);
    expect((await rep.client.get('/api/approvals?requested=1')).body.items.map((a: any) => a.id)).toContain(approvalId);
    // The requester cannot approve their own request; finance is not first.
    expect((await rep.client.post(`/api/approvals/${approvalId}/approve`, {})).status).toBe(403);
    expect((await finance.client.post(`/api/approvals/${approvalId}/approve`, {})).status).toBe(404);

    // The deciders of the current step are told in their inbox.
    await t.post('/api/scheduler/tick');
    const notice = (await manager.client.get('/api/notifications')).body.items.find((n: any) => n.recordId === q.id);
    expect(notice?.subject).toMatch(/^Approval needed \(Sales manager\)/);
    // Named as the decider knows it: the entity's label and the record's title (the id, without a title field), the
    // transition's label and who asked — not the entity's and the user's internal names.
    expect(notice?.subject).toBe(`Approval needed (Sales manager): Quote ${q.id}`);
    expect(notice?.body).toBe(`"Submit for approval" was requested by ${rep.email}. Decide in your approvals inbox.`);
    expect((await finance.client.get('/api/notifications')).body.items.filter((n: any) => n.recordId === q.id)).toEqual([]);

    const first = await manager.client.post(`/api/approvals/${approvalId}/approve`, { comment: 'OK from sales' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.status).toBe('pending');
    expect((await t.get(`/api/data/quote/${q.id}`)).body.status).toBe('draft');
    expect((await finance.client.get('/api/approvals')).body.items.map((a: any) => a.id)).toContain(approvalId);
    expect((await manager.client.get('/api/approvals')).body.items.map((a: any) => a.id)).not.toContain(approvalId);

    await t.post('/api/scheduler/tick');
    expect((await finance.client.get('/api/notifications')).body.items.filter((n: any) => n.recordId === q.id).map((n: any) => n.subject)).toEqual([expect.stringMatching(/^Approval needed \(Finance\)/)]);
    const last = await finance.client.post(`/api/approvals/${approvalId}/approve`, { comment: 'Margin fine' });
    expect(last.status, JSON.stringify(last.body)).toBe(200);
    expect(last.body.status).toBe('approved');
    const moved = (await t.get(`/api/data/quote/${q.id}`)).body;
    expect(moved.status).toBe('approved');
    expect(moved.approvedNote).toBe('approved at 40%');

    const history = (await t.get(`/api/data/quote/${q.id}/history`)).body.items;
    const steps = history.map((e: any) => [e.action, e.by, e.comment ?? null, e.details?.step ?? null]);
    expect(steps).toEqual([
      ['create', rep.id, null, null],
      ['approval.request', rep.id, 'Big customer', null],
      ['approval.approve', manager.id, 'OK from sales', 'manager'],
      ['approval.approve', finance.id, 'Margin fine', 'finance'],
      ['transition', finance.id, 'Margin fine', null],
    ]);
    const move = history.find((e: any) => e.action === 'transition');
    expect(move.details).toMatchObject({ workflow: 'quoteApproval', transition: 'submit', from: 'draft', to: 'approved', approval: approvalId });
    expect(move.changes.status).toEqual({ before: 'draft', after: 'approved' });
    for (const entry of history) expect(entry.at).toBe('2026-03-01T09:00:00.000Z');

    const stays = (await t.get(`/api/data/quote/${q.id}/state-history`)).body.items[0].stays;
    expect(stays.map((s: any) => [s.state, s.via ?? null])).toEqual([['draft', null], ['approved', 'submit']]);
  });

  it('between the thresholds only the manager decides; a rejection says why and the record stays', async () => {
    const q = await newQuote({ discount: 20 });
    const requested = await rep.client.post(`/api/data/quote/${q.id}/transitions/submit`, {});
    expect(requested.body.approval.steps.map((s: any) => s.status)).toEqual(['pending', 'skipped']);
    const id = requested.body.approval.id;
    const noReason = await manager.client.post(`/api/approvals/${id}/reject`, {});
    expect(noReason.status).toBe(409);
    expect(noReason.body.error.details[0].code).toBe('WF_COMMENT_REQUIRED');
    const rejected = await manager.client.post(`/api/approvals/${id}/reject`, { comment: 'Discount too high for this volume' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: 'Discount too high for this volume' });
    expect((await t.get(`/api/data/quote/${q.id}`)).body.status).toBe('draft');
    const seen = await rep.client.get(`/api/approvals/${id}`);
    expect(seen.body.steps[0]).toMatchObject({ status: 'rejected', decidedBy: manager.id, comment: 'Discount too high for this volume' });
    await t.post('/api/scheduler/tick');
    const inbox = (await rep.client.get('/api/notifications')).body.items;
    expect(inbox.map((n: any) => n.subject)).toContain(`Quote ${q.number} was not approved`);
    const history = (await t.get(`/api/data/quote/${q.id}/history`)).body.items;
    expect(history.map((e: any) => e.action)).toEqual(['create', 'approval.request', 'approval.reject']);
    expect(history[2]).toMatchObject({ by: manager.id, comment: 'Discount too high for this volume' });
    // A new request may follow the rejection.
    expect((await transitionsOf(rep, q.id)).transitions[0].allowed).toBe(true);
  });

  it('at or below the threshold the move is taken at once, and later moves follow', async () => {
    const q = await newQuote({ discount: 5 });
    const moved = await rep.client.post(`/api/data/quote/${q.id}/transitions/submit`, {});
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ outcome: 'moved', record: { status: 'approved' } });
    const noComment = await manager.client.post(`/api/data/quote/${q.id}/transitions/decline`, {});
    expect(noComment.status).toBe(409);
    expect(noComment.body.error.details[0].code).toBe('WF_COMMENT_REQUIRED');
    const stale = await manager.client.post(`/api/data/quote/${q.id}/transitions/send`, {}, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect((await manager.client.post(`/api/data/quote/${q.id}/transitions/decline`, { comment: 'Lost to a competitor' })).body.record.status).toBe('declined');
    expect((await transitionsOf(manager, q.id)).transitions).toEqual([]);
  });
});

describe('access', () => {
  it('anonymous callers get 401 everywhere; only admins tick the scheduler or read deliveries', async () => {
    const q = await newQuote({});
    for (const [method, url] of [
      ['GET', `/api/data/quote/${q.id}/transitions`], ['POST', `/api/data/quote/${q.id}/transitions/submit`], ['GET', `/api/data/quote/${q.id}/state-history`],
      ['GET', '/api/approvals'], ['GET', '/api/notifications'], ['POST', '/api/scheduler/tick'], ['GET', '/api/webhooks/deliveries'], ['GET', '/api/workflows/quoteApproval/sla'],
    ] as const) {
      expect((await t.anonymous.request(method, url, method === 'POST' ? {} : undefined)).status, `${method} ${url}`).toBe(401);
    }
    expect((await rep.client.post('/api/scheduler/tick')).status).toBe(403);
    expect((await rep.client.get('/api/scheduler/jobs')).status).toBe(403);
    expect((await rep.client.get('/api/webhooks/deliveries')).status).toBe(403);
    expect((await rep.client.post(`/api/data/quote/${q.id}/transitions/submit`, { comment: 1 })).status).toBe(400);
    expect((await rep.client.post(`/api/data/quote/${q.id}/transitions/submit`, { note: 'x' })).status).toBe(400);
  });
});

describe('OpenAPI', () => {
  it('describes the transitions of entities a workflow drives, and stays a valid 3.1 document', async () => {
    const doc = (await rep.client.get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/data/quote/{id}/transitions', '/api/data/quote/{id}/transitions/{transition}', '/api/data/quote/{id}/state-history']));
    expect(Object.keys(doc.paths)).not.toContain('/api/data/account/{id}/transitions');
    expect((await new Validator().validate(doc)).valid).toBe(true);
  });
});
