// Mappings a stranger writes by hand, with the mistakes people make: an upsert key no column fills
// (every run would create every row again), an entity that does not exist, options spelt wrong.
// Each is refused before a row is read, at its pointer, in the caller's language.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from './support.ts';

let server: TestServer;
let up: string;

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.put('/api/meta/entities/lead', { kind: 'entity', name: 'lead', label: { en: 'Lead', zh: '线索' }, titleField: 'name', fields: { code: { type: 'text' }, name: { type: 'text', required: true }, source: { type: 'text' } } });
  expect(res.status).toBe(201);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mapping-mistakes-'));
  await writeFile(path.join(dir, 'leads.csv'), 'Code,Name\nL1,One\nL2,Two\n');
  up = await upload(server, path.join(dir, 'leads.csv'), 'leads.csv');
}, 120_000);
afterAll(async () => server?.close());

const count = async () => (await server.get<any>('/api/data/lead?total=1&limit=1')).body.total;

describe('an upsert key the mapping does not fill', () => {
  it('is refused at the key\u2019s pointer in the body sent (under /mapping for a job, the mapping itself when saved), en and zh', async () => {
    const mapping = { name: 'leads', targets: [{ entity: 'lead', key: ['code'], columns: { name: 'Name' } }] };
    for (const [lang, text] of [['en', 'is not filled by this target (no column, transform or default)'], ['zh', '未由此目标填充（没有列、转换或默认值）']] as const) {
      const job = await server.post<any>('/api/import/jobs', { upload: up, mapping, mode: 'validOnly' }, { 'accept-language': lang });
      expect(job.status).toBe(400);
      expect(job.body.error.details).toEqual([expect.objectContaining({ path: '/mapping/targets/0/key/0', message: expect.stringContaining(text) })]);
      const saved = await server.put<any>('/api/import/mappings/leads', mapping, { 'accept-language': lang });
      expect(saved.status).toBe(400);
      expect(saved.body.error.details[0].path).toBe('/targets/0/key/0');
    }
    expect(await count()).toBe(0);
  });

  it('a key filled by a column, a transform or a default upserts: a second run creates nothing', async () => {
    for (const target of [
      { columns: { code: 'Code', name: 'Name' } },
      { columns: { name: 'Name' }, transforms: { code: 'Code' } },
    ]) {
      const mapping = { name: 'leads', targets: [{ entity: 'lead', key: ['code'], ...target }] };
      await runJob(server, { upload: up, mapping, mode: 'validOnly' });
      const again = await runJob(server, { upload: up, mapping, mode: 'validOnly' });
      expect(again.counts).toMatchObject({ created: 0, unchanged: 2 });
    }
    expect(await count()).toBe(2);
  });
});

describe('other mistakes, said in Chinese, at their pointer in the job\u2019s body (under /mapping)', () => {
  it.each([
    [{ targets: [{ entity: 'leads', columns: { name: 'Name' } }] }, '/targets/0/entity', '"leads" 不是实体'],
    [{ format: 'tsv', targets: [{ entity: 'lead', columns: { name: 'Name' } }] }, '/format', '必须是 csv、jsonl 或 xlsx'],
    [{ timeZone: 'Beijing', targets: [{ entity: 'lead', columns: { name: 'Name' } }] }, '/timeZone', '不是 IANA 时区'],
    [{ decimalSeparator: ',', delimiter: ',', targets: [{ entity: 'lead', columns: { name: 'Name' } }] }, '/delimiter', '不能与小数点相同'],
    [{ targets: [] }, '/targets', '必须列出 1 到 10 个目标'],
    [{ targets: [{ entity: 'lead', key: [], columns: { name: 'Name' } }] }, '/targets/0/key', '必须列出 1 到 5 个字段'],
    [{ targets: [{ entity: 'lead', columns: { name: 'Name' }, lookups: { name: { by: 'x' } } }] }, '/targets/0/lookups/name', '"name" 不是查找字段'],
    [{ targets: [{ entity: 'lead', columns: { name: 'Name' }, blankCells: 'skip' }] }, '/targets/0/blankCells', '必须是 "keep" 或 "clear"'],
    [{ targets: [{ entity: 'lead', columns: { name: 'Name', createdAt: 'Created' } }] }, '/targets/0/columns/createdAt', '是系统字段'],
  ] as const)('%o → %s', async (mapping, pointer, zh) => {
    const res = await server.post<any>('/api/import/jobs', { upload: up, mapping: { name: 'leads', ...mapping }, mode: 'dryRun' }, { 'accept-language': 'zh' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('导入映射无效');
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: `/mapping${pointer}`, message: expect.stringContaining(zh) })]));
  });
});
