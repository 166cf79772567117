// A desktop ERP's report saved as CSV starts with its title and export date above the header — from
// a sheet, padded with commas to the table's width ("华盛商贸 客户资料,,,"). The CSV reader took the
// first line as the header: the file became one column named by the title and every row was refused
// ("有 3 个字段，而表头有 1 个"). As a workbook's rows already are, the lines above the header are
// skipped (the header is the first line filled at least half as wide as the widest of the first ten),
// said in the job's notices with the header's line; the rows keep their own line numbers.

import iconv from 'iconv-lite';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, upload } from './support.ts';

let server: TestServer;
let file: string;
const customers = [['杭州西湖食品批发部', '0571-87654321', '50,000.00'], ['苏州平江副食品商行', '0512-65231188', 'twelve'], ['广州越秀粮油店', '020-83332211', '0']];
const above = ['华盛商贸有限公司 客户资料,,', '导出日期：2024-05-01,,'];
const header = ['客户名称', '联系电话', '信用额度'];

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'customer', label: { en: 'Customer', zh: '客户' }, titleField: 'name', fields: { name: { type: 'text', label: { zh: '客户名称' }, required: true }, phone: { type: 'text', label: { zh: '联系电话' } }, credit: { type: 'number', label: { zh: '信用额度' } } } },
  ]);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  file = path.join(await mkdtemp(path.join(os.tmpdir(), 'crm-title-lines-')), '客户资料.csv');
  const csv = [...above, header.join(','), ...customers.map(([name, phone, credit]) => [name, phone, credit!.includes(',') ? `"${credit}"` : credit].join(','))].join('\r\n') + '\r\n';
  await writeFile(file, iconv.encode(csv, 'gbk'));
}, 120_000);
afterAll(async () => server?.close());

describe('a CSV with a title above its header', () => {
  it('reads the header below the title lines; the rows keep their line numbers', async () => {
    const id = await upload(server, file, '客户资料.csv');
    const suggested = await server.post<any>('/api/import/suggest', { upload: id, entity: 'customer' });
    expect(suggested.status, JSON.stringify(suggested.body)).toBe(200);
    expect(suggested.body.columns).toEqual(header);
    expect(suggested.body.suggested).toEqual({ name: '客户名称', phone: '联系电话', credit: '信用额度' });
    const job = await runJob(server, { upload: id, mapping: { name: 'title-lines', targets: [{ entity: 'customer', columns: { name: '客户名称', phone: '联系电话', credit: '信用额度' } }] }, mode: 'validOnly' });
    const bad = customers.filter((c) => Number.isNaN(Number(c[2]!.replace(/,/g, ''))));
    expect(job.counts, JSON.stringify(job)).toMatchObject({ rows: customers.length, created: customers.length - bad.length, rejected: bad.length });
    const headerLine = above.length + 1;
    expect(job.notices).toContain(`the header is on line ${headerLine}; ${above.length} line(s) above it were skipped`);
    expect((await rejectedRows(server, job.id)).map((r) => r.line)).toEqual(bad.map((c) => headerLine + 1 + customers.indexOf(c)));
    const stored = (await server.get<any>('/api/data/customer?limit=100')).body.items;
    expect(stored.map((c: any) => [c.name, c.credit]).sort()).toEqual(customers.filter((c) => !bad.includes(c)).map((c) => [c[0], Number(c[2]!.replace(/,/g, ''))]).sort());
  });
});

// What the window must not take for a title: a header narrower than a row whose unquoted commas
// split it into more fields (that row alone was refused before, the rest imported), and a title
// with no delimiter in it above a tab- or semicolon-separated table (the delimiter was sniffed from
// the title line alone: none found, a comma, the file one column).
describe('the header among the first lines', () => {
  const write = async (name: string, text: string) => {
    const at = path.join(await mkdtemp(path.join(os.tmpdir(), 'crm-title-lines-')), name);
    await writeFile(at, text);
    return upload(server, at, name);
  };
  const mapping = (name: string) => ({ name, targets: [{ entity: 'customer', columns: { name: '客户名称', phone: '联系电话' } }] });

  it('stays the first line when a row below it has more fields than it (unquoted commas)', async () => {
    const rows = [['东城粮油', '010-1'], ['西城副食', '010-2, 010-3, 010-4, 010-5'], ['南城商行', '010-6']];
    const id = await write('commas.csv', ['客户名称,联系电话', ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n');
    const suggested = await server.post<any>('/api/import/suggest', { upload: id, entity: 'customer' });
    expect(suggested.body.columns).toEqual(['客户名称', '联系电话']);
    const job = await runJob(server, { upload: id, mapping: mapping('commas'), mode: 'validOnly' });
    const wide = rows.findIndex((r) => r[1]!.includes(','));
    expect(job.counts, JSON.stringify(job)).toMatchObject({ rows: rows.length, created: rows.length - 1, rejected: 1 });
    expect((await rejectedRows(server, job.id)).map((r) => r.line)).toEqual([wide + 2]);
  });

  it('is found below a title with no delimiter in a tab-separated file', async () => {
    const rows = [['北城食品', '010-7'], ['中城批发', '010-8']];
    const above = ['客户资料', '导出日期：2024-05-01'];
    const id = await write('tabs.txt', [...above, '客户名称\t联系电话', ...rows.map((r) => r.join('\t'))].join('\r\n') + '\r\n');
    const suggested = await server.post<any>('/api/import/suggest', { upload: id, entity: 'customer' });
    expect(suggested.body.columns).toEqual(['客户名称', '联系电话']);
    const job = await runJob(server, { upload: id, mapping: mapping('tabs'), mode: 'validOnly' });
    expect(job.counts, JSON.stringify(job)).toMatchObject({ rows: rows.length, created: rows.length, rejected: 0 });
    expect(job.notices).toContain(`the header is on line ${above.length + 1}; ${above.length} line(s) above it were skipped`);
  });

  it('is found below a title of a few cells written without padding, narrower than the table (its creator, its date)', async () => {
    const rows = [['东城粮油', '010-1', '5000'], ['西城副食', '010-2', '8000']];
    // Three cells: at least half as filled as the header's three; the title was taken as the header and every row refused.
    const above = ['华盛商贸 客户资料,导出人：王芳,导出日期：2024-05-01'];
    const id = await write('narrow-title.csv', [...above, '客户名称,联系电话,信用额度,开户银行,备注', ...rows.map((r) => `${r.join(',')},,`)].join('\r\n') + '\r\n');
    const suggested = await server.post<any>('/api/import/suggest', { upload: id, entity: 'customer' });
    expect(suggested.body.columns).toEqual(['客户名称', '联系电话', '信用额度', '开户银行', '备注']);
    const job = await runJob(server, { upload: id, mapping: { name: 'narrow-title', targets: [{ entity: 'customer', columns: { name: '客户名称', phone: '联系电话', credit: '信用额度' } }] }, mode: 'validOnly' });
    expect(job.counts, JSON.stringify(job)).toMatchObject({ rows: rows.length, created: rows.length, rejected: 0 });
    expect(job.notices).toContain(`the header is on line ${above.length + 1}; ${above.length} line(s) above it were skipped`);
  });

  it('stays the first line when every row below it ends in a delimiter it does not have (a narrower header, as filled as any row)', async () => {
    const rows = [['北城粮油', '010-11'], ['南城副食', '010-12']];
    const id = await write('trailing.csv', ['客户名称,联系电话', ...rows.map((r) => `${r.join(',')},`)].join('\r\n') + '\r\n');
    const suggested = await server.post<any>('/api/import/suggest', { upload: id, entity: 'customer' });
    expect(suggested.body.columns).toEqual(['客户名称', '联系电话']);
  });

  it('of one column is read as one column, a value holding a semicolon alike', async () => {
    const names = ['甲;乙联营商行', '丙商行'];
    const id = await write('names.csv', ['客户名称', ...names].join('\r\n') + '\r\n');
    const job = await runJob(server, { upload: id, mapping: { name: 'names', targets: [{ entity: 'customer', columns: { name: '客户名称' } }] }, mode: 'validOnly' });
    expect(job.counts, JSON.stringify(job)).toMatchObject({ rows: names.length, created: names.length, rejected: 0 });
  });

  it('reports a broken line among the first rows on its own line, though a later row holds a multi-line note', async () => {
    // Lines 2–3 and 5–6 are one row each (a note spanning two CRLF lines); line 4's stray quote makes it unreadable.
    const text = ['客户名称,联系电话', '甲商行,"010-1\r\n分机 7"', '乙商行,010"-2"x', '丙商行,"010-3\r\n分机 8"', '丁商行,010-4'].join('\r\n') + '\r\n';
    const id = await write('note.csv', text);
    const job = await runJob(server, { upload: id, mapping: mapping('note'), mode: 'validOnly' });
    expect(job.counts, JSON.stringify(job)).toMatchObject({ rows: 4, created: 3, rejected: 1 });
    expect((await rejectedRows(server, job.id)).map((r) => r.line)).toEqual([4]);
  });
});
