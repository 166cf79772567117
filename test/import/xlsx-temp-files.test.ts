// Reading a workbook whose sheets come before its shared strings (as Excel and exceljs write them)
// makes exceljs park each sheet in a temporary file. A read that skips a sheet, or stops early
// (a preview, a cancelled job), must leave no such file on disk and no descriptor open: they hold
// copies of customers' data, and a skipped sheet's file once vanished under a pending open and
// crashed the server with an uncaught ENOENT.

import ExcelJS from 'exceljs';
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newSourceInfo, readRows } from '../../engine/import/read-rows.ts';

let dir: string;
let workbook: string;
const parked = `tmp-${process.pid}-`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-xlsx-temp-'));
  workbook = path.join(dir, 'book.xlsx');
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Read me').addRow(['Export of the old CRM']);
  book.addWorksheet('Accounts').addRows([['Company', 'City'], ['Acme', 'Berlin'], ['Globex', 'Paris'], ['Initech', 'Austin']]);
  book.addWorksheet('Contacts').addRows([['Full name', 'E-mail'], ['Ada', 'ada@acme.test'], ['Bob', 'bob@acme.test']]);
  await book.xlsx.writeFile(workbook);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** Files exceljs parked for this process, on disk and still open (an open one may be unlinked already). */
async function parkedFiles(): Promise<{ onDisk: string[]; open: string[] }> {
  const onDisk = (await readdir(os.tmpdir())).filter((name) => name.startsWith(parked));
  const open: string[] = [];
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.includes(parked)) open.push(target);
  }
  return { onDisk, open };
}

async function read(sheet: string | undefined, stopAfter = Infinity): Promise<unknown[]> {
  const values: unknown[] = [];
  for await (const row of readRows({ file: workbook, format: 'xlsx', info: newSourceInfo(), sheet })) {
    if ('values' in row) values.push(Object.values(row.values)[0]);
    if (values.length >= stopAfter) break;
  }
  return values;
}

it('the workbook parks its sheets (else this test proves nothing)', async () => {
  const { default: unzipper } = await import('unzipper');
  const entries = (await unzipper.Open.file(workbook)).files.map((f) => f.path);
  expect(entries.indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(entries.indexOf('xl/sharedStrings.xml'));
});

it('leaves nothing behind after reading a later sheet, skipping the ones before it', async () => {
  expect(await read('Contacts')).toEqual(['Ada', 'Bob']);
  expect(await parkedFiles()).toEqual({ onDisk: [], open: [] });
});

it('leaves nothing behind after reading the first sheet with rows, with a sheet after it', async () => {
  expect(await read(undefined)).toEqual(['Acme', 'Globex', 'Initech']);
  expect(await parkedFiles()).toEqual({ onDisk: [], open: [] });
});

it('leaves nothing behind when the reader stops early', async () => {
  expect(await read('Accounts', 1)).toEqual(['Acme']);
  expect(await parkedFiles()).toEqual({ onDisk: [], open: [] });
});
