// A formula shows what it is made of: `salary > 100000` over a hidden salary would tell the salary
// band to anyone who may read the formula. A formula is readable only when every field it reads
// is — in records, filters and the API documents alike.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let clerk: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [
    {
      kind: 'entity', name: 'employee', label: 'Employee',
      fields: {
        name: { type: 'text', required: true },
        salary: { type: 'currency' },
        highEarner: { type: 'formula', returns: 'boolean', expression: 'salary > 100000' },
        band: { type: 'formula', returns: 'text', expression: "highEarner ? 'A' : 'B'" },
        initials: { type: 'formula', returns: 'text', expression: '$substring(name, 0, 1)' },
      },
    },
    { kind: 'role', name: 'clerk', label: 'Clerk', permissions: { employee: { read: 'all', fields: { salary: 'hidden' } } } },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  expect((await server.post('/api/data/employee', { name: 'Ada', salary: 150000 })).status).toBe(201);
  clerk = await server.createUser({ roles: ['clerk'] });
});
afterAll(async () => server.close());

describe('formulas over hidden fields', () => {
  it('are hidden with what they read, through formulas over formulas; others stay', async () => {
    const [record] = (await clerk.client.get('/api/data/employee')).body.items;
    expect(record).toMatchObject({ name: 'Ada', initials: 'A' });
    expect(record).not.toHaveProperty('salary');
    expect(record).not.toHaveProperty('highEarner');
    expect(record).not.toHaveProperty('band');
  });

  it('cannot be filtered on', async () => {
    const res = await clerk.client.get(`/api/data/employee?filter=${encodeURIComponent(JSON.stringify({ highEarner: true }))}`);
    expect(res.status).toBe(400);
  });

  it('are absent from the OpenAPI document the clerk gets', async () => {
    const doc = (await clerk.client.get('/api/openapi.json')).body;
    expect(Object.keys(doc.components.schemas.Employee.properties)).not.toContain('highEarner');
  });
});
