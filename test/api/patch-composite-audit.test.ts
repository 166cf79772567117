// A merge patch into a composite value (an address) changes a copy, never the stored record read for
// the write: the audit entry names the change with the value before and after.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.put('/api/meta/entities/place', { kind: 'entity', name: 'place', label: 'Place', fields: { name: { type: 'text' }, address: { type: 'address' } } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}, 60_000);
afterAll(async () => server?.close());

describe('patching a composite field', () => {
  it('audits the part changed, with the value before and after', async () => {
    const place = (await server.post<any>('/api/data/place', { name: 'Depot', address: { street: 'Old Street 1', city: 'Leeds' } })).body;
    const patched = await server.patch<any>(`/api/data/place/${place.id}`, { address: { street: 'New Street 2' } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.address).toEqual({ street: 'New Street 2', city: 'Leeds' });
    const history = (await server.get<any>(`/api/data/place/${place.id}/history`)).body.items;
    expect(history.at(-1).changes).toEqual({ address: { before: { street: 'Old Street 1', city: 'Leeds' }, after: { street: 'New Street 2', city: 'Leeds' } } });
  });
});
