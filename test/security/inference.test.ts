// Side channels that would tell a user about records outside their scope: duplicate warnings,
// lookups to records they cannot read, and counts. Each answers as if those records did not exist.

import { withoutRequestId } from '../support/log-capture.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

const documents = [
  {
    kind: 'entity', name: 'contact', label: 'Contact',
    fields: { name: { type: 'text' }, email: { type: 'email' }, company: { type: 'lookup', to: 'company' } },
    duplicateRules: { sameEmail: { match: ['email'], action: 'warn' } },
  },
  { kind: 'entity', name: 'company', label: 'Company', fields: { name: { type: 'text' } } },
  { kind: 'role', name: 'rep', label: 'Rep', permissions: { contact: { create: true, read: 'own', update: 'own' }, company: { read: 'own', create: true } } },
];

describe('no inference about records out of scope', () => {
  let server: TestServer;
  let rep: TestUser;
  let hiddenCompany: string;
  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', { documents })).status).toBe(200);
    rep = await server.createUser({ roles: ['rep'] });
    await server.post('/api/data/contact', { name: 'Secret client', email: 'vip@bigcorp.test' });
    hiddenCompany = (await server.post('/api/data/company', { name: 'Hidden Inc' })).body.id;
  });
  afterAll(async () => server.close());

  it('a duplicate warning never names (or hints at) a record the caller cannot read', async () => {
    const res = await rep.client.post('/api/data/contact', { name: 'Probe', email: 'vip@bigcorp.test' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-crm-duplicates')).toBeNull();
    // The rep's own duplicate is named.
    const again = await rep.client.post('/api/data/contact', { name: 'Probe 2', email: 'vip@bigcorp.test' });
    expect(JSON.parse(again.headers.get('x-crm-duplicates')!)).toEqual([{ rule: 'sameEmail', ids: [res.body.id] }]);
    // An admin sees all three.
    const admin = await server.post('/api/data/contact', { name: 'Admin probe', email: 'vip@bigcorp.test' });
    expect(JSON.parse(admin.headers.get('x-crm-duplicates')!)[0].ids).toHaveLength(3);
  });

  it('a lookup to a record the caller cannot read is refused exactly like one to a missing record', async () => {
    const hidden = await rep.client.post('/api/data/contact', { name: 'x', company: hiddenCompany });
    const missing = await rep.client.post('/api/data/contact', { name: 'x', company: '01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    expect(hidden.status).toBe(400);
    expect(JSON.stringify(withoutRequestId(hidden.body)).replace(hiddenCompany, 'ID')).toBe(JSON.stringify(withoutRequestId(missing.body)).replace('01ARZ3NDEKTSV4RRFFQ69G5FAV', 'ID'));
  });

  it('counts, gets, history and writes all agree that out-of-scope records do not exist', async () => {
    const list = await rep.client.get('/api/data/company?total=1');
    expect(list.body.total).toBe(0);
    for (const res of [
      await rep.client.get(`/api/data/company/${hiddenCompany}`),
      await rep.client.get(`/api/data/company/${hiddenCompany}/history`),
      await rep.client.get('/api/data/company/01ARZ3NDEKTSV4RRFFQ69G5FAV'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const a = await rep.client.get(`/api/data/company/${hiddenCompany}`);
    const b = await rep.client.get('/api/data/company/01ARZ3NDEKTSV4RRFFQ69G5FAV');
    expect(a.body.error.message.replace(hiddenCompany, 'ID')).toBe(b.body.error.message.replace('01ARZ3NDEKTSV4RRFFQ69G5FAV', 'ID'));
  });
});
