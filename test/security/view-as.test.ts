// "View as" over real HTTP: an administrator's GET with X-CRM-View-As is answered exactly as the
// named user's own session is (scope and hidden fields, records and metadata), a role with no user
// sees only what its "all" scopes reach; writes, non-admins and unknown targets are refused with
// the header named; every use is kept and listed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

const metadata = [
  { kind: 'role', name: 'rep', label: 'Rep', permissions: { deal: { create: true, read: 'own', update: 'own', fields: { margin: 'hidden' } }, region: { read: 'all' } } },
  { kind: 'entity', name: 'deal', label: 'Deal', fields: { title: { type: 'text', required: true }, amount: { type: 'number' }, margin: { type: 'number' } } },
  { kind: 'entity', name: 'region', label: 'Region', fields: { name: { type: 'text', required: true } } },
];

let t: TestServer;
let rep: TestUser;
let other: TestUser;
const asRep = () => ({ 'x-crm-view-as': `user:${rep.id}` });

beforeAll(async () => {
  t = await startTestServer();
  const applied = await t.post('/api/meta/apply', metadata);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  rep = await t.createUser({ roles: ['rep'] });
  other = await t.createUser({ roles: ['rep'] });
  for (const [client, title] of [[rep.client, 'Rep one'], [rep.client, 'Rep two'], [other.client, 'Other'], [t, 'Admin deal']] as const) {
    const res = await client.post('/api/data/deal', { title, amount: 100, ...(client === t ? { margin: 9 } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  expect((await t.post('/api/data/region', { name: 'East' })).status).toBe(201);
}, 60_000);
afterAll(async () => t?.close());

describe('X-CRM-View-As', () => {
  it('answers a list as the user\'s own session does: only their records, without hidden fields', async () => {
    const own = await rep.client.get('/api/data/deal');
    const viewed = await t.get('/api/data/deal', asRep());
    expect(viewed.status).toBe(200);
    expect(viewed.body).toEqual(own.body);
    expect(viewed.body.items.map((d: any) => d.title).sort()).toEqual(['Rep one', 'Rep two']);
    expect(viewed.body.items.every((d: any) => !('margin' in d))).toBe(true);
    const all = await t.get('/api/data/deal');
    expect(all.body.items).toHaveLength(4);
  });

  it('answers one record and the metadata as the user sees them', async () => {
    const id = (await rep.client.get('/api/data/deal')).body.items[0].id;
    expect((await t.get(`/api/data/deal/${id}`, asRep())).body).toEqual((await rep.client.get(`/api/data/deal/${id}`)).body);
    const adminDeal = (await t.get('/api/data/deal')).body.items.find((d: any) => d.title === 'Admin deal');
    expect((await t.get(`/api/data/deal/${adminDeal.id}`, asRep())).status).toBe(404);
    const entity = await t.get('/api/meta/entities/deal', asRep());
    expect(entity.body).toEqual((await rep.client.get('/api/meta/entities/deal')).body);
    expect(Object.keys(entity.body.fields)).not.toContain('margin');
  });

  it('as a role with no user: only what its "all" scopes reach', async () => {
    const deals = await t.get('/api/data/deal', { 'x-crm-view-as': 'role:rep' });
    expect(deals.status).toBe(200);
    expect(deals.body.items).toEqual([]);
    const regions = await t.get('/api/data/region', { 'x-crm-view-as': 'role:rep' });
    expect(regions.body.items.map((r: any) => r.name)).toEqual(['East']);
  });

  it('is read-only, for administrators, and names the header when refused', async () => {
    const write = await t.post('/api/data/deal', { title: 'Sneaky' }, asRep());
    expect(write.status).toBe(403);
    expect(write.body.error.details[0].path).toBe('/headers/x-crm-view-as');
    const notAdmin = await other.client.get('/api/data/deal', asRep());
    expect(notAdmin.status).toBe(403);
    const unknown = await t.get('/api/data/deal', { 'x-crm-view-as': 'role:nobody' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0]).toMatchObject({ path: '/headers/x-crm-view-as' });
    const malformed = await t.get('/api/data/deal', { 'x-crm-view-as': 'someone', 'accept-language': 'zh-CN' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details[0].message).toContain('必须');
    expect((await t.get('/api/data/deal?limit=1000')).body.items.map((d: any) => d.title)).not.toContain('Sneaky');
  });

  it('keeps every use for the administrators to see', async () => {
    const log = await t.get('/api/auth/view-as');
    expect(log.status).toBe(200);
    expect(log.body.items[0]).toMatchObject({ by: t.admin!.id, as: 'role:rep', method: 'GET', path: '/api/data/region' });
    expect(log.body.items.filter((e: any) => e.as === `user:${rep.id}`).length).toBeGreaterThanOrEqual(4);
    expect((await rep.client.get('/api/auth/view-as')).status).toBe(403);
  });
});
