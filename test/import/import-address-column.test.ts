// An ERP's customer list has one 地址 cell per customer. An address field's value has parts (street,
// city, …), which one cell's text does not tell apart, so the suggestion leaves the column out — but
// it said why in words meant for people and links ("names or titles … map it by hand to ids"), and a
// column mapped to the field anyway was refused with "cannot be read as a address value … import the
// values from JSON Lines": neither named the way that works, a transform building the parts. Both
// say it now, with the column's own transform, in the reader's language; that transform imports.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, upload } from './support.ts';

let server: TestServer;
let file: string;
const customers = [['杭州西湖食品批发部', '浙江省杭州市西湖区文三路100号'], ['苏州平江副食品商行', '江苏省苏州市姑苏区平江路8号']];

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'customer', label: { en: 'Customer', zh: '客户' }, titleField: 'name', fields: { name: { type: 'text', label: { en: 'Name', zh: '客户名称' }, required: true }, address: { type: 'address', label: { en: 'Address', zh: '地址' } } } },
  ]);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  file = path.join(await mkdtemp(path.join(os.tmpdir(), 'crm-address-')), 'customers.csv');
  await writeFile(file, ['客户名称,地址', ...customers.map((c) => c.join(','))].join('\r\n') + '\r\n');
}, 120_000);
afterAll(async () => server?.close());

const transform = '{"street": `地址`}';

describe('an address in one cell', () => {
  it('is left out by the suggestion, saying which transform imports it (en and zh)', async () => {
    const id = await upload(server, file, 'customers.csv');
    const en = await server.post<any>('/api/import/suggest', { upload: id, entity: 'customer' });
    expect(en.status, JSON.stringify(en.body)).toBe(200);
    expect(en.body.unmapped['地址']).toBe(`Address has parts (street, city, region, postalCode, country) that one cell does not tell apart: to import it, pick this field and add a transform that builds them, such as ${transform}`);
    const zh = await server.post<any>('/api/import/suggest', { upload: id, entity: 'customer' }, { 'accept-language': 'zh' });
    expect(zh.body.unmapped['地址']).toBe(`「地址」由多个部分组成（street, city, region, postalCode, country），单个单元格无法区分：如需导入，请选择此字段并添加构建各部分的转换，例如 ${transform}`);
  });

  it('mapped without a transform, is refused naming the transform; with it, imports', async () => {
    const id = await upload(server, file, 'customers.csv');
    const refused = await runJob(server, { upload: id, mapping: { name: 'address-plain', targets: [{ entity: 'customer', columns: { name: '客户名称', address: '地址' } }] }, mode: 'dryRun' });
    expect(refused.counts.rejected).toBe(customers.length);
    const rows = await rejectedRows(server, refused.id);
    expect(rows[0].issues[0]).toMatchObject({ column: '地址', field: 'address', reason: `"${customers[0]![1]}" is one text, but Address has parts (street, city, region, postalCode, country): add a transform that builds them, such as ${transform}` });
    const job = await runJob(server, { upload: id, mapping: { name: 'address-street', targets: [{ entity: 'customer', columns: { name: '客户名称', address: '地址' }, transforms: { address: transform } }] }, mode: 'allOrNothing' });
    expect(job.counts).toMatchObject({ created: customers.length, rejected: 0 });
    const stored = (await server.get<any>('/api/data/customer?limit=100')).body.items;
    expect(stored.map((c: any) => [c.name, c.address]).sort()).toEqual(customers.map(([name, street]) => [name, { street }]).sort());
  });
});
