// Empty cells on update, over HTTP: by default they leave a field as it is; a target saying
// `blankCells: "clear"` empties the fields a row leaves blank (never its key), a required field so
// emptied is a rejected row naming its column, undo gives the cleared values back, and a mapping
// with any other `blankCells` is a 400 naming the pointer, in the caller's language.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { rejectedRows, runJob, undoJob, upload } from './support.ts';

let server: TestServer;
let dir: string;
const target = { entity: 'lead', key: ['email'], columns: { email: 'E-mail', name: 'Name', city: 'City', score: 'Score' } };

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'lead', label: 'Lead', titleField: 'name', fields: { email: { type: 'email', unique: true }, name: { type: 'text', required: true }, city: { type: 'text' }, score: { type: 'number' } } },
  ]);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-blank-cells-'));
});
afterAll(async () => server?.close());

async function csv(name: string, text: string) {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return upload(server, file, name);
}

async function leads() {
  const res = await server.get<any>('/api/data/lead?limit=100&sort=email');
  return res.body.items.map((r: any) => ({ email: r.email, name: r.name, city: r.city ?? null, score: r.score ?? null }));
}

it('leaves fields as they are by default, clears them with blankCells: clear, and undo restores them', async () => {
  const first = await runJob(server, { upload: await csv('a.csv', 'E-mail,Name,City,Score\nada@x.test,Ada,Berlin,5\nbob@x.test,Bob,Paris,7\n'), mapping: { name: 'leads', targets: [target] }, mode: 'validOnly' });
  expect(first.counts).toMatchObject({ created: 2 });
  const edited = 'E-mail,Name,City,Score\nada@x.test,Ada,,\nbob@x.test,,Rome,\ncy@x.test,Cy,,\n';

  const kept = await runJob(server, { upload: await csv('b.csv', edited), mapping: { name: 'leads', targets: [target] }, mode: 'validOnly' });
  expect(kept.counts).toMatchObject({ created: 1, updated: 1, unchanged: 1, rejected: 0 });
  expect(await leads()).toEqual([
    { email: 'ada@x.test', name: 'Ada', city: 'Berlin', score: 5 },
    { email: 'bob@x.test', name: 'Bob', city: 'Rome', score: 7 },
    { email: 'cy@x.test', name: 'Cy', city: null, score: null },
  ]);

  const clearing = { name: 'leads-clearing', targets: [{ ...target, blankCells: 'clear' }] };
  const upload2 = await csv('c.csv', edited);
  const dry = await runJob(server, { upload: upload2, mapping: clearing, mode: 'dryRun' });
  expect(dry.counts).toMatchObject({ updated: 1, unchanged: 1, rejected: 1 });
  const cleared = await runJob(server, { upload: upload2, mapping: clearing, mode: 'validOnly' });
  expect(cleared.counts).toMatchObject({ created: 0, updated: 1, unchanged: 1, rejected: 1 });
  const rejected = await rejectedRows(server, cleared.id);
  expect(rejected.map((r) => ({ line: r.line, issues: r.issues.map((i: any) => ({ column: i.column, field: i.field })) }))).toEqual([{ line: 3, issues: [{ column: 'Name', field: 'name' }] }]);
  expect(await leads()).toEqual([
    { email: 'ada@x.test', name: 'Ada', city: null, score: null },
    { email: 'bob@x.test', name: 'Bob', city: 'Rome', score: 7 },
    { email: 'cy@x.test', name: 'Cy', city: null, score: null },
  ]);

  const undo = await undoJob(server, cleared.id);
  expect(undo.started.status, JSON.stringify(undo.started.body)).toBe(202);
  expect(undo.report).toMatchObject({ restored: 1, deleted: 0 });
  expect((await leads())[0]).toEqual({ email: 'ada@x.test', name: 'Ada', city: 'Berlin', score: 5 });
});

it('refuses any other blankCells, naming its pointer in the caller\u2019s language', async () => {
  const up = await csv('d.csv', 'E-mail,Name\nada@x.test,Ada\n');
  const body = { upload: up, mapping: { name: 'leads-bad', targets: [{ ...target, columns: { email: 'E-mail', name: 'Name' }, blankCells: 'wipe' }] }, mode: 'dryRun' };
  const en = await server.post<any>('/api/import/jobs', body);
  expect(en.status).toBe(400);
  expect(en.body.error.details).toEqual([expect.objectContaining({ path: '/mapping/targets/0/blankCells', message: expect.stringContaining('"keep" or "clear"') })]);
  const saved = await server.request<any>('PUT', '/api/import/mappings/leads-bad', body.mapping, { 'accept-language': 'zh-CN' });
  expect(saved.status).toBe(400);
  expect(saved.body.error).toMatchObject({ message: '导入映射无效', details: [expect.objectContaining({ path: '/targets/0/blankCells' })] });
});
