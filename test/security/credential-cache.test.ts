// The authenticator keeps the credential rows it reads (session or token, and user) for a moment
// (security/credential-cache.ts): a client's requests do not each cost two store reads, while a
// revocation — made in this process or by another one on the same data folder — still counts from
// the very next request. The secret is still hashed and compared on every request.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../engine/store/open-store.ts';
import type { Store } from '../../engine/store/store-port.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const documents = [
  { kind: 'entity', name: 'lead', label: 'Lead', fields: { name: { type: 'text', required: true } } },
  { kind: 'role', name: 'seller', label: 'Seller', permissions: { lead: { create: true, read: 'all', update: 'own', delete: 'own' } } },
];

describe('credential rows kept between requests', () => {
  let server: TestServer;
  let other: Store;
  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', { documents })).status).toBe(200);
    // Another connection to the same file: what a second server process or the `crm` CLI writes through.
    other = await openStore({ dataDir: server.dataDir });
  });
  afterAll(async () => {
    await other.close();
    await server.close();
  });

  it('a client sending the same token reads its token and user rows once, not on every request', async () => {
    const seller = await server.createUser({ roles: ['seller'] });
    const issued = await seller.client.post('/api/auth/tokens', { name: 'integration', role: 'seller' });
    const client = server.tokenClient(issued.body.token);
    const created = await client.post('/api/data/lead', { name: 'Ada' });
    expect(created.status).toBe(201);
    // Reads by id, whether as a promise (get) or at once (getNow, the embedded store's).
    const reads = vi.spyOn(server.server.store, 'get');
    const readsNow = vi.spyOn(server.server.store, 'getNow');
    try {
      for (let i = 0; i < 5; i++) expect((await client.get(`/api/data/lead/${created.body.id}`)).status).toBe(200);
      const byCollection = (name: string) => [...reads.mock.calls, ...readsNow.mock.calls].filter(([collection]) => collection === name).length;
      expect(byCollection('lead')).toBe(5);
      expect(byCollection('_tokens')).toBe(0);
      expect(byCollection('_users')).toBe(0);
      // A wrong secret for the same token id is still refused: the hash is compared every time.
      const forged = `${String(issued.body.token).slice(0, -4)}AAAA`;
      expect((await server.tokenClient(forged).get(`/api/data/lead/${created.body.id}`)).status).toBe(401);
    } finally {
      reads.mockRestore();
      readsNow.mockRestore();
    }
  });

  it('a session deleted by another process stops working on the next request', async () => {
    const seller = await server.createUser({ roles: ['seller'] });
    expect((await seller.client.get('/api/data/lead')).status).toBe(200);
    expect((await seller.client.get('/api/auth/me')).status).toBe(200);
    const sessions = await other.find('_sessions', { filter: { kind: 'true' }, sort: [], limit: 1000 });
    const mine = sessions.filter((row) => row.data['userId'] === seller.id);
    expect(mine.length).toBe(1);
    await other.transaction((tx) => tx.delete('_sessions', mine[0]!.id));
    expect((await seller.client.get('/api/data/lead')).status).toBe(401);
  });

  it('a user disabled by another process is refused on the next request', async () => {
    const seller = await server.createUser({ roles: ['seller'] });
    const issued = await seller.client.post('/api/auth/tokens', { name: 'integration', role: 'seller' });
    const client = server.tokenClient(issued.body.token);
    expect((await client.get('/api/data/lead')).status).toBe(200);
    await other.transaction(async (tx) => {
      const row = (await tx.get('_users', seller.id))!;
      expect(await tx.replace('_users', { ...row, version: row.version + 1, data: { ...row.data, disabled: true } }, row.version)).toBe(true);
    });
    expect((await client.get('/api/data/lead')).status).toBe(401);
  });

  it('signing out in this process ends the session at once', async () => {
    const seller = await server.createUser({ roles: ['seller'] });
    expect((await seller.client.get('/api/data/lead')).status).toBe(200);
    expect((await seller.client.post('/api/auth/logout', {})).status).toBe(204);
    expect((await seller.client.get('/api/data/lead')).status).toBe(401);
  });
});
