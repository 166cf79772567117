// An import's upsert finds records by their key: one found outside the importer's update scope (a
// colleague's, for a rep who may update only their own) is refused for that row like a unique clash,
// never updated; the importer's own is updated, a new key created. An administrator's import (every
// record in scope) updates the colleague's record as the API would.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServices } from '../../engine/import/import-module.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { rejectedRows, runJob, upload } from './support.ts';

let server: TestServer;
let rep: TestUser;
let repToken: string;
let file: string;
const mapping = { name: 'members', targets: [{ entity: 'member', key: ['code'], columns: { code: 'code', name: 'name' } }] };

beforeAll(async () => {
  server = await startTestServer();
  const entity = { kind: 'entity', name: 'member', label: { en: 'Member', zh: '会员' }, titleField: 'name', fields: { code: { type: 'text', required: true, unique: true }, name: { type: 'text', required: true } } };
  expect((await server.put('/api/meta/entities/member', entity)).status).toBe(201);
  const role = { kind: 'role', name: 'rep', label: { en: 'Rep', zh: '代表' }, permissions: { member: { read: 'all', create: true, update: 'own' } } };
  expect((await server.put('/api/meta/roles/rep', role)).status).toBe(201);
  rep = await server.createUser({ email: 'rep@crm.test', roles: ['rep'] });
  repToken = (await rep.client.post<any>('/api/auth/tokens', { name: 'import', role: 'rep' })).body.token;
  expect((await server.post('/api/data/member', { code: 'THEIRS', name: 'Colleague’s member' })).status).toBe(201);
  expect((await rep.client.post('/api/data/member', { code: 'MINE', name: 'My member' })).status).toBe(201);
  file = path.join(await mkdtemp(path.join(os.tmpdir(), 'crm-upsert-scope-')), 'members.csv');
  await writeFile(file, 'code,name\nTHEIRS,Renamed by the rep\nMINE,Renamed mine\nNEW,A new member\n');
}, 120_000);
afterAll(async () => server?.close());

const names = async () => Object.fromEntries((await server.get<any>('/api/data/member?limit=10')).body.items.map((m: any) => [m.code, m.name]));

describe('an import’s upsert and the importer’s update scope', () => {
  it('refuses the row whose key finds a record the importer may not change, and writes the others', async () => {
    const res = await fetch(`${server.url}/api/import/uploads?name=members.csv`, { method: 'POST', headers: { authorization: `Bearer ${repToken}`, 'content-type': 'text/csv' }, body: await readFile(file) });
    expect(res.status).toBe(201);
    const { upload: id } = (await res.json()) as { upload: string };
    const started = await fetch(`${server.url}/api/import/jobs`, { method: 'POST', headers: { authorization: `Bearer ${repToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ upload: id, mapping, mode: 'validOnly' }) });
    expect(started.status).toBe(202);
    const job = (await started.json()) as { id: string };
    await importServices.get(server.server.services)!.idle();
    const done = (await server.get<any>(`/api/import/jobs/${job.id}`)).body;
    expect(done.counts).toMatchObject({ rows: 3, created: 1, updated: 1, rejected: 1 });
    const rejected = await rejectedRows(server, job.id);
    expect(rejected.map((r: any) => [r.line, r.issues.map((i: any) => i.reason).join('; ')])).toEqual([[2, 'a Member with this code exists and you may not change it']]);
    expect(await names()).toEqual({ THEIRS: 'Colleague’s member', MINE: 'Renamed mine', NEW: 'A new member' });
  });

  it('updates that record when an administrator imports the same file', async () => {
    const job = await runJob(server, { upload: await upload(server, file, 'members.csv'), mapping, mode: 'validOnly' });
    expect(job.counts).toMatchObject({ rows: 3, updated: 1, unchanged: 2, rejected: 0 });
    expect((await names())['THEIRS']).toBe('Renamed by the rep');
  });
});
