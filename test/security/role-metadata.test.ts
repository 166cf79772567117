// Role metadata is checked across the set on save: entities and fields must exist, update and
// delete may not reach beyond read, reassign not beyond update, transitions must exist on a
// workflow of that entity; "admin" is reserved. Every issue is reported with its pointer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describe('role metadata checks', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const documents = [
      { kind: 'entity', name: 'ticket', label: 'Ticket', fields: { title: { type: 'text' }, state: { type: 'picklist', options: { open: { label: 'Open' }, closed: { label: 'Closed' } } } } },
      { kind: 'entity', name: 'note', label: 'Note', fields: { text: { type: 'text' } } },
      {
        kind: 'workflow', name: 'ticketFlow', entity: 'ticket', label: 'Ticket flow', field: 'state',
        states: { open: { label: 'Open', initial: true }, closed: { label: 'Closed', final: true } },
        transitions: { close: { label: 'Close', from: 'open', to: 'closed' } },
      },
    ];
    expect((await server.post('/api/meta/apply', { documents })).status).toBe(200);
  });
  afterAll(async () => server.close());

  it('accepts a sound role', async () => {
    const res = await server.put('/api/meta/roles/support', {
      kind: 'role', name: 'support', label: 'Support',
      permissions: { ticket: { create: true, read: 'team', update: 'own', reassign: 'own', fields: { title: 'read' }, transitions: { ticketFlow: ['close'] } } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('reports every cross-reference problem with its pointer, and applies nothing', async () => {
    const res = await server.put('/api/meta/roles/broken', {
      kind: 'role', name: 'broken', label: 'Broken',
      permissions: {
        ghost: { read: 'all' },
        ticket: { read: 'own', update: 'team', delete: 'all', reassign: 'all', fields: { nosuch: 'hidden' }, transitions: { ticketFlow: ['reopen'], noFlow: '*' } },
        note: { read: 'all', transitions: { ticketFlow: '*' } },
      },
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual([
      '/permissions/ghost',
      '/permissions/note/transitions/ticketFlow',
      '/permissions/ticket/delete',
      '/permissions/ticket/fields/nosuch',
      '/permissions/ticket/reassign',
      '/permissions/ticket/transitions/noFlow',
      '/permissions/ticket/transitions/ticketFlow/0',
      '/permissions/ticket/update',
    ]);
    expect((await server.get('/api/meta/roles/broken')).status).toBe(404);
  });

  it('reserves the name "admin" (it names administrator tokens)', async () => {
    const res = await server.put('/api/meta/roles/admin', { kind: 'role', name: 'admin', label: 'Admin' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('/name');
  });

  it('a role cannot be assigned to a user before it exists', async () => {
    const user = await server.post('/api/users', { email: 'r@crm.test', password: 'long-enough-password', roles: ['notYet'] });
    expect(user.status).toBe(400);
    expect(user.body.error.details[0].path).toBe('/roles/0');
  });
});
