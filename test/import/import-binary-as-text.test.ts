// Files sent under a text name that are no text: a shop's workbook saved as "orders.csv", an
// older .xls renamed, a PDF, an image, a gzip, a JSON Lines name on a workbook. Each is refused
// (400) naming what it is, in the reader's language, and a job given one fails writing nothing —
// instead of one garbage column named by its first bytes, or advice to save it "as UTF-8". A text
// file with Chinese in GB18030 and a UTF-16 one without a byte-order mark still read.

import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from './support.ts';

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'binary-as-text-'));
  const res = await server.put('/api/meta/entities/shopOrder', { kind: 'entity', name: 'shopOrder', label: { en: 'Shop order', zh: '网店订单' }, titleField: 'code', fields: { code: { type: 'text', label: { en: 'Code', zh: '订单号' }, required: true } } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}, 120_000);
afterAll(async () => server?.close());

async function put(name: string, data: Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, data);
  return upload(server, file, name);
}

async function workbook(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('订单');
  sheet.addRow(['订单号']);
  for (let i = 1; i <= 20; i++) sheet.addRow([`SO-${i}`]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const mapping = { name: 'orders', targets: [{ entity: 'shopOrder', columns: { code: '订单号' } }] };
const stored = async () => (await server.get<any>('/api/data/shopOrder?total=1&limit=1')).body.total;

describe('a binary file under a text name', () => {
  const cases: { name: string; data: () => Promise<Buffer>; en: RegExp; zh: RegExp }[] = [
    { name: 'orders.csv', data: workbook, en: /named \.csv but is not text: it is a zip archive \(an Excel workbook \.xlsx is one\).*under its \.xlsx name/, zh: /文件名为 \.csv，但内容不是文本，而是 zip 压缩包/ },
    { name: 'orders.jsonl', data: workbook, en: /named \.jsonl but is not text: it is a zip archive/, zh: /文件名为 \.jsonl/ },
    { name: 'legacy.csv', data: async () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504, 0xff)]), en: /an older Office file \(an Excel 97–2003 workbook \.xls is one\)/, zh: /旧版 Office 文件/ },
    { name: 'invoice.csv', data: async () => Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'), en: /it is a PDF document/, zh: /PDF 文档/ },
    { name: 'logo.csv', data: async () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), deflateRawSync(Buffer.from('x'.repeat(1000)))]), en: /it is a PNG image/, zh: /PNG 图片/ },
    { name: 'export.csv', data: async () => gzipSync(Buffer.from('code\nSO-1\n')), en: /it is a gzip archive/, zh: /gzip 压缩包/ },
    // No format it knows by its first bytes: told by the NUL bytes no text but UTF-16 holds.
    { name: 'dump.txt', data: async () => Buffer.concat([Buffer.from('code\nSO-1\n'), Buffer.from([0x00, 0x01, 0x02, 0x00]), Buffer.from('more\n')]), en: /binary data \(a NUL byte on line 3\)/, zh: /二进制数据（第 3 行有 NUL 字节）/ },
  ];

  it.each(cases)('$name: refused naming what it is, in either language; a job with it writes nothing', async ({ name, data, en, zh }) => {
    const up = await put(name, await data());
    const english = await server.post<any>('/api/import/suggest', { upload: up, entity: 'shopOrder' });
    expect(english.status).toBe(400);
    expect(english.body.error.message).toMatch(en);
    const chinese = await server.post<any>('/api/import/suggest', { upload: up, entity: 'shopOrder' }, { 'accept-language': 'zh' });
    expect(chinese.status).toBe(400);
    expect(chinese.body.error.message).toMatch(zh);
    const job = await runJob(server, { upload: up, mapping, mode: 'validOnly' });
    expect(job).toMatchObject({ status: 'failed', counts: { created: 0 } });
    expect(job.error).toMatch(en);
    expect(await stored()).toBe(0);
  });

  it('text still reads: GB18030 Chinese, and UTF-16 without a byte-order mark', async () => {
    const gbk = await put('gbk.csv', iconv.encode('订单号\r\nSO-1\r\n', 'gbk'));
    expect((await server.post<any>('/api/import/suggest', { upload: gbk, entity: 'shopOrder' })).body.suggested).toEqual({ code: '订单号' });
    const utf16 = await put('u16.csv', Buffer.from('订单号\nSO-2\n', 'utf16le'));
    expect((await server.post<any>('/api/import/suggest', { upload: utf16, entity: 'shopOrder' })).body.suggested).toEqual({ code: '订单号' });
  });
});
