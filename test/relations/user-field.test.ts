// The `user` field type over real HTTP: an account manager and an assignee that defaults to the
// creating user; values must be active users; filters and sorts treat it like any scalar field.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let agent: TestUser;
let manager: TestUser;
const q = (filter: unknown) => `?filter=${encodeURIComponent(JSON.stringify(filter))}`;

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [
    {
      kind: 'entity', name: 'case', label: 'Case', titleField: 'title',
      fields: { title: { type: 'text', required: true }, accountManager: { type: 'user', label: { en: 'Account manager', zh: '客户经理' } }, assignee: { type: 'user', defaultToCurrentUser: true } },
    },
    { kind: 'role', name: 'agent', label: 'Agent', permissions: { case: { create: true, read: 'all', update: 'all', defaultFieldAccess: 'edit' } } },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  agent = await server.createUser({ roles: ['agent'] });
  manager = await server.createUser({ roles: ['agent'] });
});
afterAll(async () => server.close());

describe('user fields', () => {
  it('default to the creating user when asked, and hold the user\'s id', async () => {
    const created = await agent.client.post('/api/data/case', { title: 'Printer on fire', accountManager: manager.id });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ assignee: agent.id, accountManager: manager.id });
    const byAdmin = await server.post('/api/data/case', { title: 'Set up', assignee: manager.id });
    expect(byAdmin.body).toMatchObject({ assignee: manager.id });
    expect(byAdmin.body).not.toHaveProperty('accountManager');
  });

  it('filter and sort like scalar fields', async () => {
    const mine = await agent.client.get(`/api/data/case${q({ assignee: agent.id })}`);
    expect(mine.body.items.map((c: { title: string }) => c.title)).toEqual(['Printer on fire']);
    const managed = await agent.client.get(`/api/data/case${q({ accountManager: { $exists: false } })}&sort=-assignee`);
    expect(managed.body.items.map((c: { title: string }) => c.title)).toEqual(['Set up']);
  });

  it('refuse an unknown user, a disabled user and a value that is not a user id, naming the field', async () => {
    const unknown = await agent.client.post('/api/data/case', { title: 'x', accountManager: '01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([expect.objectContaining({ path: '/accountManager', code: 'USER_MISSING' })]);
    const malformed = await agent.client.post('/api/data/case', { title: 'x', assignee: 'bob' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details[0].path).toBe('/assignee');
    const leaving = await server.createUser({ roles: ['agent'] });
    expect((await server.patch(`/api/users/${leaving.id}`, { disabled: true })).status).toBe(200);
    const disabled = await agent.client.post('/api/data/case', { title: 'x', accountManager: leaving.id });
    expect(disabled.status).toBe(400);
    expect(disabled.body.error.details).toEqual([expect.objectContaining({ path: '/accountManager', code: 'USER_MISSING' })]);
  });

  it('refuse lookup options on a user field in metadata', async () => {
    const refused = await server.put('/api/meta/entities/ticket', { kind: 'entity', name: 'ticket', label: 'Ticket', fields: { owner2: { type: 'user', to: 'account' } } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.error.details)).toContain('/fields/owner2');
  });
});
