// A user with several roles gets the sum of their grants: the widest scope per verb and the most
// open access per field — but read access comes only from roles that may read, so a create-only
// role cannot open up fields another role hides.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const documents = [
  { kind: 'entity', name: 'case', label: 'Case', fields: { title: { type: 'text' }, internalNote: { type: 'text' }, cost: { type: 'number' } } },
  { kind: 'role', name: 'agent', label: 'Agent', permissions: { case: { create: true, read: 'own', update: 'own', fields: { internalNote: 'hidden', cost: 'hidden' } } } },
  { kind: 'role', name: 'qa', label: 'QA', permissions: { case: { read: 'all', defaultFieldAccess: 'read', fields: { cost: 'hidden' } } } },
  { kind: 'role', name: 'intake', label: 'Intake', permissions: { case: { create: true, defaultFieldAccess: 'edit' } } },
];

describe('several roles add up', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', { documents })).status).toBe(200);
    await server.post('/api/data/case', { title: 'someone else’s', internalNote: 'note-x', cost: 12 });
  });
  afterAll(async () => server.close());

  it('agent + qa: reads all cases with internalNote (qa) but not cost (hidden in both); writes only as agent', async () => {
    const user = await server.createUser({ roles: ['agent', 'qa'] });
    const list = await user.client.get('/api/data/case?total=1');
    expect(list.body.total).toBe(1);
    expect(list.body.items[0].internalNote).toBe('note-x');
    expect(list.body.items[0]).not.toHaveProperty('cost');
    expect((await user.client.patch(`/api/data/case/${list.body.items[0].id}`, { title: 'x' })).status).toBe(404);
    expect((await user.client.get(`/api/data/case?filter=${encodeURIComponent('{"cost":{"$gt":1}}')}`)).status).toBe(400);
  });

  it('agent + intake: intake grants no read, so it cannot reveal what agent hides; it can add writable fields', async () => {
    const user = await server.createUser({ roles: ['agent', 'intake'] });
    const created = await user.client.post('/api/data/case', { title: 'mine', cost: 5 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).not.toHaveProperty('cost');
    const list = await user.client.get('/api/data/case');
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).not.toHaveProperty('cost');
    expect((await user.client.get(`/api/data/case?sort=cost`)).status).toBe(400);
  });

  it('intake alone: creates, but the entity stays unreadable', async () => {
    const user = await server.createUser({ roles: ['intake'] });
    const created = await user.client.post('/api/data/case', { title: 'from the web form' });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body)).toEqual(['id']);
    expect((await user.client.get('/api/data/case')).status).toBe(404);
    expect((await user.client.get(`/api/data/case/${created.body.id}`)).status).toBe(404);
    expect((await user.client.get('/api/meta/entities')).body.items).toEqual([]);
  });
});
