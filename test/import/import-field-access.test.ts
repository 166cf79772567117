// An import by someone who may not see or change every field: the suggestion offers only what they
// may change (a field they may not read is not revealed; one they may only read is said to be so),
// and a mapping that writes such fields is refused before a row is read, at its pointer — rather
// than every row refused with "is not a known property here".

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServices } from '../../engine/import/import-module.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { upload } from './support.ts';

let server: TestServer;
let clerk: TestUser;
let reader: TestUser;
let file: string;

beforeAll(async () => {
  server = await startTestServer();
  const entity = await server.put('/api/meta/entities/staff', {
    kind: 'entity', name: 'staff', label: { en: 'Staff', zh: '员工' }, titleField: 'name',
    fields: {
      code: { type: 'text', unique: true, label: { en: 'Code', zh: '编号' } },
      name: { type: 'text', required: true, label: { en: 'Name', zh: '姓名' } },
      salary: { type: 'number', label: { en: 'Salary', zh: '薪资' } },
      rating: { type: 'number', label: { en: 'Rating', zh: '评级' } },
    },
  });
  expect(entity.status).toBe(201);
  for (const [name, permissions] of [
    ['clerk', { staff: { read: 'all', create: true, update: 'all', fields: { salary: 'hidden', rating: 'read' } } }],
    ['viewer', { staff: { read: 'all' } }],
  ] as const) {
    const role = await server.put(`/api/meta/roles/${name}`, { kind: 'role', name, label: { en: name }, permissions });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
  }
  clerk = await server.createUser({ roles: ['clerk'] });
  reader = await server.createUser({ roles: ['viewer'] });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'import-access-'));
  file = path.join(dir, 'staff.csv');
  await writeFile(file, 'Code,Name,Salary,Rating\nS1,Sam,5000,3\nS2,Sue,6000,4\n');
}, 120_000);
afterAll(async () => server?.close());

const total = async () => (await server.get<any>('/api/data/staff?total=1&limit=1')).body.total;

describe('the suggestion', () => {
  it('leaves out a hidden field as unknown and says a read-only one is not imported, in the caller\u2019s language', async () => {
    const up = await upload(server, file, 'staff.csv');
    const en = await clerk.client.post<any>('/api/import/suggest', { upload: up, entity: 'staff' });
    expect(en.status).toBe(200);
    expect(en.body.suggested).toEqual({ code: 'Code', name: 'Name' });
    expect(en.body.unmapped).toEqual({ Salary: 'no field of this name or label', Rating: 'a field you may read but not change: not imported' });
    expect(JSON.stringify(en.body)).not.toContain('salary');
    const zh = await clerk.client.post<any>('/api/import/suggest', { upload: up, entity: 'staff' }, { 'accept-language': 'zh' });
    expect(zh.body.unmapped.Rating).toBe('您可以查看但不能修改的字段：不导入');
    // The administrator is offered every field.
    expect((await server.post<any>('/api/import/suggest', { upload: up, entity: 'staff' })).body.suggested).toEqual({ code: 'Code', name: 'Name', salary: 'Salary', rating: 'Rating' });
  });

  it('is refused for an entity the caller may not import into', async () => {
    const up = await upload(server, file, 'staff.csv');
    const res = await reader.client.post<any>('/api/import/suggest', { upload: up, entity: 'staff' });
    expect(res.status).toBe(403);
  });
});

describe('a job', () => {
  it('mapping a field the caller may not change is refused at its pointer before a row is written', async () => {
    const up = await upload(server, file, 'staff.csv');
    const before = await total();
    const mapping = { name: 'staff', targets: [{ entity: 'staff', key: ['code'], columns: { code: 'Code', name: 'Name', salary: 'Salary' }, defaults: { rating: 1 } }] };
    for (const [lang, hidden, readOnly] of [
      ['en', '"salary" is not a field of staff', '"Rating" is read-only for you: an import cannot change it'],
      ['zh', '"salary" 不是 staff 的字段', '「评级」对您只读：导入不能修改它'],
    ] as const) {
      const res = await clerk.client.post<any>('/api/import/jobs', { upload: up, mapping, mode: 'validOnly' }, { 'accept-language': lang });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: any) => [d.path, d.message])).toEqual([['/mapping/targets/0/columns/salary', hidden], ['/mapping/targets/0/defaults/rating', readOnly]]);
    }
    // A field the entity does not have reads the same: the hidden one is not revealed.
    const unknown = await clerk.client.post<any>('/api/import/jobs', { upload: up, mapping: { ...mapping, targets: [{ entity: 'staff', columns: { wage: 'Salary' } }] }, mode: 'validOnly' });
    expect(unknown.body.error.details[0].message).toBe('"wage" is not a field of staff');
    expect(await total()).toBe(before);
    // What they may change imports.
    const ok = await clerk.client.post<any>('/api/import/jobs', { upload: up, mapping: { name: 'staff', targets: [{ entity: 'staff', key: ['code'], columns: { code: 'Code', name: 'Name' } }] }, mode: 'validOnly' });
    expect(ok.status).toBe(202);
    await importServices.get(server.server.services)!.idle();
    expect(await total()).toBe(before + 2);
  });
});
