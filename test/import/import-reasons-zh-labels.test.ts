// A rejected row's reason read in Chinese names the entity and the field by their Chinese labels:
// "没有name为「…」的account" and "有多条account的 name 相同" read as code to a Chinese admin.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, upload } from './support.ts';

let server: TestServer;
let dir: string;

const metadata = [
  { kind: 'entity', name: 'depot', label: { en: 'Depot', zh: '仓库' }, titleField: 'title', fields: { title: { type: 'text', label: { en: 'Title', zh: '仓库名称' }, required: true }, city: { type: 'text', label: { en: 'City', zh: '城市' } } } },
  { kind: 'entity', name: 'parcel', label: { en: 'Parcel', zh: '包裹' }, titleField: 'code', fields: { code: { type: 'text', label: { en: 'Code', zh: '单号' }, required: true }, depot: { type: 'lookup', to: 'depot', label: { en: 'Depot', zh: '仓库' } } } },
];

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'reasons-zh-'));
  expect((await server.post('/api/meta/apply', metadata)).status).toBe(200);
  for (const depot of [{ title: '北仓', city: '天津' }, { title: '南仓', city: '广州' }, { title: '南仓', city: '深圳' }]) expect((await server.post('/api/data/depot', depot)).status).toBe(201);
}, 120_000);
afterAll(async () => server?.close());

async function reasonsZh(csv: string, mapping: unknown): Promise<string[]> {
  const file = path.join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(file, csv);
  const job = await runJob(server, { upload: await upload(server, file, path.basename(file)), mapping, mode: 'dryRun' });
  expect(job.status).toBe('done');
  const rows = await rejectedRows(server, job.id);
  const zh = await server.get<any>(`/api/import/jobs/${job.id}/rows`, { 'accept-language': 'zh' });
  expect(zh.body.items.length).toBe(rows.length);
  return zh.body.items.flatMap((r: any) => r.issues.map((i: any) => i.reason));
}

describe('reasons in Chinese name entities and fields by their labels', () => {
  it('a lookup matching no record, or several', async () => {
    const reasons = await reasonsZh('单号,仓库\nP1,东仓\nP2,南仓\nP3,北仓\n', { name: 'parcels', targets: [{ entity: 'parcel', columns: { code: '单号', depot: '仓库' }, lookups: { depot: { by: 'title' } } }] });
    expect(reasons).toEqual(['没有仓库名称为「东仓」的仓库', '有多条仓库的仓库名称为「南仓」：无法确定是哪一条（请改名其一，或填写 ID）']);
  });

  it('an upsert key several records hold', async () => {
    const reasons = await reasonsZh('名称,城市\n南仓,珠海\n', { name: 'depots', targets: [{ entity: 'depot', key: ['title'], columns: { title: '名称', city: '城市' } }] });
    expect(reasons).toEqual(['有多条仓库的仓库名称相同']);
  });
});
