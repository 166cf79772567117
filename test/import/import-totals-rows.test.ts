// A spreadsheet kept by hand or exported from an old system carries rows that are no data: a title
// above the header, blank spacer rows, a "小计" (subtotal) below each group, a "合计" (grand total) at
// the bottom and a note under it. The totals rows were imported as customers named "小计"/"合计" (or
// refused with a confusing reason). A workbook's totals row is told by its formulas — numbers that
// aggregate their own column above (=SUBTOTAL(9,C4:C6), =SUM(C4:C11)), whatever its label's language —
// and left out: listed in the dry run's and the job's report with the formula, counted apart from the
// rejected rows; one-cell notes below the last totals row are left out too, blank rows counted. A
// row's own formula over other columns (=C5*2) or a plain number keeps a row a row. A CSV holds no
// formulas: its "合计" row is refused by its own validation, the reason being the real one.

import ExcelJS from 'exceljs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, upload } from './support.ts';

let server: TestServer;
let dir: string;
const header = ['客户名称', '区域', '年销售额', '备注'];
const groups: [string, [string, number][]][] = [
  ['华东', [['杭州西湖食品批发部', 1200], ['苏州平江副食品商行', 800], ['南京鼓楼日杂公司', 450]]],
  ['华南', [['广州越秀粮油店', 300], ['海口龙华批发', 150]]],
];
const customers = groups.flatMap(([region, rows]) => rows.map(([name, sales]) => ({ name, region, sales })));
const mapping = { name: 'totals', targets: [{ entity: 'customer', columns: { name: '客户名称', region: '区域', sales: '年销售额', note: '备注' } }] };

/**
 * The sheet as a person keeps it — a title and a blank row above the header; under each group a
 * subtotal row (its SUBTOTAL written as Excel writes it, with the value it shows); a blank row
 * between the groups; the grand total, a blank row and a note at the bottom — and the rows each is on.
 */
async function keptByHand(file: string) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('客户清单');
  sheet.addRow(['2025年客户清单']);
  sheet.mergeCells('A1:D1');
  sheet.addRow([]);
  sheet.addRow(header);
  const subtotals: { row: number; formula: string }[] = [];
  let first = 0;
  for (const [g, [region, rows]] of groups.entries()) {
    const from = sheet.rowCount + 1;
    first ||= from;
    for (const [name, sales] of rows) sheet.addRow([name, region, sales, '']);
    const to = sheet.rowCount;
    const formula = `SUBTOTAL(9,C${from}:C${to})`;
    const row = sheet.addRow([`${region} 小计`, '', { formula, result: rows.reduce((s, [, n]) => s + n, 0) }]).number;
    subtotals.push({ row, formula });
    if (g < groups.length - 1) sheet.addRow([]);
  }
  const last = sheet.rowCount;
  const grand = `SUM(C${first}:C${last})`;
  // The grand total counts the customers in column B too (its own column as well).
  const total = sheet.addRow(['合计', { formula: `COUNTA(B${first}:B${last})`, result: customers.length }, { formula: grand, result: customers.reduce((s, c) => s + c.sales, 0) }]).number;
  sheet.addRow([]);
  const note = sheet.addRow(['数据截至 2025-06-30']).number;
  await book.xlsx.writeFile(file);
  // The row's first aggregate (left to right) names it.
  return { headerRow: 3, subtotals, total: { row: total, formula: `COUNTA(B${first}:B${last})`, column: 'B' }, note };
}

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'customer', label: { en: 'Customer', zh: '客户' }, titleField: 'name', fields: { name: { type: 'text', label: { zh: '客户名称' }, required: true }, region: { type: 'text', label: { zh: '区域' }, required: true }, sales: { type: 'number', label: { zh: '年销售额' } }, note: { type: 'text', label: { zh: '备注' } } } },
  ]);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-totals-'));
}, 120_000);
afterAll(async () => server?.close());

describe('a workbook with totals rows, a title, blank rows and a note', () => {
  it('imports the customers alone: the totals rows and the note are listed with why, counted apart; the blank rows counted', async () => {
    const file = path.join(dir, '客户清单.xlsx');
    const sheet = await keptByHand(file);
    const id = await upload(server, file, '客户清单.xlsx');

    const suggested = await server.post<any>('/api/import/suggest', { upload: id, entity: 'customer' });
    expect(suggested.status, JSON.stringify(suggested.body)).toBe(200);
    expect(suggested.body.columns).toEqual(header);
    expect(suggested.body.headerLine).toBe(sheet.headerRow);
    expect(suggested.body.preview.map((r: any) => r.values['客户名称'])).toEqual(customers.map((c) => c.name));

    const totalsReason = (formula: string, column = 'C') => `a totals row (formula =${formula} in column ${column})`;
    const listed = [
      ...sheet.subtotals.map((s) => ({ line: s.row, reason: totalsReason(s.formula) })),
      { line: sheet.total.row, reason: totalsReason(sheet.total.formula, sheet.total.column) },
      { line: sheet.note, reason: 'a note below the totals row ("数据截至 2025-06-30")' },
    ];
    // Blank rows between the data: the one between the groups and the one above the note (not the one above the header).
    const blank = 2;

    const dry = await runJob(server, { upload: id, mapping, mode: 'dryRun' });
    expect(dry.status, JSON.stringify(dry)).toBe('done');
    expect(dry.counts).toMatchObject({ rows: customers.length, created: customers.length, rejected: 0, totals: listed.length, blank });
    expect(dry.skippedRows).toEqual(listed);
    expect(dry.source.headerLine).toBe(sheet.headerRow);
    // The notice counts them; which ones is skippedRows' to say (the studio showed each row twice).
    expect(dry.notices).toContain(`${listed.length} row(s) not imported: totals rows (their numbers are formulas over the rows above) and notes below them`);
    expect(dry.notices.join('\n')).not.toContain(`line ${listed[0]!.line}`);
    expect(await rejectedRows(server, dry.id)).toEqual([]);

    const job = await runJob(server, { upload: id, mapping, mode: 'allOrNothing' });
    expect(job.status, JSON.stringify(job)).toBe('done');
    expect(job.counts).toMatchObject({ rows: customers.length, created: customers.length, rejected: 0, totals: listed.length, blank });
    expect(job.skippedRows).toEqual(listed);
    const stored = (await server.get<any>('/api/data/customer?limit=100')).body.items;
    expect(stored.map((c: any) => [c.name, c.region, c.sales]).sort()).toEqual(customers.map((c) => [c.name, c.region, c.sales]).sort());

    // The reader's language: the same job read in Chinese.
    const zh = await server.get<any>(`/api/import/jobs/${job.id}`, { 'accept-language': 'zh' });
    expect(zh.body.skippedRows[0]).toEqual({ line: sheet.subtotals[0]!.row, reason: `合计行（C 列的公式 =${sheet.subtotals[0]!.formula}）` });
    expect(zh.body.skippedRows.at(-1)).toEqual({ line: sheet.note, reason: '合计行下方的备注（「数据截至 2025-06-30」）' });
  });

  it('keeps a row whose formula is over other columns, or whose numbers are plain, and a one-cell row between data rows', async () => {
    const file = path.join(dir, 'formulas.xlsx');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('客户');
    sheet.addRow(header);
    sheet.addRow(['杭州西湖食品批发部', '华东', 1200, '']);
    // A row's own computation (twice column C of its row; a SUM across its own row): data.
    sheet.addRow(['苏州平江副食品商行', '华东', { formula: 'C2*2', result: 2400 }, '']);
    sheet.addRow(['南京鼓楼日杂公司', '华东', { formula: 'SUM(C3:C3)+0', result: 2400 }, '']);
    // A subtotal, then a one-cell row and a full row below it: the one-cell row is a customer.
    sheet.addRow(['小计', '', { formula: 'SUM(C2:C4)', result: 6000 }]);
    sheet.addRow(['广州越秀粮油店']);
    sheet.addRow(['海口龙华批发', '华南', 150, '']);
    // A "合计" with a plain number (typed by hand): a row, refused by its own validation.
    sheet.addRow(['合计', '', 6150, '']);
    await book.xlsx.writeFile(file);
    const id = await upload(server, file, 'formulas.xlsx');
    const dry = await runJob(server, { upload: id, mapping, mode: 'dryRun' });
    expect(dry.counts, JSON.stringify(dry)).toMatchObject({ rows: 6, totals: 1, blank: 0 });
    expect(dry.skippedRows).toEqual([{ line: 5, reason: 'a totals row (formula =SUM(C2:C4) in column C)' }]);
    const rejected = await rejectedRows(server, dry.id);
    // 广州越秀粮油店 has no region; 合计 has none either: each refused for what it lacks.
    expect(rejected.map((r) => [r.line, r.issues.map((i: any) => i.field)])).toEqual([[6, ['region']], [8, ['region']]]);
  });
});

describe('a totals row Excel wrote as one formula shared along the row', () => {
  it('is a totals row: the shared formula\u2019s later cells hold no text of their own', async () => {
    const file = path.join(dir, 'shared.xlsx');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('客户');
    sheet.addRow(['客户名称', '区域', '年销售额', '上年销售额']);
    sheet.addRow(['杭州西湖食品批发部', '华东', 1200, 1100]);
    sheet.addRow(['苏州平江副食品商行', '华东', 800, 900]);
    // As Excel saves a SUM dragged from C4 to D4: <f t="shared" ref="C4:D4" si="0">SUM(C2:C3)</f>, then <f t="shared" si="0"/>.
    sheet.addRow(['Total', '', { formula: 'SUM(C2:C3)', result: 2000, shareType: 'shared', ref: 'C4:D4' }, { sharedFormula: 'C4', result: 2000 }]);
    await book.xlsx.writeFile(file);
    const id = await upload(server, file, 'shared.xlsx');
    const job = await runJob(server, { upload: id, mapping: { name: 'shared', targets: [{ entity: 'customer', columns: { name: '客户名称', region: '区域', sales: '年销售额' } }] }, mode: 'dryRun' });
    expect(job.counts, JSON.stringify(job)).toMatchObject({ rows: 2, created: 2, rejected: 0, totals: 1 });
    expect(job.skippedRows).toEqual([{ line: 4, reason: 'a totals row (formula =SUM(C2:C3) in column C)' }]);
  });
});

describe('a CSV with a 合计 row', () => {
  it('refuses it by its own validation, saying what it lacks in the reader\u2019s language', async () => {
    const file = path.join(dir, '客户清单.csv');
    const lines = [header.join(','), ...customers.map((c) => [c.name, c.region, c.sales, ''].join(',')), '', `合计,,${customers.reduce((s, c) => s + c.sales, 0)},`];
    await writeFile(file, lines.join('\r\n') + '\r\n');
    const id = await upload(server, file, '客户清单.csv');
    const dry = await runJob(server, { upload: id, mapping, mode: 'dryRun' });
    expect(dry.counts, JSON.stringify(dry)).toMatchObject({ rows: customers.length + 1, created: customers.length, rejected: 1, totals: 0, blank: 1 });
    const rejected = await rejectedRows(server, dry.id);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ line: lines.length, row: { 客户名称: '合计' } });
    expect(rejected[0].issues).toEqual([expect.objectContaining({ field: 'region', column: '区域' })]);
    const en = rejected[0].issues[0].reason as string;
    const zh = (await server.get<any>(`/api/import/jobs/${dry.id}/rows?limit=10`, { 'accept-language': 'zh' })).body.items[0].issues[0].reason as string;
    expect([en, zh]).toEqual(['is required', '必填']);
  });
});
