// An XLSX file (written here with exceljs) imported into two entities at once: each row makes or
// finds its account (upsert by name) and a contact pointing at it (lookup by name). Counts come
// from the rows the test wrote.

import ExcelJS from 'exceljs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from './support.ts';

let server: TestServer;
const rows = [
  ['Acme', 'Ada', 'ada@acme.test'],
  ['Acme', 'Bob', 'bob@acme.test'],
  ['Globex', 'Cy', 'cy@globex.test'],
  ['Initech', 'Di', 'di@initech.test'],
  ['Globex', 'Ed', 'ed@globex.test'],
];
const mapping = {
  name: 'accounts-and-contacts',
  targets: [
    { entity: 'account', key: ['name'], columns: { name: 'Company' } },
    { entity: 'contact', key: ['email'], columns: { name: 'Contact', email: 'E-mail', account: 'Company' }, lookups: { account: { by: 'name' } } },
  ],
};

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'account', label: 'Account', titleField: 'name', fields: { name: { type: 'text', required: true, unique: true } } },
    { kind: 'entity', name: 'contact', label: 'Contact', titleField: 'name', fields: { name: { type: 'text', required: true }, email: { type: 'email', unique: true }, account: { type: 'lookup', to: 'account' } } },
  ]);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}, 120_000);
afterAll(async () => server?.close());

describe('XLSX into several entities from one file', () => {
  it('creates each account once and every contact linked to its account', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'crm-xlsx-')), 'people.xlsx');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('People');
    sheet.addRow(['Company', 'Contact', 'E-mail']);
    for (const row of rows) sheet.addRow(row);
    await book.xlsx.writeFile(file);

    const job = await runJob(server, { upload: await upload(server, file, 'people.xlsx'), mapping, mode: 'validOnly' });
    const companies = new Set(rows.map((r) => r[0]));
    expect(job).toMatchObject({ status: 'done', counts: { rows: rows.length, created: companies.size + rows.length, rejected: 0 } });
    const accounts = (await server.get<any>('/api/data/account?limit=100')).body.items;
    expect(accounts.map((a: any) => a.name).sort()).toEqual([...companies].sort());
    const contacts = (await server.get<any>('/api/data/contact?limit=100')).body.items;
    const accountName = new Map(accounts.map((a: any) => [a.id, a.name]));
    expect(contacts.map((c: any) => [c.name, accountName.get(c.account)]).sort()).toEqual(rows.map((r) => [r[1], r[0]]).sort());

    const again = await runJob(server, { upload: await upload(server, file, 'people.xlsx'), mapping, mode: 'validOnly' });
    expect(again.counts).toMatchObject({ created: 0, updated: 0 });
  });
});
