// Chinese (and Japanese, Korean) Excel saves its own long and short date formats — 2023年3月5日,
// 2023年3月, 3月5日 — as built-in number formats named by id alone (27–36, 50–58), with no format
// code in the file. exceljs knows those ids only per locale, so such a date cell was read as its
// serial number (44990) and every row refused as "not a date". Each id is written here into a
// workbook made with exceljs (its styles rewritten to name the id alone, as Excel does).

import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from './support.ts';

let server: TestServer;
let dir: string;
// The built-in ids East Asian Excel writes for dates (and 14, the one every locale shares, beside them).
const ids = [14, 27, 28, 30, 31, 36, 50, 55, 57, 58];
const day = '2023-03-05';
const serial = Date.UTC(2023, 2, 5) / 86_400_000 + 25569;

/** One row per id, its 建档日期 cell formatted with that built-in id only. */
async function workbookWithBuiltInDates(file: string): Promise<void> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('客户');
  sheet.addRow(['客户名称', '建档日期']);
  // A distinct marker format per row, each rewritten below to the built-in id it stands for.
  ids.forEach((id, i) => {
    const row = sheet.addRow([`客户${id}`, serial]);
    row.getCell(2).numFmt = `0.${'0'.repeat(i + 5)}`;
  });
  const zip = await JSZip.loadAsync(await book.xlsx.writeBuffer());
  let styles = await zip.file('xl/styles.xml')!.async('string');
  ids.forEach((id, i) => {
    const marker = new RegExp(`<numFmt numFmtId="(\\d+)" formatCode="0\\.${'0'.repeat(i + 5)}"/>`);
    const custom = marker.exec(styles)![1];
    styles = styles.replace(marker, '').replace(new RegExp(`numFmtId="${custom}"`, 'g'), `numFmtId="${id}"`);
  });
  zip.file('xl/styles.xml', styles);
  await writeFile(file, await zip.generateAsync({ type: 'nodebuffer' }));
}

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'customer', label: { en: 'Customer', zh: '客户' }, titleField: 'name', fields: { name: { type: 'text', label: { en: 'Name', zh: '客户名称' }, required: true }, since: { type: 'date', label: { en: 'Since', zh: '建档日期' } } } },
  ]);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-cjk-dates-'));
}, 120_000);
afterAll(async () => server?.close());

describe('a workbook saved by Chinese Excel', () => {
  it('reads dates in its built-in formats as dates, in the preview and the import', async () => {
    const file = path.join(dir, '客户.xlsx');
    await workbookWithBuiltInDates(file);
    const id = await upload(server, file, '客户.xlsx');
    const suggested = await server.post<any>('/api/import/suggest', { upload: id, entity: 'customer' });
    expect(suggested.status, JSON.stringify(suggested.body)).toBe(200);
    expect(suggested.body.preview.map((r: any) => [r.values['客户名称'], r.values['建档日期']])).toEqual(ids.map((i) => [`客户${i}`, day]));
    const job = await runJob(server, { upload: id, mapping: { name: 'cjk-dates', targets: [{ entity: 'customer', columns: { name: '客户名称', since: '建档日期' } }] }, mode: 'allOrNothing' });
    expect(job.counts, JSON.stringify(job)).toMatchObject({ created: ids.length, rejected: 0 });
    const stored = (await server.get<any>('/api/data/customer?limit=100')).body.items;
    expect(stored.map((c: any) => c.since)).toEqual(ids.map(() => day));
  });
});

describe('a time of day in a workbook', () => {
  it('is read as the time it shows (09:30), not as a date on Excel’s day zero — h:mm, and Chinese Excel’s 时/分 formats by id', async () => {
    const res = await server.put('/api/meta/entities/shift', { kind: 'entity', name: 'shift', label: { en: 'Shift', zh: '班次' }, titleField: 'name', fields: { name: { type: 'text', required: true }, starts: { type: 'text' } } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const times = [['早班', 9.5 / 24, 'h:mm', '09:30'], ['午班', (13 + 15 / 60 + 20 / 3600) / 24, 'hh:mm:ss', '13:15:20']] as const;
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('班次');
    sheet.addRow(['name', 'starts']);
    for (const [name, fraction, format] of times) sheet.addRow([name, fraction]).getCell(2).numFmt = format;
    // One more with built-in id 32 (zh-CN: h"时"mm"分"), named by id alone as Chinese Excel saves it.
    sheet.addRow(['晚班', 18 / 24]).getCell(2).numFmt = '0.0000000';
    const zip = await JSZip.loadAsync(await book.xlsx.writeBuffer());
    let styles = await zip.file('xl/styles.xml')!.async('string');
    const marker = /<numFmt numFmtId="(\d+)" formatCode="0\.0000000"\/>/;
    const custom = marker.exec(styles)![1];
    styles = styles.replace(marker, '').replace(new RegExp(`numFmtId="${custom}"`, 'g'), 'numFmtId="32"');
    zip.file('xl/styles.xml', styles);
    const file = path.join(dir, 'shifts.xlsx');
    await writeFile(file, await zip.generateAsync({ type: 'nodebuffer' }));
    const job = await runJob(server, { upload: await upload(server, file, 'shifts.xlsx'), mapping: { name: 'shifts', targets: [{ entity: 'shift', columns: { name: 'name', starts: 'starts' } }] }, mode: 'validOnly' });
    expect(job.counts).toMatchObject({ created: 3, rejected: 0 });
    const stored = (await server.get<any>('/api/data/shift?limit=10')).body.items;
    expect(Object.fromEntries(stored.map((s: any) => [s.name, s.starts]))).toEqual({ 早班: '09:30', 午班: '13:15:20', 晚班: '18:00' });
  });
});
