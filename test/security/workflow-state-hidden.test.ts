// A role that may not read a workflow's state field learns nothing of it through the workflow
// endpoints either: no transitions of that workflow, no state history, no from/to in the history.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let viewer: TestUser;
let id: string;

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'claim', label: 'Claim', fields: { title: { type: 'text' }, status: { type: 'picklist', options: { open: {}, paid: {} } } } },
    {
      kind: 'workflow', name: 'claimFlow', entity: 'claim', label: 'Claim', field: 'status',
      states: { open: { label: 'Open', initial: true }, paid: { label: 'Paid', final: true } },
      transitions: { pay: { label: 'Pay', from: 'open', to: 'paid' } },
    },
    { kind: 'role', name: 'viewer', label: 'Viewer', permissions: { claim: { read: 'all', update: 'all', fields: { status: 'hidden' } } } },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  id = (await server.post('/api/data/claim', { title: 'Broken window' })).body.id;
  expect((await server.post(`/api/data/claim/${id}/transitions/pay`, {})).status).toBe(200);
  viewer = await server.createUser({ roles: ['viewer'] });
});
afterAll(async () => server.close());

describe('a hidden workflow state field', () => {
  it('shows no transitions of its workflow', async () => {
    const res = await viewer.client.get(`/api/data/claim/${id}/transitions`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toMatch(/paid|open|claimFlow/);
  });

  it('shows no state history and no states in the record history', async () => {
    const stays = await viewer.client.get(`/api/data/claim/${id}/state-history`);
    expect(stays.body.items).toEqual([]);
    const history = await viewer.client.get(`/api/data/claim/${id}/history`);
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).not.toMatch(/paid|"open"/);
  });

  it('answers no SLA report for its workflow (404, as for a workflow that does not exist)', async () => {
    const sla = await viewer.client.get('/api/workflows/claimFlow/sla');
    expect(sla.status).toBe(404);
    expect(JSON.stringify(sla.body)).not.toMatch(/paid|"open"/);
    expect((await server.get('/api/workflows/claimFlow/sla')).status).toBe(200);
  });

  it('cannot take its transitions by name either (404, and the refusal tells no state)', async () => {
    const taken = await viewer.client.post(`/api/data/claim/${id}/transitions/pay`, {});
    expect(taken.status).toBe(404);
    expect(JSON.stringify(taken.body)).not.toMatch(/paid|"open"/);
  });
});
