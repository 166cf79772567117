// An ERP's contact sheet merges a customer's cell down over its contacts' rows: Excel shows the
// customer on each, the file holds it in the merge's first cell alone. Read as stored, every contact
// after the first had no customer ("required") though the user sees one. A merged cell's value is read
// in each data row it spans, said in the job's notices; a merged title above the header stays a title.
// A report's section heading between the data rows (华东区: one cell merged across the row) was read
// as a record with the heading in every column; it is left out, and said.

import ExcelJS from 'exceljs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from './support.ts';

let server: TestServer;
let workbook: string;
let sectioned: string;
// Data rows under two section headings; a data row's own merge (a note over two columns) is no heading.
const sections: [string, string[][]][] = [
  ['华东区', [['周建国', '南京鼓楼日杂公司', '总经理'], ['吴丽', '上海静安副食品', '采购主管']]],
  ['华南区（含海南）', [['黄敏', '广州天河粮油', '财务'], ['林涛', '海口龙华批发', '采购']]],
];
const contacts = [
  ['周建国', '南京鼓楼日杂公司', '总经理'],
  ['吴丽', '南京鼓楼日杂公司', '采购主管'],
  ['钱芳', '南京鼓楼日杂公司', '采购主管'],
  ['郑强', '成都锦江调味品批发', '财务'],
];

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'person', label: { en: 'Person', zh: '联系人' }, titleField: 'name', fields: { name: { type: 'text', label: { zh: '姓名' }, required: true }, company: { type: 'text', label: { zh: '所属客户' }, required: true }, title: { type: 'text', label: { zh: '职务' } } } },
  ]);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'crm-merged-'));
  workbook = path.join(dir, 'contacts.xlsx');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('联系人');
  sheet.addRow(['联系人名单（导出于 2024-05-01）']);
  sheet.mergeCells('A1:C1');
  sheet.addRow(['姓名', '所属客户', '职务']);
  // The customer written once per company, its cell merged down over the company's rows (3 to 5).
  contacts.forEach((c, i) => sheet.addRow([c[0], i === 0 || c[1] !== contacts[i - 1]![1] ? c[1] : null, c[2]]));
  sheet.mergeCells('B3:B5');
  await book.xlsx.writeFile(workbook);
  sectioned = path.join(dir, 'sections.xlsx');
  const report = new ExcelJS.Workbook();
  const byRegion = report.addWorksheet('按区域');
  byRegion.addRow(['姓名', '所属客户', '职务']);
  for (const [heading, people] of sections) {
    const at = byRegion.addRow([heading]).number;
    byRegion.mergeCells(`A${at}:C${at}`);
    for (const p of people) byRegion.addRow(p);
  }
  await report.xlsx.writeFile(sectioned);
}, 120_000);
afterAll(async () => server?.close());

describe('merged cells of a workbook', () => {
  it('reads a merged cell’s value in every data row it spans; the merged title stays above the header', async () => {
    const id = await upload(server, workbook, 'contacts.xlsx');
    const suggested = await server.post<any>('/api/import/suggest', { upload: id, entity: 'person' });
    expect(suggested.status, JSON.stringify(suggested.body)).toBe(200);
    expect(suggested.body.columns).toEqual(['姓名', '所属客户', '职务']);
    expect(suggested.body.preview.map((r: any) => [r.values['姓名'], r.values['所属客户'], r.values['职务']])).toEqual(contacts);
    const job = await runJob(server, { upload: id, mapping: { name: 'merged', targets: [{ entity: 'person', columns: { name: '姓名', company: '所属客户', title: '职务' } }] }, mode: 'allOrNothing' });
    expect(job.counts, JSON.stringify(job)).toMatchObject({ created: contacts.length, rejected: 0 });
    expect(job.notices).toContain('sheet "联系人": merged cells B3:B5 read as their first cell\u2019s value in each row they span');
    const stored = (await server.get<any>('/api/data/person?limit=100&sort=name')).body.items;
    expect(stored.map((p: any) => [p.name, p.company, p.title]).sort()).toEqual([...contacts].sort());
  });

  it('leaves out a section heading merged across the row between the data rows, and says which', async () => {
    const id = await upload(server, sectioned, 'sections.xlsx');
    const people = sections.flatMap(([, p]) => p);
    const suggested = await server.post<any>('/api/import/suggest', { upload: id, entity: 'person' });
    expect(suggested.status, JSON.stringify(suggested.body)).toBe(200);
    expect(suggested.body.preview.map((r: any) => [r.values['姓名'], r.values['所属客户'], r.values['职务']])).toEqual(people);
    const job = await runJob(server, { upload: id, mapping: { name: 'sections', targets: [{ entity: 'person', columns: { name: '姓名', company: '所属客户', title: '职务' } }] }, mode: 'allOrNothing' });
    expect(job.counts, JSON.stringify(job)).toMatchObject({ rows: people.length, created: people.length, rejected: 0 });
    expect(job.notices).toContain(`sheet "按区域": row(s) 2 ("${sections[0]![0]}"), 5 ("${sections[1]![0]}") are section headings (one merged cell across the row) and were not imported`);
    const names = (await server.get<any>('/api/data/person?limit=100')).body.items.map((p: any) => p.name);
    for (const [heading] of sections) expect(names).not.toContain(heading);
  });
});
