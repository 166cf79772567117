// A mapping's default written as text — as the wizard's defaults are typed — is read as a cell of
// its field is: "2024/1/15" a date, "2024-03-01 10:00" a date-time in the mapping's zone. One that
// cannot be read is refused when the job starts (400 at its pointer, naming the field by its label
// in the caller's language) and nothing is written; it was passed on raw and every row was rejected
// for it, naming no column. A row refused for an empty cell shows no value.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, upload } from './support.ts';

let server: TestServer;
let up: string;
const rows = [{ code: 'G1', at: '2024-03-01 10:00' }, { code: 'G2', at: '' }, { code: '', at: '2024-03-03 09:00' }];

beforeAll(async () => {
  server = await startTestServer();
  const entity = { kind: 'entity', name: 'gadget', label: { en: 'Gadget', zh: '小物' }, titleField: 'code', fields: { code: { type: 'text', label: { en: 'Code', zh: '编码' }, required: true }, since: { type: 'date', label: { en: 'In use since', zh: '启用日期' }, required: true }, at: { type: 'datetime', label: { en: 'Checked at', zh: '检查时间' } } } };
  expect((await server.post('/api/meta/apply', [entity])).status).toBe(200);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'default-text-'));
  const file = path.join(dir, 'gadgets.csv');
  await writeFile(file, ['code,at', ...rows.map((r) => `${r.code},${r.at}`)].join('\n') + '\n');
  up = await upload(server, file, 'gadgets.csv');
}, 120_000);
afterAll(async () => server?.close());

const mapping = (defaults: Record<string, unknown>) => ({ name: 'gadgets', timeZone: 'Asia/Shanghai', targets: [{ entity: 'gadget', columns: { code: 'code', at: 'at' }, defaults }] });

describe('defaults written as text', () => {
  it('are read as their fields read a cell, in the mapping’s zone', async () => {
    const job = await runJob(server, { upload: up, mapping: mapping({ since: '2024/1/15', at: '2024-03-02 08:00' }), mode: 'validOnly' });
    const valid = rows.filter((r) => r.code !== '');
    expect(job.counts).toMatchObject({ created: valid.length, rejected: rows.length - valid.length });
    const stored = (await server.get<any>('/api/data/gadget?sort=code&limit=10')).body.items;
    // 10:00 and 08:00 in Shanghai (UTC+8), the cell's time when there is one, else the default's.
    expect(stored.map((g: any) => [g.code, g.since, g.at])).toEqual([['G1', '2024-01-15', '2024-03-01T02:00:00.000Z'], ['G2', '2024-01-15', '2024-03-02T00:00:00.000Z']]);
    // The row refused for its empty required cell shows no value.
    const refused = await rejectedRows(server, job.id);
    expect(refused.map((r) => r.line)).toEqual([rows.findIndex((r) => r.code === '') + 2]);
    expect(refused[0].issues).toEqual([expect.objectContaining({ column: 'code', field: 'code' })]);
    expect(refused[0].issues[0]).not.toHaveProperty('value');
  });

  it('one that cannot be read is refused at the start, naming the field in the caller’s language; nothing is written', async () => {
    const before = (await server.get<any>('/api/data/gadget?total=1&limit=1')).body.total;
    const zh = await server.post<any>('/api/import/jobs', { upload: up, mapping: mapping({ since: '2024-02-30' }), mode: 'validOnly' }, { 'accept-language': 'zh' });
    expect(zh.status).toBe(400);
    expect(zh.body.error.details).toEqual([expect.objectContaining({ path: '/mapping/targets/0/defaults/since', message: expect.stringMatching(/^启用日期的默认值：.*2024-02-30/) })]);
    const en = await server.post<any>('/api/import/jobs', { upload: up, mapping: mapping({ since: '2024-02-30' }), mode: 'validOnly' });
    expect(en.body.error.details[0].message).toMatch(/^Default for In use since: .*2024-02-30/);
    expect((await server.get<any>('/api/data/gadget?total=1&limit=1')).body.total).toBe(before);
  });
});
