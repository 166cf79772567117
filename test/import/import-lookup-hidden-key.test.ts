// A lookup column is matched by a field of the looked-up entity (`lookups: { handler: { by } }`). A
// field the caller may not read is no key for them: matched by it, each imported row linked the one
// record holding the value they wrote — a hidden salary read back through the link, one guess a row —
// where a list filtered by that field is refused. Such a mapping is refused before a row is read, as
// a field the entity does not have (the hidden one is not revealed). Real HTTP, real store.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServices } from '../../engine/import/import-module.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { upload } from './support.ts';

let server: TestServer;
let clerk: TestUser;
let work: string;
let file: string;

beforeAll(async () => {
  server = await startTestServer();
  const staff = { kind: 'entity', name: 'staff', label: { en: 'Staff', zh: '员工' }, titleField: 'name', fields: { name: { type: 'text', required: true }, salary: { type: 'number' }, badge: { type: 'text' } } };
  const ticket = { kind: 'entity', name: 'ticket', label: { en: 'Ticket', zh: '工单' }, titleField: 'code', fields: { code: { type: 'text', required: true, unique: true }, handler: { type: 'lookup', to: 'staff' } } };
  for (const doc of [staff, ticket]) {
    const put = await server.put(`/api/meta/entities/${doc.name}`, doc);
    expect(put.status, JSON.stringify(put.body)).toBe(201);
  }
  const role = await server.put('/api/meta/roles/clerk', {
    kind: 'role', name: 'clerk', label: { en: 'clerk' },
    permissions: { staff: { read: 'all', fields: { salary: 'hidden' } }, ticket: { read: 'all', create: true, update: 'all' } },
  });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  clerk = await server.createUser({ roles: ['clerk'] });
  for (const [name, salary, badge] of [['Ann', 5000, 'B1'], ['Bob', 9000, 'B2']] as const) expect((await server.post('/api/data/staff', { name, salary, badge })).status).toBe(201);
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-lookup-hidden-'));
  file = path.join(work, 'tickets.csv');
  await writeFile(file, 'code,handler\nT1,9000\nT2,5000\n');
}, 120_000);
afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const tickets = async () => (await server.get<any>('/api/data/ticket?limit=10')).body.items;

describe('an import whose lookup is matched by a field the caller may not read', () => {
  it('a list filtered by that field is refused to them (what the import must not answer either)', async () => {
    const res = await clerk.client.get<any>(`/api/data/staff?filter=${encodeURIComponent(JSON.stringify({ salary: 9000 }))}`);
    expect(res.status).toBe(400);
  });

  it('is refused at the lookup\u2019s key, worded as for a field the entity does not have, before a row is written', async () => {
    const up = await upload(server, file, 'tickets.csv');
    const mapping = (by: string) => ({ name: 'tickets', targets: [{ entity: 'ticket', key: ['code'], columns: { code: 'code', handler: 'handler' }, lookups: { handler: { by } } }] });
    for (const lang of ['en', 'zh']) {
      const hidden = await clerk.client.post<any>('/api/import/jobs', { upload: up, mapping: mapping('salary'), mode: 'validOnly' }, { 'accept-language': lang });
      const unknown = await clerk.client.post<any>('/api/import/jobs', { upload: up, mapping: mapping('wage'), mode: 'validOnly' }, { 'accept-language': lang });
      expect(hidden.status, JSON.stringify(hidden.body)).toBe(400);
      expect(hidden.body.error.details).toEqual(unknown.body.error.details);
      expect(hidden.body.error.details.map((d: any) => d.path)).toEqual(['/mapping/targets/0/lookups/handler/by']);
      expect(hidden.body.error.details[0].message).toBe(lang === 'en' ? 'must name a field of staff' : '必须指定 staff 的字段');
    }
    await importServices.get(server.server.services)!.idle();
    expect(await tickets()).toEqual([]);
    // A field they may read is a key like any other.
    const badges = path.join(work, 'badges.csv');
    await writeFile(badges, 'code,handler\nT3,B2\n');
    const ok = await clerk.client.post<any>('/api/import/jobs', { upload: await upload(server, badges, 'badges.csv'), mapping: mapping('badge'), mode: 'validOnly' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(202);
    await importServices.get(server.server.services)!.idle();
    expect((await tickets()).map((t: any) => t.code)).toEqual(['T3']);
  });
});
