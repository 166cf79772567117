// A row the file reader refuses says why in the reader's language, in our own words: csv-parse's
// English ("Invalid Opening Quote: a quote is found on field 1 at line 4…") never reaches a Chinese
// reader behind a Chinese lead. Each reason keeps the facts that fix the file — the line, the column,
// the field counts — and a stray quote is one rejected row, not one per time csv-parse noticed it.
// Through the real import API (upload, job, report, preview); the catalogue's every code below.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServices } from '../../engine/import/import-module.ts';
import { csvRowText } from '../../engine/import/read-messages.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { upload } from './support.ts';

const zh = { 'accept-language': 'zh-CN,zh;q=0.9' };
const en = { 'accept-language': 'en-US' };
/** A run of Latin letters: English words (the test data and column names are Chinese). */
const latin = /[A-Za-z]{2,}/;

let server: TestServer;
let dir: string;

const mapping = { name: 'ticketsZh', targets: [{ entity: 'ticket', key: ['extId'], columns: { extId: '外部编号', subject: '主题', priority: '优先级' } }] };

async function put(name: string, text: string) {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return upload(server, file, name);
}

/** Runs a dry run started by a Chinese caller; answers its per-row reasons read in `headers`' language, by line. */
async function dryRun(up: string, readers: Record<string, string>[]) {
  const started = await server.post<{ id: string }>('/api/import/jobs', { upload: up, mapping, mode: 'dryRun' }, zh);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await importServices.get(server.server.services)!.idle();
  const job = await server.get<any>(`/api/import/jobs/${started.body.id}`, zh);
  expect(job.body.status, JSON.stringify(job.body)).toBe('done');
  const reasons: Record<number, string[]>[] = [];
  for (const headers of readers) {
    const res = await server.get<any>(`/api/import/jobs/${started.body.id}/rows?limit=100`, headers);
    expect(res.status).toBe(200);
    reasons.push(Object.fromEntries(res.body.items.map((r: { line: number; issues: { reason: string }[] }) => [r.line, r.issues.map((i) => i.reason)])));
  }
  return reasons;
}

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-import-read-zh-'));
  const res = await server.put('/api/meta/entities/ticket', {
    kind: 'entity', name: 'ticket', label: { en: 'Ticket', zh: '工单' }, titleField: 'subject',
    fields: {
      extId: { type: 'text', label: { en: 'External ID', zh: '外部编号' }, unique: true },
      subject: { type: 'text', label: { en: 'Subject', zh: '主题' }, required: true },
      priority: { type: 'picklist', label: { en: 'Priority', zh: '优先级' }, required: true, options: { low: { label: { en: 'Low', zh: '低' } }, high: { label: { en: 'High', zh: '高' } } } },
    },
  });
  expect(res.status).toBe(201);
}, 120_000);
afterAll(async () => server?.close());

describe('rows the CSV reader refuses, read by a Chinese caller', () => {
  const text = [
    '外部编号,主题,优先级',
    'R1,打印机,low',
    'R2,多一列,low,额外', // 4 fields where the header has 3
    'R3,甲"乙,low', // a quote inside a value that does not start with one
    'R4,网络,high',
    'R5,"后,low', // a quote left open on the last line
  ].join('\n');

  it('each reason is Chinese, in our words, with its line, column and field counts; English readers get English', async () => {
    const up = await put('broken.csv', text);
    const [zhReasons, enReasons] = await dryRun(up, [zh, en]);
    // One rejected row per broken line (the stray quote is reported twice by csv-parse).
    expect(Object.keys(zhReasons!).map(Number)).toEqual([3, 4, 6]);
    for (const [line, reasons] of Object.entries(zhReasons!)) {
      expect(reasons).toHaveLength(1);
      expect(reasons[0], reasons[0]).toMatch(new RegExp(`^第 ${line} 行无法读取：`));
      expect(reasons[0], reasons[0]).not.toMatch(latin);
    }
    expect(zhReasons![3]![0]).toBe('第 3 行无法读取：有 4 个字段，而表头有 3 个');
    expect(zhReasons![4]![0]).toMatch(/第 2 列（「主题」）的值在「甲」之后出现引号/);
    expect(zhReasons![6]![0]).toMatch(/第 2 列（「主题」）有未闭合的引号/);
    expect(enReasons).toEqual({
      3: ['line 3 cannot be read: has 4 fields; the header has 3'],
      4: [expect.stringMatching(/^line 4 cannot be read: a quote appears inside a value in column 2 \("主题"\) after "甲"/)],
      6: ['line 6 cannot be read: opens a quote in column 2 ("主题") that is never closed'],
    });
  });

  it('a quoted value with a character after its closing quote, on the last line: one row, said in Chinese', async () => {
    const up = await put('closing.csv', '外部编号,主题,优先级\nC1,好,low\nC2,"坏"x,low\n');
    const [zhReasons] = await dryRun(up, [zh]);
    expect(zhReasons).toEqual({ 3: ['第 3 行无法读取：第 2 列（「主题」）带引号的值在结束引号后紧跟字符「x」，而不是分隔符或行尾；引号内的引号请写成两个（""）'] });
  });

  it('the wizard’s preview says why a row cannot be read in Chinese', async () => {
    const up = await put('preview.csv', text);
    const res = await server.post<any>('/api/import/suggest', { upload: up, entity: 'ticket' }, zh);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const errors = Object.fromEntries(res.body.preview.filter((r: { error?: string }) => r.error).map((r: { line: number; error: string }) => [r.line, r.error]));
    expect(errors).toEqual({ 3: '有 4 个字段，而表头有 3 个', 4: expect.stringMatching(/^第 2 列（「主题」）/), 6: '第 2 列（「主题」）有未闭合的引号' });
  });
});

describe('JSON Lines lines that are not objects, read by a Chinese caller', () => {
  it('says so in Chinese, naming the character where JSON broke', async () => {
    const rows = ['{"外部编号":"J1","主题":"好","优先级":"low"}', '{"外部编号":"J2",}', '[1,2]'].join('\n') + '\n';
    const [zhReasons] = await dryRun(await put('broken.jsonl', rows), [zh]);
    expect(zhReasons).toEqual({ 2: ['第 2 行无法读取：不是合法的 JSON（第 14 个字符处）'], 3: ['第 3 行无法读取：不是 JSON 对象'] });
  });
});

describe('the reader’s catalogue of csv-parse codes', () => {
  // The errors as csv-parse 7 builds them (its English message, the field index, the record read).
  const cases: [code: string, error: Record<string, unknown>, zh: RegExp][] = [
    ['CSV_RECORD_INCONSISTENT_FIELDS_LENGTH', { message: 'Invalid Record Length: expect 3, got 5 on line 9', record: [1, 2, 3, 4, 5] }, /^有 5 个字段，而表头有 3 个$/],
    ['CSV_RECORD_INCONSISTENT_COLUMNS', { message: 'Invalid Record Length: columns length is 3, got 2 on line 9', record: [1, 2] }, /^有 2 个字段，而表头有 3 个$/],
    ['CSV_INVALID_CLOSING_QUOTE', { message: 'Invalid Closing Quote: got "x" at line 9 instead of delimiter, record delimiter, trimable character (if activated) or comment', column: 1 }, /^第 2 列（「主题」）带引号的值在结束引号后紧跟字符「x」/],
    ['INVALID_OPENING_QUOTE', { message: 'Invalid Opening Quote: a quote is found on field 0 at line 9, value is "甲"', column: 0, field: '甲' }, /^第 1 列（「编号」）的值在「甲」之后出现引号/],
    ['CSV_QUOTE_NOT_CLOSED', { message: 'Quote Not Closed: the parsing is finished with an opening quote at line 9', column: 2 }, /^第 3 列（「优先级」）有未闭合的引号$/],
    ['CSV_MAX_RECORD_SIZE', { message: 'Max Record Size: record exceed the maximum number of tolerated bytes of 1000000 at line 9' }, /^超过 1,000,000 个字符/],
    ['CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE', { message: 'Invalid Closing Quote: found non trimable byte after quote at line 9', column: 1 }, /^第 2 列（「主题」）带引号的值在分隔符之前紧跟了空格以外的字符$/],
  ];
  const header = ['编号', '主题', '优先级'];

  it.each(cases)('%s has its own words in both languages, none of csv-parse’s', (code, fields, zhText) => {
    const text = csvRowText({ code, ...fields }, header);
    expect(text.zh).toMatch(zhText);
    expect(text.zh).not.toMatch(latin);
    expect(text.en).not.toContain(code);
    expect(text.en).not.toContain(String(fields['message']).split(':')[0]);
  });

  it('a code it does not know is said in the caller’s language, naming the code, without csv-parse’s English', () => {
    const text = csvRowText({ code: 'CSV_SOMETHING_NEW', message: 'Something New: went wrong at line 9' }, header);
    expect(text).toEqual({ en: 'is not valid CSV (csv-parse error CSV_SOMETHING_NEW)', zh: '不是有效的 CSV（csv-parse 错误 CSV_SOMETHING_NEW）' });
    expect(csvRowText({}).zh).toBe('不是有效的 CSV（csv-parse 错误 UNKNOWN）');
  });
});
