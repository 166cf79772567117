// Regression, the leaking-reasons class (issue 9, defect 7): why a transition cannot be taken was
// told with what the caller may not read — a guard's evaluation error quoted a hidden field's value,
// the missing-fields reason named a hidden field. Reasons shown to a user (listing and refusals,
// in every language) now name only what that user may read; the admin still gets the full text.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let agent: TestUser;
let id: string;
const secret = 'TOPSECRET-42';

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [
    {
      kind: 'entity', name: 'claim', label: 'Claim',
      fields: { title: { type: 'text' }, note: { type: 'text' }, secretCode: { type: 'text' }, auditNote: { type: 'text' }, status: { type: 'picklist', options: { open: {}, paid: {} } } },
    },
    {
      kind: 'workflow', name: 'claimFlow', entity: 'claim', label: 'Claim', field: 'status',
      states: { open: { label: 'Open', initial: true }, paid: { label: 'Paid', final: true } },
      transitions: {
        pay: { label: 'Pay', from: 'open', to: 'paid', guard: '$number(secretCode) > 0', requiredFields: ['note', 'auditNote'] },
        close: { label: 'Close', from: 'open', to: 'paid', guard: '$number(title) > 0' },
      },
    },
    { kind: 'role', name: 'agent', label: 'Agent', permissions: { claim: { create: true, read: 'all', update: 'all', fields: { secretCode: 'hidden', auditNote: 'hidden' } } } },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  id = (await server.post('/api/data/claim', { title: 'Water damage', secretCode: secret })).body.id;
  agent = await server.createUser({ roles: ['agent'] });
});
afterAll(async () => server.close());

const leaks = (body: unknown) => JSON.stringify(body).match(new RegExp(`${secret}|auditNote|secretCode`, 'g')) ?? [];

describe('leak-free reasons', () => {
  it.each(['en', 'zh'])('the transition list names no hidden field and quotes no hidden value (%s)', async (lang) => {
    const res = await agent.client.get(`/api/data/claim/${id}/transitions`, { 'accept-language': lang });
    expect(res.status).toBe(200);
    const pay = res.body.transitions.find((t: { name: string }) => t.name === 'pay');
    expect(pay.allowed).toBe(false);
    expect(pay.reasons.map((r: { code: string }) => r.code).sort()).toEqual(['WF_GUARD_ERROR', 'WF_MISSING_FIELDS']);
    expect(pay.reasons.find((r: { code: string }) => r.code === 'WF_MISSING_FIELDS').fields).toEqual(['note']);
    expect(leaks(res.body)).toEqual([]);
    // An error over fields the agent reads is still explained in full.
    const close = res.body.transitions.find((t: { name: string }) => t.name === 'close');
    expect(JSON.stringify(close.reasons)).toContain('Water damage');
  });

  it('a refused move says no more than the list', async () => {
    const res = await agent.client.post(`/api/data/claim/${id}/transitions/pay`, {});
    expect(res.status).toBe(409);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('/note');
    expect(leaks(res.body)).toEqual([]);
  });

  it('the administrator, who reads everything, gets the full reasons', async () => {
    const res = await server.get(`/api/data/claim/${id}/transitions`);
    const pay = res.body.transitions.find((t: { name: string }) => t.name === 'pay');
    expect(pay.reasons.find((r: { code: string }) => r.code === 'WF_MISSING_FIELDS').fields).toEqual(['note', 'auditNote']);
    expect(JSON.stringify(pay.reasons)).toContain(secret);
  });
});
