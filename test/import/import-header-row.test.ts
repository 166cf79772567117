// A report whose title is as wide as its table — a title, its author and its date, one per column,
// or a banner merged across a workbook's columns — looks like a header to the reader, which then
// takes it for one: every column is named by the title and nothing maps. The user (or a mapping a
// template ships for a known export) says which line holds the column names: `headerRow`, on the
// suggestion (its `top` rows are what to choose from) and on the mapping a job reads with — in
// one thread and in the pipelined reader alike.

import ExcelJS from 'exceljs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal } from '../../engine/access/policy.ts';
import { importServices } from '../../engine/import/import-module.ts';
import { runImportJob } from '../../engine/import/run-import.ts';
import { ManualClock } from '../../engine/kernel/clock.ts';
import type { RequestContext } from '../../engine/records/request-context.ts';
import { openEngine } from '../../engine/server/start-server.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, upload } from './support.ts';

const customer = { kind: 'entity', name: 'customer', label: { en: 'Customer', zh: '客户' }, titleField: 'name', fields: { code: { type: 'text', unique: true }, name: { type: 'text', label: { zh: '客户名称' }, required: true }, credit: { type: 'number', label: { zh: '信用额度' } } } };
const header = ['code', 'name', 'credit'];
// The title fills every column: the reader's rule (the first line at least half as filled as the widest) takes it.
const title = ['Customer list', 'exported by Wang Fang', '2025-05-01'];
const customers = [['C1', 'Hangzhou Foods', '5000'], ['C2', 'Suzhou Trading', 'twelve'], ['C3', 'Guangzhou Grain', '0']];
const columns = { code: 'code', name: 'name', credit: 'credit' };

let server: TestServer;
let work: string;
let csvUpload: string;

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.post('/api/meta/apply', [customer]);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  work = await mkdtemp(path.join(os.tmpdir(), 'crm-header-row-'));
  const file = path.join(work, 'customers.csv');
  await writeFile(file, [title, header, ...customers].map((r) => r.join(',')).join('\r\n') + '\r\n');
  csvUpload = await upload(server, file, 'customers.csv');
}, 120_000);
afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const headerLine = 2;
const bad = customers.filter((c) => Number.isNaN(Number(c[2])));

describe('a header row chosen below a title as wide as the table', () => {
  it('left to itself, the reader takes the title for the header; its first rows are offered to choose from', async () => {
    const res = await server.post<any>('/api/import/suggest', { upload: csvUpload, entity: 'customer' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.columns).toEqual(title);
    expect(res.body.headerLine).toBe(1);
    expect(res.body.top).toEqual([title, header, ...customers].map((cells, i) => ({ line: i + 1, cells })));
  });

  it('reads the columns from the line asked for, and a mapping with it imports every row at its own line', async () => {
    const res = await server.post<any>('/api/import/suggest', { upload: csvUpload, entity: 'customer', headerRow: headerLine });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.columns).toEqual(header);
    expect(res.body.headerLine).toBe(headerLine);
    expect(res.body.mapping.headerRow).toBe(headerLine);
    expect(res.body.suggested).toEqual(columns);
    expect(res.body.preview.map((r: any) => r.line)).toEqual(customers.map((_, i) => headerLine + 1 + i));
    const job = await runJob(server, { upload: csvUpload, mapping: { name: 'header-row', headerRow: headerLine, targets: [{ entity: 'customer', key: ['code'], columns }] }, mode: 'validOnly' });
    expect(job.counts, JSON.stringify(job)).toMatchObject({ rows: customers.length, created: customers.length - bad.length, rejected: bad.length });
    expect(job.source.headerLine).toBe(headerLine);
    expect(job.notices).toContain(`the header is on line ${headerLine}; 1 line(s) above it were skipped`);
    expect((await rejectedRows(server, job.id)).map((r) => r.line)).toEqual(bad.map((c) => headerLine + 1 + customers.indexOf(c)));
    const stored = (await server.get<any>('/api/data/customer?limit=100')).body.items;
    expect(stored.map((c: any) => c.code).sort()).toEqual(customers.filter((c) => !bad.includes(c)).map((c) => c[0]));
  });

  it('a saved mapping keeps its header row', async () => {
    const mapping = { name: 'report-export', headerRow: headerLine, targets: [{ entity: 'customer', key: ['code'], columns }] };
    const saved = await server.put<any>('/api/import/mappings/report-export', mapping);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await server.get<any>('/api/import/mappings/report-export')).body).toMatchObject({ headerRow: headerLine });
  });

  it('refuses a header row that is no line number, or a blank line or one past the end, naming /headerRow in the caller\u2019s language', async () => {
    for (const headerRow of [0, -1, 1.5, '2', 1001]) {
      const res = await server.post<any>('/api/import/suggest', { upload: csvUpload, entity: 'customer', headerRow });
      expect(res.status, JSON.stringify(headerRow)).toBe(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: '/headerRow', message: expect.stringContaining('line number from 1 to 1000') })]);
    }
    const blank = path.join(work, 'blank-line.csv');
    await writeFile(blank, [title.join(','), '', header.join(','), ...customers.map((r) => r.join(','))].join('\n') + '\n');
    const blankUpload = await upload(server, blank, 'blank-line.csv');
    for (const [headerRow, locale, words] of [[2, 'en', 'line 2 of the file is blank or past its last line'], [99, 'zh', '文件第 99 行为空或超出最后一行']] as const) {
      const res = await server.post<any>('/api/import/suggest', { upload: blankUpload, entity: 'customer', headerRow }, { 'accept-language': locale });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: '/headerRow', message: expect.stringContaining(words) })]);
    }
    // A job whose mapping names such a line fails in words, before any row is written.
    const job = await runJob(server, { upload: blankUpload, mapping: { name: 'blank-header', headerRow: 2, targets: [{ entity: 'customer', columns }] }, mode: 'validOnly' });
    expect(job.status).toBe('failed');
    expect(job.error).toBe('The header cannot be read: line 2 of the file is blank or past its last line');
    expect(job.counts.created).toBe(0);
    const saved = await server.put<any>('/api/import/mappings/bad-row', { name: 'bad-row', headerRow: 0, targets: [{ entity: 'customer', columns }] });
    expect(saved.status).toBe(400);
    expect(saved.body.error.details).toEqual([expect.objectContaining({ path: '/headerRow' })]);
  });
});

describe('a workbook whose banner is merged across the table', () => {
  it('reads the header from the row asked for, below the banner and a subtitle', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('客户');
    sheet.addRow(['华盛商贸 客户资料']);
    sheet.mergeCells('A1:C1');
    sheet.addRow(['导出：王芳', '2025-05-01', '第 1 页']);
    sheet.addRow(header);
    for (const [code, name, credit] of customers) sheet.addRow([code, name, Number.isNaN(Number(credit)) ? credit : Number(credit)]);
    const file = path.join(work, 'customers.xlsx');
    await book.xlsx.writeFile(file);
    const id = await upload(server, file, 'customers.xlsx');
    const guessed = await server.post<any>('/api/import/suggest', { upload: id, entity: 'customer' });
    expect(guessed.body.columns, 'the reader alone takes the banner or the subtitle for the header').not.toEqual(header);
    const res = await server.post<any>('/api/import/suggest', { upload: id, entity: 'customer', headerRow: 3 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.columns).toEqual(header);
    expect(res.body.top.map((r: any) => r.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(res.body.mapping).toMatchObject({ sheet: '客户', headerRow: 3 });
    const job = await runJob(server, { upload: id, mapping: { name: 'banner', sheet: '客户', headerRow: 3, targets: [{ entity: 'customer', key: ['code'], columns }] }, mode: 'validOnly' });
    expect(job.counts, JSON.stringify(job)).toMatchObject({ rows: customers.length, rejected: bad.length, unchanged: customers.length - bad.length });
    expect((await rejectedRows(server, job.id)).map((r) => r.line)).toEqual(bad.map((c) => 4 + customers.indexOf(c)));
  });
});

describe('the pipelined reader (a map worker reads the file)', () => {
  it('reads from the header row the mapping names', { timeout: 60_000 }, async () => {
    const clock = new ManualClock('2026-03-01T09:00:00.000Z');
    const engine = await openEngine({ dataDir: path.join(work, 'piped'), clock, env: {} });
    try {
      const { runtime, store, policy } = engine.services;
      await runtime.apply(runtime.prepare([{ kind: 'entity', name: 'customer', document: customer as never }]), { by: 'test' });
      const service = importServices.get(engine.services)!;
      const ctx: RequestContext = { principal: systemPrincipal('test'), locale: 'en', clock, model: runtime.model, policy };
      const file = path.join(work, 'piped.csv');
      await writeFile(file, [title, header, ...customers].map((r) => r.join(',')).join('\n') + '\n');
      const { id } = await service.startJob({ ctx, file: { path: file, name: 'piped.csv' }, mapping: { name: 'piped', headerRow: headerLine, targets: [{ entity: 'customer', key: ['code'], columns }] }, mode: 'validOnly', history: false });
      // No batch read on this thread: the worker reads the whole file.
      const job = await runImportJob({ store, clock, policy, events: engine.services.records.events, model: () => runtime.model, pipelineAboveBytes: 0, pipelineLocalBatches: 0 }, id);
      expect(job.status, JSON.stringify(job)).toBe('done');
      expect(job.counts).toMatchObject({ rows: customers.length, created: customers.length - bad.length, rejected: bad.length });
      const stored = await store.find('customer', { filter: { kind: 'true' }, sort: [], limit: 100 });
      expect(stored.map((r) => r.data['name']).sort()).toEqual(customers.filter((c) => !bad.includes(c)).map((c) => c[1]).sort());
    } finally {
      await engine.close();
    }
  });
});
