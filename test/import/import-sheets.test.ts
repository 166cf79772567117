// A workbook with a cover sheet, "Accounts" and "Contacts" (written here with exceljs): the
// suggestion lists its sheets in workbook order and reads the first with rows, or the sheet asked
// for; a sheet it does not have is a 400 naming /sheet; a job reads the mapping's sheet. A CSV
// upload's suggestion has no sheets.

import ExcelJS from 'exceljs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from './support.ts';

let server: TestServer;
let dir: string;
let workbook: string;
const accounts = [['Acme', 'Berlin'], ['Globex', 'Paris']];
const contacts = [['Ada', 'ada@acme.test'], ['Bob', 'bob@acme.test'], ['Cy', 'cy@globex.test']];

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'contact', label: 'Contact', titleField: 'name', fields: { name: { type: 'text', required: true }, email: { type: 'email', unique: true } } },
  ]);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-sheets-'));
  workbook = path.join(dir, 'crm.xlsx');
  const book = new ExcelJS.Workbook();
  // A cover sheet: a title and a line of text, no rows below a header.
  const cover = book.addWorksheet('Read me');
  cover.addRow(['Export of the old CRM']);
  book.addWorksheet('Accounts').addRows([['Company', 'City'], ...accounts]);
  book.addWorksheet('Contacts').addRows([['Full name', 'E-mail'], ...contacts]);
  await book.xlsx.writeFile(workbook);
}, 120_000);
afterAll(async () => server?.close());

describe('suggest and import a sheet of a workbook', () => {
  it('lists the sheets in order and reads the first with rows', async () => {
    const id = await upload(server, workbook, 'crm.xlsx');
    const res = await server.post<any>('/api/import/suggest', { upload: id, entity: 'contact' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.sheets).toEqual(['Read me', 'Accounts', 'Contacts']);
    expect(res.body.sheet).toBe('Accounts');
    expect(res.body.columns).toEqual(['Company', 'City']);
    expect(res.body.preview.map((r: any) => r.values.Company)).toEqual(accounts.map((r) => r[0]));
  });

  it('reads the sheet asked for', async () => {
    const id = await upload(server, workbook, 'crm.xlsx');
    const res = await server.post<any>('/api/import/suggest', { upload: id, entity: 'contact', sheet: 'Contacts' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ sheets: ['Read me', 'Accounts', 'Contacts'], sheet: 'Contacts', columns: ['Full name', 'E-mail'], suggested: { email: 'E-mail' } });
    expect(res.body.preview.map((r: any) => r.values['Full name'])).toEqual(contacts.map((r) => r[0]));
  });

  it('refuses a sheet the workbook does not have, naming /sheet and its sheets in the caller\u2019s language', async () => {
    const id = await upload(server, workbook, 'crm.xlsx');
    const en = await server.post<any>('/api/import/suggest', { upload: id, entity: 'contact', sheet: 'Deals' });
    expect(en.status).toBe(400);
    expect(en.body.error.details).toEqual([expect.objectContaining({ path: '/sheet', message: expect.stringContaining('"Read me", "Accounts", "Contacts"') })]);
    const zh = await server.post<any>('/api/import/suggest', { upload: id, entity: 'contact', sheet: 'Deals' }, { 'accept-language': 'zh-CN' });
    expect(zh.status).toBe(400);
    expect(zh.body.error.message).toContain('工作簿中没有工作表「Deals」');
    expect(zh.body.error.details).toEqual([expect.objectContaining({ path: '/sheet', message: expect.stringContaining('「Read me」、「Accounts」、「Contacts」') })]);
    const notText = await server.post<any>('/api/import/suggest', { upload: id, entity: 'contact', sheet: 3 }, { 'accept-language': 'zh' });
    expect(notText.status).toBe(400);
    expect(notText.body.error.details).toEqual([{ path: '/sheet', message: '必须是该工作簿中某个工作表的名称' }]);
  });

  it('imports the rows of the mapping\u2019s sheet', async () => {
    const id = await upload(server, workbook, 'crm.xlsx');
    const mapping = { name: 'contacts-sheet', sheet: 'Contacts', targets: [{ entity: 'contact', key: ['email'], columns: { name: 'Full name', email: 'E-mail' } }] };
    const job = await runJob(server, { upload: id, mapping, mode: 'validOnly' });
    expect(job).toMatchObject({ status: 'done', counts: { rows: contacts.length, created: contacts.length, rejected: 0 }, source: { sheet: 'Contacts', columns: ['Full name', 'E-mail'] } });
    const stored = (await server.get<any>('/api/data/contact?limit=100')).body.items;
    expect(stored.map((c: any) => [c.name, c.email]).sort()).toEqual([...contacts].sort());
  });

  it('answers a CSV upload without sheets', async () => {
    const csv = path.join(dir, 'contacts.csv');
    await writeFile(csv, 'Full name,E-mail\nAda,ada@acme.test\n');
    const res = await server.post<any>('/api/import/suggest', { upload: await upload(server, csv, 'contacts.csv'), entity: 'contact' });
    expect(res.status).toBe(200);
    expect(res.body.columns).toEqual(['Full name', 'E-mail']);
    expect(res.body).not.toHaveProperty('sheets');
    expect(res.body).not.toHaveProperty('sheet');
  });
});
