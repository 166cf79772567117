// A fuzzy rule names at most five records alike, the most alike first — for a user who sees only
// some records as for one who sees all (the store lists the visible ones in its own order).

import { afterAll, beforeAll, expect, it } from 'vitest';
import { duplicatesOf } from '../support/duplicate-warnings.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let buyer: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'supplier', label: 'Supplier', titleField: 'name', fields: { name: { type: 'text', required: true } }, duplicateRules: { alike: { match: ['name'], method: 'fuzzy', action: 'warn' } } },
    { kind: 'role', name: 'buyer', label: 'Buyer', permissions: { supplier: { create: true, read: 'own' } } },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  buyer = await server.createUser({ roles: ['buyer'] });
});
afterAll(async () => server?.close());

it.each([
  { who: 'an administrator (sees all)', client: () => server as Pick<TestServer, 'post'>, prefix: 'Northwind' },
  { who: 'a user who sees their own', client: () => buyer.client, prefix: 'Southwind' },
])('names the same name first for $who', async ({ client, prefix }) => {
  // Alike (one letter more), and stored earlier: first in the store's order.
  for (const suffix of ['A', 'B', 'C']) expect((await client().post<any>('/api/data/supplier', { name: `${prefix} Trading ${suffix}` })).status).toBe(201);
  const same = await client().post<any>('/api/data/supplier', { name: `${prefix} Trading` });
  const again = await client().post<any>('/api/data/supplier', { name: `${prefix} trading` });
  expect(again.status).toBe(201);
  const [finding] = duplicatesOf(again.headers);
  expect(finding?.ids).toHaveLength(4);
  expect(finding?.ids[0]).toBe(same.body.id);
});
