// `fields=` means the same to a list, a record and an export: a part of a composite field
// (`addr.city`) is answered by all three (a flat key in the API, a column in the file), and a name
// none may answer — a part that does not exist, a part of a field the caller may not read — is the
// same 400 at /query/fields from all three.

import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let clerk: TestUser;
let id: string;

beforeAll(async () => {
  server = await startTestServer();
  const site = {
    kind: 'entity', name: 'site', label: { en: 'Site', zh: '站点' }, titleField: 'name',
    fields: { name: { type: 'text', required: true, label: { en: 'Name', zh: '名称' } }, addr: { type: 'address', label: { en: 'Address', zh: '地址' } }, hidden: { type: 'address', label: { en: 'Home', zh: '住址' } } },
  };
  expect((await server.put('/api/meta/entities/site', site)).status).toBe(201);
  const role = { kind: 'role', name: 'clerk', label: 'Clerk', permissions: { site: { read: 'all', fields: { hidden: 'hidden' } } } };
  expect((await server.put('/api/meta/roles/clerk', role)).status).toBe(201);
  clerk = await server.createUser({ email: 'clerk@crm.test', roles: ['clerk'] });
  const created = await server.post<any>('/api/data/site', { name: 'Depot', addr: { city: 'Lyon', country: 'FR' }, hidden: { city: 'Nice' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  id = created.body.id;
}, 60_000);
afterAll(async () => server?.close());

describe('fields= on lists, records and exports', () => {
  it('a part of a composite field: a flat key in the list and the record, a column in the export', async () => {
    const list = await server.get<any>('/api/data/site?fields=name,addr.city');
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.items).toEqual([{ id, name: 'Depot', 'addr.city': 'Lyon' }]);
    const one = await server.get<any>(`/api/data/site/${id}?fields=addr.country`);
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body).toEqual({ id, 'addr.country': 'FR' });
    const res = await fetch(`${server.url}/api/export/site?fields=name,addr.city&headers=keys`, { headers: { authorization: `Bearer ${server.admin!.token}` } });
    expect(res.status).toBe(200);
    expect(parse(await res.text(), { columns: true, bom: true })).toEqual([{ id, name: 'Depot', 'addr.city': 'Lyon' }]);
  });

  it('a name none may answer is the same 400 at /query/fields from all three', async () => {
    for (const [asked, who] of [['addr.planet', server], ['hidden.city', clerk.client]] as const) {
      const answers = [
        await who.get<any>(`/api/data/site?fields=name,${asked}`, { 'accept-language': 'zh' }),
        await who.get<any>(`/api/data/site/${id}?fields=${asked}`, { 'accept-language': 'zh' }),
        await who.get<any>(`/api/export/site?fields=${asked}`, { 'accept-language': 'zh' }),
      ];
      for (const answer of answers) {
        expect(answer.status, asked).toBe(400);
        expect(answer.body.error.details, asked).toEqual([{ path: '/query/fields', message: `「${asked}」不是可读字段` }]);
      }
    }
    // The administrator may read the hidden part.
    expect((await server.get<any>('/api/data/site?fields=hidden.city')).body.items).toEqual([{ id, 'hidden.city': 'Nice' }]);
  });
});
