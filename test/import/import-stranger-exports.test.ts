// Exports other systems write, driven through the real HTTP API as a migrating customer would
// send them: a Salesforce-style contacts CSV (12-hour "Last Modified Date", multi-line quoted
// notes, a repeated header, empty trailing columns) and a Chinese shop's CSV saved by Excel
// (GB18030, amounts with the full-width yuan sign ￥ as Chinese input methods type it).

import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, upload } from './support.ts';

let server: TestServer;
let dir: string;

async function put(name: string, data: Buffer | string) {
  const file = path.join(dir, name);
  await writeFile(file, data);
  return upload(server, file, name);
}

async function byExtId(extId: string) {
  return (await server.get<any>('/api/data/contact?filter=' + encodeURIComponent(JSON.stringify({ extId })))).body.items[0];
}

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'stranger-'));
  const res = await server.put('/api/meta/entities/contact', {
    kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'lastName',
    fields: {
      extId: { type: 'text', unique: true, label: { en: 'Contact ID', zh: '联系人编号' } },
      firstName: { type: 'text', label: { en: 'First Name', zh: '名' } },
      lastName: { type: 'text', required: true, label: { en: 'Last Name', zh: '姓' } },
      notes: { type: 'textarea', label: { en: 'Description', zh: '备注' } },
      modifiedAt: { type: 'datetime', label: { en: 'Last Modified Date', zh: '最后修改' } },
      amount: { type: 'currency', currency: 'CNY', label: { en: 'Amount', zh: '金额' } },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}, 120_000);
afterAll(async () => server?.close());

describe('a Salesforce-style contacts export', () => {
  it('reads its 12-hour "Last Modified Date" (5:04 PM, 12:00 AM) in the declared order and zone', async () => {
    const csv = '"Contact ID","First Name","Last Name","Description","Last Modified Date","Description",,\r\n'
      + '"003A1","Ann","O\'Neil","Line one\r\nline ""two""","12/31/2025 5:04 PM","second",,\r\n'
      + '"003A2","Bob","Lee","","1/2/2026 12:00 AM","",,\r\n'
      + '"003A3","Cy","Noon","","1/2/2026 12:30 pm","",,\r\n'
      + '"003A4","Dee","Bad","","1/2/2026 13:30 PM","",,\r\n';
    const up = await put('sf-contacts.csv', csv);
    const suggested = await server.post<any>('/api/import/suggest', { upload: up, entity: 'contact' });
    expect(suggested.body.suggested).toMatchObject({ extId: 'Contact ID', modifiedAt: 'Last Modified Date', notes: 'Description' });
    const job = await runJob(server, { upload: up, mapping: { name: 'sf', dateOrder: 'MDY', timeZone: 'America/Los_Angeles', targets: [{ entity: 'contact', key: ['extId'], columns: suggested.body.suggested }] }, mode: 'validOnly' });
    expect(job.counts).toMatchObject({ rows: 4, created: 3, rejected: 1 });
    // Los Angeles is eight hours behind UTC in winter: the wall-clock times, plus eight hours.
    const utc = (wall: string) => new Date(Date.parse(`${wall}Z`) + 8 * 3600_000).toISOString();
    expect((await byExtId('003A1')).modifiedAt).toBe(utc('2025-12-31T17:04:00'));
    expect((await byExtId('003A2')).modifiedAt).toBe(utc('2026-01-02T00:00:00'));
    expect((await byExtId('003A3')).modifiedAt).toBe(utc('2026-01-02T12:30:00'));
    expect((await byExtId('003A1')).notes).toBe('Line one\r\nline "two"');
    const rows = await rejectedRows(server, job.id);
    expect(rows.map((r) => [r.line, r.issues[0].column])).toEqual([[6, 'Last Modified Date']]);
    expect(rows[0].issues[0].reason).toContain('12-hour clock');
  });
});

describe('a JSON Lines export with nested objects and nulls', () => {
  it('says a nested object or list is no single value and how to take one of its keys; a transform does', async () => {
    const text = [
      { id: 'J1', name: { first: 'Jo', last: 'Nest' }, tags: ['a', 'b'] },
      { id: 'J2', name: { first: null, last: 'Null' }, tags: null },
      { id: 'J3', name: 'Flat', tags: [] },
    ].map((o) => JSON.stringify(o)).join('\n') + '\n';
    const up = await put('nested.jsonl', text);
    const job = await runJob(server, { upload: up, mapping: { name: 'nested', targets: [{ entity: 'contact', key: ['extId'], columns: { extId: 'id', lastName: 'name', notes: 'tags' } }] }, mode: 'dryRun' });
    expect(job.counts).toMatchObject({ rows: 3, created: 0, rejected: 3 });
    const rows = await rejectedRows(server, job.id);
    expect(rows.map((r) => [r.line, r.issues.map((i: any) => [i.column, i.reason])])).toEqual([
      [1, [['name', 'is a nested object in the file, not one value: map one of its keys with a transform (such as name.first)'], ['tags', 'is a nested list in the file, not one value: map one of its items with a transform (such as tags[0])']]],
      [2, [['name', 'is a nested object in the file, not one value: map one of its keys with a transform (such as name.first)']]],
      [3, [['tags', 'is a nested list in the file, not one value: map one of its items with a transform (such as tags[0])']]],
    ]);
    const zh = await server.get<any>(`/api/import/jobs/${job.id}/rows`, { 'accept-language': 'zh' });
    expect(zh.body.items[0].issues[0].reason).toBe('在文件中是嵌套的对象，不是单个值：请用转换映射其中的一个键（例如 name.first）');
    const taken = await runJob(server, { upload: up, mapping: { name: 'nested', targets: [{ entity: 'contact', key: ['extId'], columns: { extId: 'id' }, transforms: { lastName: 'name.last ? name.last : name', notes: 'tags ? $join(tags, ", ")' } }] }, mode: 'validOnly' });
    expect(taken.counts).toMatchObject({ rows: 3, created: 3, rejected: 0 });
    expect((await byExtId('J1'))).toMatchObject({ lastName: 'Nest', notes: 'a, b' });
    expect((await byExtId('J3')).lastName).toBe('Flat');
  });
});

describe('columns without a name', () => {
  it('are not offered as nameless columns; one holding values is said to be left unread, in CSV and XLSX alike', async () => {
    const csv = 'Contact ID,Last Name,,Amount,,\r\nN1,Nash,stray note,12,,\r\nN2,Nye,,13,,\r\n';
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Contacts');
    ws.addRow(['Contact ID', 'Last Name', null, 'Amount']);
    ws.addRow(['N3', 'Noor', 'stray note', 14]);
    ws.addRow(['N4', 'Nell', null, 15]);
    const file = path.join(dir, 'unnamed.xlsx');
    await wb.xlsx.writeFile(file);
    for (const up of [await put('unnamed.csv', csv), await upload(server, file, 'unnamed.xlsx')]) {
      const suggested = await server.post<any>('/api/import/suggest', { upload: up, entity: 'contact' });
      expect(suggested.body.columns).toEqual(['Contact ID', 'Last Name', 'Amount']);
      expect(Object.keys(suggested.body.unmapped)).toEqual([]);
      const job = await runJob(server, { upload: up, mapping: { name: 'unnamed', targets: [{ entity: 'contact', key: ['extId'], columns: suggested.body.suggested }] }, mode: 'validOnly' });
      expect(job.counts).toMatchObject({ rows: 2, created: 2, rejected: 0 });
      expect(job.source.columns).toEqual(['Contact ID', 'Last Name', 'Amount']);
      expect(job.notices).toContain('column 3 has no name in the header: its values are not read (name it to import them)');
      expect(job.notices.filter((n: string) => n.includes('no name'))).toHaveLength(1);
      const zh = await server.get<any>(`/api/import/jobs/${job.id}`, { 'accept-language': 'zh' });
      expect(zh.body.notices).toContain('第 3 列在表头中没有名称：其值不会被读取（为其命名后才能导入）');
    }
    expect((await byExtId('N3')).amount).toBe(14);
  });
});

describe('a Chinese shop export saved by Excel', () => {
  it('reads amounts written with the full-width yuan sign ￥ into a CNY field, not as another currency', async () => {
    const text = '联系人编号,姓,金额\r\nC1,王,"¥1,234.50"\r\nC2,李,"￥88"\r\nC3,张,"￥1,000.05"\r\nC4,赵,"＄5"\r\n';
    const up = await put('shop.csv', iconv.encode(text, 'gb18030'));
    const job = await runJob(server, { upload: up, mapping: { name: 'shop', targets: [{ entity: 'contact', key: ['extId'], columns: { extId: '联系人编号', lastName: '姓', amount: '金额' } }] }, mode: 'validOnly' });
    expect(job.counts).toMatchObject({ rows: 4, created: 3, rejected: 1 });
    expect((await byExtId('C2')).amount).toBe(88);
    expect((await byExtId('C3')).amount).toBe(1000.05);
    // A full-width dollar sign is still a dollar: refused, never read as yuan.
    const rows = await rejectedRows(server, job.id);
    expect(rows.map((r) => [r.line, r.issues[0].column])).toEqual([[5, '金额']]);
    expect(rows[0].issues[0].reason).toContain('another currency');
  });
});
