// An ERP names a customer's columns after the entity: 客户名称 (customer + name), "Customer Name".
// The suggestion matched field names and labels alone, so the customer's name — a required field —
// was left "no field of this name or label" and every row would be refused until mapped by hand. A
// column that is the entity's label followed by a field's label is that field; a field whose own
// label is the whole column still comes first (客户编号 is the code, not the 编号).

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { upload } from './support.ts';

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.post('/api/meta/apply', [{
    kind: 'entity', name: 'customer', label: { en: 'Customer', zh: '客户' }, titleField: 'name',
    fields: {
      serial: { type: 'text', label: { en: 'Number', zh: '编号' } },
      code: { type: 'text', label: { en: 'Customer number', zh: '客户编号' } },
      name: { type: 'text', label: { en: 'Name', zh: '名称' }, required: true },
      phone: { type: 'text', label: { en: 'Phone', zh: '电话' } },
    },
  }]);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-suggest-prefix-'));
}, 120_000);
afterAll(async () => server?.close());

describe('suggesting columns named after the entity', () => {
  it.each([
    ['zh', ['客户编号', '客户名称', '客户电话'], { code: '客户编号', name: '客户名称', phone: '客户电话' }],
    ['en', ['Customer number', 'Customer Name', 'customer_phone'], { code: 'Customer number', name: 'Customer Name', phone: 'customer_phone' }],
  ])('%s: the entity’s label before a field’s label names that field', async (_language, header, expected) => {
    const file = path.join(dir, `${_language}.csv`);
    await writeFile(file, `${header.join(',')}\r\nC-1,杭州西湖食品批发部,0571-87654321\r\n`);
    const id = await upload(server, file, `${_language}.csv`);
    const res = await server.post<any>('/api/import/suggest', { upload: id, entity: 'customer' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.suggested).toEqual(expected);
    expect(res.body.unmapped).toEqual({});
  });
});
