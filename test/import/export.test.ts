// Export over HTTP: the same filter and sort as the list, only fields the caller may read, in CSV,
// XLSX and JSON Lines; formula-like cells neutralized in the spreadsheets, kept as data in JSON
// Lines; a bad filter is a 400 naming it before any byte of a file is sent.

import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const rows = [
  { name: 'Ada', city: 'London', score: 10, secret: 's1' },
  { name: '=HYPERLINK("http://x")', city: 'Paris', score: 20, secret: 's2' },
  { name: '+cmd', city: 'London', score: 30, secret: 's3' },
  { name: '@SUM(A1)', city: 'London', score: 40, secret: 's4' },
  { name: '张三', city: 'Beijing', score: 50, secret: 's5' },
];
const filter = { city: 'London' };
const expected = rows.filter((r) => r.city === filter.city).sort((a, b) => b.score - a.score);

const raw = async (url: string, headers: Record<string, string> = {}) => fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${server.admin!.token}`, ...headers } });
const url = (format: string) => `/api/export/person?format=${format}&sort=-score&filter=${encodeURIComponent(JSON.stringify(filter))}`;

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.put('/api/meta/entities/person', {
    kind: 'entity', name: 'person', label: 'Person', titleField: 'name',
    fields: { name: { type: 'text', required: true }, city: { type: 'text' }, score: { type: 'integer' }, secret: { type: 'text' } },
  });
  expect(res.status).toBe(201);
  const role = await server.put('/api/meta/roles/clerk', { kind: 'role', name: 'clerk', label: 'Clerk', permissions: { person: { read: 'all', fields: { secret: 'hidden' } } } });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  for (const row of rows) expect((await server.post('/api/data/person', row)).status).toBe(201);
}, 120_000);
afterAll(async () => server?.close());

const neutral = (text: string) => (/^[=+\-@]/.test(text) ? `'${text}` : text);

describe('export', () => {
  it('CSV: the list filter and sort, formula-like cells neutralized', async () => {
    const res = await raw(url('csv'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const records = parse(await res.text(), { columns: true, bom: true }) as Record<string, string>[];
    expect(records.map((r) => [r['name'], r['city'], r['score']])).toEqual(expected.map((r) => [neutral(r.name), r.city, String(r.score)]));
  });

  it('XLSX: the same rows, numbers as numbers', async () => {
    const res = await raw(url('xlsx'));
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const column = (name: string) => header.indexOf(name) + 1;
    const got = [];
    for (let i = 2; i <= sheet.rowCount; i++) got.push([sheet.getRow(i).getCell(column('name')).value, sheet.getRow(i).getCell(column('score')).value]);
    expect(got).toEqual(expected.map((r) => [neutral(r.name), r.score]));
  });

  it('JSON Lines: values as they are; only the fields the caller may read', async () => {
    const res = await raw(url('jsonl'));
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.name, l.secret])).toEqual(expected.map((r) => [r.name, r.secret]));

    const clerk = await server.createUser({ email: 'clerk@crm.test', roles: ['clerk'] });
    const { cookie } = await server.userClient(clerk.email, clerk.password);
    const limited = await fetch(`${server.url}${url('jsonl')}`, { headers: { cookie } });
    expect(limited.status).toBe(200);
    const seen = (await limited.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(seen).toHaveLength(expected.length);
    expect(seen.every((l) => !('secret' in l))).toBe(true);
  });

  it('a bad filter or format is a 400 naming it, in the caller language', async () => {
    const bad = await server.get<any>('/api/export/person?format=pdf', { 'accept-language': 'zh-CN' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: '/query/format', message: '必须是 csv、xlsx 或 jsonl' })]);
    const filterBad = await server.get<any>(`/api/export/person?filter=${encodeURIComponent('{"nope":1}')}`);
    expect(filterBad.status).toBe(400);
    expect(JSON.stringify(filterBad.body.error.details)).toContain('nope');
  });
});
