// Files as a migrating customer's old systems write them, made here byte by byte: a CSV saved by
// Excel on Chinese Windows (GB18030/GBK), UTF-16 with tabs, a file in an encoding nobody reads
// (refused, naming the byte — never imported as mojibake), CRLF rows with multi-line quoted notes
// (the reported line is the row's first), columns named alike (both kept), and a workbook whose
// data sits on its second sheet below a title banner (read from its header; a missing sheet and a
// file that is no workbook answered in words, not a 500).

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

const columns = { extId: '外部编号', subject: '主题', priority: '优先级' };
const mapping = (extra: Record<string, unknown> = {}, cols: Record<string, string> = columns) => ({ name: 'tickets', ...extra, targets: [{ entity: 'ticket', key: ['extId'], columns: cols }] });

async function put(name: string, data: Buffer | string) {
  const file = path.join(dir, name);
  await writeFile(file, data);
  return upload(server, file, name);
}

async function subjects() {
  const res = await server.get<any>('/api/data/ticket?limit=100&sort=extId');
  return Object.fromEntries(res.body.items.map((r: any) => [r.extId, r.subject]));
}

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'foreignfiles-'));
  const res = await server.put('/api/meta/entities/ticket', {
    kind: 'entity', name: 'ticket', label: { en: 'Ticket', zh: '工单' }, titleField: 'subject',
    fields: {
      extId: { type: 'text', label: { en: 'External ID', zh: '外部编号' }, unique: true },
      subject: { type: 'text', label: { en: 'Subject', zh: '主题' }, required: true },
      description: { type: 'textarea', label: { en: 'Description', zh: '问题描述' } },
      notes: { type: 'textarea', label: { en: 'Notes', zh: '备注' } },
      priority: { type: 'picklist', label: { en: 'Priority', zh: '优先级' }, required: true, options: { low: { label: { en: 'Low', zh: '低' } }, high: { label: { en: 'High', zh: '高' } } } },
    },
  });
  expect(res.status).toBe(201);
}, 120_000);
afterAll(async () => server?.close());

describe('text encodings', () => {
  it('reads a GB18030 (GBK) CSV as Chinese and says so', async () => {
    const up = await put('gbk.csv', iconv.encode('外部编号,主题,优先级\r\nG1,服务器宕机,高\r\nG2,打印机卡纸,低\r\n', 'gbk'));
    const suggested = await server.post<any>('/api/import/suggest', { upload: up, entity: 'ticket' });
    expect(suggested.body.suggested).toEqual(columns);
    const job = await runJob(server, { upload: up, mapping: mapping(), mode: 'validOnly' });
    expect(job).toMatchObject({ status: 'done', counts: { created: 2, rejected: 0 }, source: { encoding: 'GB18030 (GBK)' } });
    expect(job.notices.join(' ')).toContain('GB18030');
    expect(await subjects()).toMatchObject({ G1: '服务器宕机', G2: '打印机卡纸' });
  });

  it('reads UTF-16 with tabs without inventing mixed line endings, each row at its own line', async () => {
    const text = '外部编号\t主题\t优先级\r\nU1\t网络故障\t高\r\nU2\t\t低\r\n';
    const up = await put('u16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const job = await runJob(server, { upload: up, mapping: mapping(), mode: 'validOnly' });
    expect(job).toMatchObject({ status: 'done', counts: { created: 1, rejected: 1 }, source: { lineEndings: { crlf: 3, lf: 0, cr: 0 }, encoding: 'UTF-16 LE' } });
    expect(job.notices.join(' ')).not.toMatch(/mixed/);
    expect((await rejectedRows(server, job.id)).map((r) => r.line)).toEqual([3]);
    expect((await subjects())['U1']).toBe('网络故障');
  });

  it('refuses a file in no encoding it can tell, naming the byte and line, in the reader\u2019s language', async () => {
    // A UTF-8 export with one line pasted from a Windows-1252 file: read as GB18030 its Chinese
    // would turn into other Chinese; read as UTF-8, "Café" would lose its é without a word.
    const up = await put('pasted.csv', Buffer.concat([Buffer.from('外部编号,主题,优先级\nL1,ok,高\n'), Buffer.from('L2,Caf\xe9 d\xfcrfen,low\n', 'latin1')]));
    const suggested = await server.post<any>('/api/import/suggest', { upload: up, entity: 'ticket' }, { 'accept-language': 'zh' });
    expect(suggested.body.error.message).toContain('文件不是 UTF-8 文本');
    expect(suggested.status).toBe(400);
    const job = await runJob(server, { upload: up, mapping: mapping(), mode: 'validOnly' });
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/not UTF-8 text \(byte 0x\w\w on line 3\)/);
    expect(job.counts.created).toBe(0);
    expect(await subjects()).not.toHaveProperty('L1');

    // Windows-1252 throughout (a Western Excel's "CSV"): not UTF-8, and no Chinese text in GB18030 either.
    const western = await put('western.csv', Buffer.from('extId,subject,priority\nW1,Caf\xe9 d\xfcrfen,low\n', 'latin1'));
    const refused = await runJob(server, { upload: western, mapping: mapping({}, { extId: 'extId', subject: 'subject', priority: 'priority' }), mode: 'validOnly' });
    expect(refused).toMatchObject({ status: 'failed', counts: { created: 0 } });
    expect(refused.error).toMatch(/byte 0xE9 on line 2/);
  });

  it('a bad byte deep in a large file (read on the worker) fails the job before any batch is written', async () => {
    const lines = ['外部编号,主题,优先级'];
    for (let i = 1; i <= 40_000; i++) lines.push(`B${i},工单 ${i} 的主题,低`);
    const good = Buffer.from(lines.join('\r\n') + '\r\n');
    expect(good.length).toBeGreaterThan(1024 * 1024);
    const up = await put('large.csv', Buffer.concat([good, Buffer.from('B40001,Stra\xdfe,low\r\n', 'latin1')]));
    const job = await runJob(server, { upload: up, mapping: mapping(), mode: 'validOnly' });
    expect(job).toMatchObject({ status: 'failed', counts: { created: 0 } });
    const read = await server.get<any>(`/api/import/jobs/${job.id}`, { 'accept-language': 'zh' });
    expect(read.body.error).toContain('第 40002 行');
    expect(await subjects()).not.toHaveProperty('B1');
  });
});

describe('CSV layout', () => {
  it('counts no line break inside a quoted cell as a row\u2019s end: CRLF rows with LF inside cells (as Excel writes Alt+Enter) are not "mixed"', async () => {
    const text = '外部编号,主题,问题描述,优先级\r\n'
      + 'Q1,"卡纸","第一行\n第二行",高\r\n'
      + 'Q2,"He said ""stop\nnow""","a\r\nb\nc",低\r\n'
      + 'Q3,plain,,低\r\n';
    const up = await put('excel-alt-enter.csv', text);
    const job = await runJob(server, { upload: up, mapping: mapping({}, { ...columns, description: '问题描述' }), mode: 'validOnly' });
    expect(job).toMatchObject({ status: 'done', counts: { created: 3, rejected: 0 }, source: { lineEndings: { crlf: 4, lf: 0, cr: 0 } } });
    expect(job.notices.join(' ')).not.toContain('mixed line endings');
    expect(await subjects()).toMatchObject({ Q1: '卡纸', Q2: 'He said "stop\nnow"', Q3: 'plain' });
    // A file whose rows themselves mix endings is still said to.
    const mixed = await put('mixed.csv', '外部编号,主题,优先级\r\nLE1,"a\nb",高\nLE2,c,低\r\n');
    const again = await runJob(server, { upload: mixed, mapping: mapping(), mode: 'validOnly' });
    expect(again.source.lineEndings).toEqual({ crlf: 2, lf: 1, cr: 0 });
    expect(again.notices.join(' ')).toContain('mixed line endings (2 CRLF, 1 LF)');
  });

  it('a multi-line quoted note in a CRLF file moves no later row\u2019s line; columns named alike both keep their values', async () => {
    const text = '\ufeff外部编号, 主题 ,问题描述,优先级,备注,备注,,\r\n'
      + 'M1,"打印机, 卡纸","第一行\r\n第二行\r\n第三行",高,早,晚,,\r\n'
      + 'M2,网络故障,,紫,,,,\r\n'
      + 'M3,无优先级,"a\r\nb",,x,y,,\r\n';
    const up = await put('multiline.csv', text);
    const suggested = await server.post<any>('/api/import/suggest', { upload: up, entity: 'ticket' });
    expect(suggested.body.columns.slice(0, 6)).toEqual(['外部编号', '主题', '问题描述', '优先级', '备注', '备注 (2)']);
    const job = await runJob(server, { upload: up, mapping: mapping({}, { ...columns, description: '问题描述', notes: '备注 (2)' }), mode: 'validOnly' });
    expect(job.counts).toMatchObject({ created: 1, rejected: 2 });
    expect(job.notices.join(' ')).toContain('"备注 (2)"');
    const rows = await rejectedRows(server, job.id);
    expect(rows.map((r) => [r.line, r.row['外部编号']])).toEqual([[5, 'M2'], [6, 'M3']]);
    const m1 = (await server.get<any>('/api/data/ticket?filter=' + encodeURIComponent(JSON.stringify({ extId: 'M1' })))).body.items[0];
    expect(m1).toMatchObject({ subject: '打印机, 卡纸', description: '第一行\r\n第二行\r\n第三行', notes: '晚' });
  });
});

describe('workbooks', () => {
  async function shopWorkbook() {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').getCell('A1').value = '本文件由网店后台导出';
    const ws = wb.addWorksheet('订单');
    ws.getCell('A1').value = '工单导出 2024-03';
    ws.mergeCells('A1:C1');
    ws.addRow([]);
    ws.addRow(['外部编号', '主题', '优先级', '备注']);
    ws.addRow(['X1', '退货', '高']);
    ws.addRow([]);
    ws.addRow([1001, { richText: [{ text: '换' }, { text: '货' }] }, '低']);
    ws.addRow(['X3', '补发', '低', '']);
    ws.addRow(['X4', '咨询', '高']);
    const file = path.join(dir, 'shop.xlsx');
    await wb.xlsx.writeFile(file);
    return upload(server, file, 'shop.xlsx');
  }

  it('finds the data sheet and its header below a title banner', async () => {
    const up = await shopWorkbook();
    const suggested = await server.post<any>('/api/import/suggest', { upload: up, entity: 'ticket' });
    expect(suggested.body).toMatchObject({ columns: ['外部编号', '主题', '优先级', '备注'], suggested: { ...columns, notes: '备注' } });
    // Most rows leave 备注 empty: an empty cell is an empty value, not a missing column.
    const job = await runJob(server, { upload: up, mapping: mapping({}, { ...columns, notes: '备注' }), mode: 'validOnly' });
    expect(job).toMatchObject({ status: 'done', counts: { created: 4, rejected: 0 } });
    expect(job.notices.join(' ')).toMatch(/header is on row 3/);
    expect(await subjects()).toMatchObject({ X1: '退货', 1001: '换货', X3: '补发', X4: '咨询' });
  });

  it('a sheet the workbook lacks and a file that is no workbook are told apart in words', async () => {
    const up = await shopWorkbook();
    const job = await runJob(server, { upload: up, mapping: mapping({ sheet: 'Orders' }), mode: 'dryRun' });
    expect(job.status).toBe('failed');
    expect(job.error).toBe('The workbook has no sheet "Orders" (its sheets: "说明", "订单")');
    const fake = await put('renamed.xlsx', 'Code,Name\nA,B\n');
    const suggested = await server.post<any>('/api/import/suggest', { upload: fake, entity: 'ticket' });
    expect(suggested.status).toBe(400);
    expect(suggested.body.error.message).toMatch(/cannot be read as an Excel workbook/);
  });
});

describe('empty files', () => {
  it('an empty file and a header without rows are said to be so, not a silent "done" with zeros', async () => {
    const empty = await runJob(server, { upload: await put('empty.csv', ''), mapping: mapping(), mode: 'dryRun' });
    expect(empty).toMatchObject({ status: 'done', counts: { rows: 0 } });
    expect(empty.notices).toContain('the file is empty: no header and no rows');
    const headerOnly = await runJob(server, { upload: await put('header.csv', '\ufeff外部编号,主题,优先级\r\n'), mapping: mapping(), mode: 'dryRun' });
    expect(headerOnly.notices).toContain('the file has a header but no rows below it: nothing to import');
  });

  it('a record longer than the reader takes (a 10 MB cell) or a quote never closed fails the job naming its line, instead of rejected "rows" (139 for one line) and the rows after it gone without a word', async () => {
    const text = `外部编号,主题,优先级\nB1,前,low\nB2,"${'x'.repeat(10_000_000)}",low\nB3,后,high\n`;
    const job = await runJob(server, { upload: await put('bigcell.csv', text), mapping: mapping(), mode: 'dryRun' });
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/line 3 is longer than 1,000,000 characters/);
    expect(await rejectedRows(server, job.id)).toEqual([]);
    const zh = await server.get<any>(`/api/import/jobs/${job.id}`, { 'accept-language': 'zh' });
    expect(zh.body.error).toMatch(/第 3 行/);
    const open = await runJob(server, { upload: await put('openquote.csv', '外部编号,主题,优先级\nQ1,前,low\nQ2,"开,low\nQ3,后,high\nQ4,再后,high\n'), mapping: mapping(), mode: 'dryRun' });
    expect(open.status).toBe('failed');
    expect(open.error).toMatch(/line 3 opens a quote that is never closed/);
  });

  it('a quote left open on the last line (with or without a line break after it) is that one row, rejected: the rows above it are read', async () => {
    for (const ending of ['', '\n', '\r\n\r\n']) {
      const job = await runJob(server, { upload: await put('lastquote.csv', `外部编号,主题,优先级\nL1,前,low\nL2,中,high\nL3,"后,low${ending}`), mapping: mapping(), mode: 'dryRun' });
      expect(job.status, JSON.stringify(ending)).toBe('done');
      expect(job.counts, JSON.stringify(ending)).toMatchObject({ rows: 3, created: 2, rejected: 1 });
      const rejected = await rejectedRows(server, job.id);
      expect(rejected.map((r) => r.line), JSON.stringify(ending)).toEqual([4]);
      expect(rejected[0].issues[0].reason, JSON.stringify(ending)).toMatch(/line 4 cannot be read/);
    }
  });
});

describe('JSON Lines', () => {
  it('a bad byte past the first 64 KiB ends a dry run in words, not a stall', async () => {
    const lines: string[] = [];
    for (let i = 1; i <= 2000; i++) lines.push(JSON.stringify({ extId: `D${i}`, subject: `工单 ${i}`, priority: 'low' }));
    const up = await put('deep.jsonl', Buffer.concat([Buffer.from(lines.join('\n') + '\n'), Buffer.from('{"extId":"D2001","subject":"Stra\xdfe","priority":"low"}\n', 'latin1')]));
    const job = await runJob(server, { upload: up, mapping: mapping({}, { extId: 'extId', subject: 'subject', priority: 'priority' }), mode: 'dryRun' });
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/byte 0xDF on line 2001/);
  });

  it('a key an exporter left out (its value null) reads as empty, not as a missing column', async () => {
    const text = [
      { extId: 'J1', subject: '退款', priority: 'high' },
      { extId: 'J2', subject: '发票', priority: 'low', notes: '加急', customer: { name: '华东一店' } },
      { extId: 'J3', subject: '物流', priority: null, notes: null },
    ].map((o) => JSON.stringify(o)).join('\n') + '\n';
    const up = await put('tickets.jsonl', text);
    const job = await runJob(server, { upload: up, mapping: mapping({}, { extId: 'extId', subject: 'subject', priority: 'priority', notes: 'notes' }), mode: 'validOnly' });
    expect(job.counts).toMatchObject({ created: 2, rejected: 1 });
    const rows = await rejectedRows(server, job.id);
    expect(rows.map((r) => [r.line, r.issues.map((i: any) => i.field)])).toEqual([[3, ['priority']]]);
    expect(await subjects()).toMatchObject({ J1: '退款', J2: '发票' });
  });
});
