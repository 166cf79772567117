// `crm import` as a migrating customer runs it first: a dry run of a GBK file exported on Chinese
// Windows, in a zh_CN terminal. The command names each rejected row (line, column, value, reason in
// the terminal's language), not only how many; a file in an encoding it cannot read is refused in words.

import { spawn } from 'node:child_process';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

let work: string;
let dataDir: string;

function crm(args: string[], lang: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir, MONGODB_URI: '', LANG: lang, LC_ALL: '', LC_MESSAGES: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'foreignfiles-cli-'));
  dataDir = path.join(work, 'data');
  await writeFile(path.join(work, 'ticket.json'), JSON.stringify({
    kind: 'entity', name: 'ticket', label: { en: 'Ticket', zh: '工单' }, titleField: 'subject',
    fields: {
      extId: { type: 'text', label: { en: 'External ID', zh: '外部编号' }, unique: true },
      subject: { type: 'text', label: { en: 'Subject', zh: '主题' }, required: true },
      priority: { type: 'picklist', label: { en: 'Priority', zh: '优先级' }, required: true, options: { low: { label: { en: 'Low', zh: '低' } }, high: { label: { en: 'High', zh: '高' } } } },
    },
  }));
  await writeFile(path.join(work, 'mapping.json'), JSON.stringify({ name: 'tickets', targets: [{ entity: 'ticket', key: ['extId'], columns: { extId: '外部编号', subject: '主题', priority: '优先级' } }] }));
  const applied = await crm(['meta', 'apply', path.join(work, 'ticket.json')], 'C');
  expect(applied.code, applied.out).toBe(0);
}, 120_000);

describe('crm import', () => {
  it('a dry run names every rejected row, in the terminal\u2019s language', async () => {
    const file = path.join(work, '工单.csv');
    await writeFile(file, iconv.encode('外部编号,主题,优先级\r\nT1,打印机卡纸,高\r\nT2,网络故障,紫\r\nT3,,低\r\n', 'gbk'));
    const run = await crm(['import', file, '--mapping', path.join(work, 'mapping.json'), '--mode', 'dryRun', '--no-progress'], 'zh_CN.UTF-8');
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/: done \(dry run: nothing was written\) — 3 rows, 1 created, 0 updated, 0 unchanged, 2 rejected/);
    expect(run.out).toContain('GB18030');
    expect(run.out).toContain('line 3, column "优先级" "紫": 「紫」不是可选值');
    expect(run.out).toContain('line 4, column "主题": 必填');
  }, 60_000);

  it('a workbook\u2019s totals row is named as left out, with its formula', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('工单');
    sheet.addRow(['外部编号', '主题', '优先级', '工时']);
    sheet.addRow(['T5', '打印机卡纸', '高', 2]);
    sheet.addRow(['T6', '网络故障', '低', 3]);
    const total = sheet.addRow(['合计', '', '', { formula: 'SUM(D2:D3)', result: 5 }]).number;
    const file = path.join(work, '工单.xlsx');
    await book.xlsx.writeFile(file);
    const run = await crm(['import', file, '--mapping', path.join(work, 'mapping.json'), '--mode', 'dryRun', '--no-progress'], 'en_US.UTF-8');
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/— 2 rows, 2 created, 0 updated, 0 unchanged, 0 rejected/);
    expect(run.out).toContain('note: 1 row(s) not imported: totals rows');
    expect(run.out).toContain(`left out: line ${total}: a totals row (formula =SUM(D2:D3) in column D)`);
  }, 60_000);

  it('a file in an encoding it cannot tell fails in words', async () => {
    const file = path.join(work, 'western.csv');
    await writeFile(file, Buffer.concat([Buffer.from('外部编号,主题,优先级\n'), Buffer.from('W1,Caf\xe9,low\n', 'latin1')]));
    const run = await crm(['import', file, '--mapping', path.join(work, 'mapping.json'), '--mode', 'validOnly', '--no-progress'], 'en_US.UTF-8');
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/failed .*not UTF-8 text \(byte 0xE9 on line 2\)/);
  }, 60_000);
});
