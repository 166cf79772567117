// A person known only by an address an imported record held, that record merged into another: an
// import's create audit entry names its source (job, file, line) instead of the values, so the
// merged record's address is in no audit entry the survivor took over — only in the merge's log,
// which keeps it for the undo. The person must be found through it (exported, erased), and an
// undo after the erasure must not bring the record back with their values.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { runJob, upload } from '../import/support.ts';

const member = {
  kind: 'entity', name: 'member', label: 'Member', titleField: 'name', privacy: { subjectField: 'email', erasure: 'anonymize' },
  fields: { name: { type: 'text', required: true, personal: true }, email: { type: 'email', personal: true }, notes: { type: 'textarea', personal: true }, tier: { type: 'text' } },
};

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.post('/api/meta/apply', { documents: [member] })).status).toBe(200);
  dir = await mkdtemp(path.join(os.tmpdir(), 'crm-merge-imported-'));
}, 60_000);
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function importMember(name: string, email: string, notes: string): Promise<string> {
  const file = path.join(dir, `${email}.csv`);
  await writeFile(file, `Name,E-mail,Notes\n${name},${email},${notes}\n`);
  const job = await runJob(server, { upload: await upload(server, file, 'members.csv'), mapping: { name: 'members', targets: [{ entity: 'member', columns: { name: 'Name', email: 'E-mail', notes: 'Notes' } }] }, mode: 'validOnly' });
  expect(job.status, JSON.stringify(job)).toBe('done');
  const found = await server.get<any>(`/api/data/member?filter=${encodeURIComponent(JSON.stringify({ email }))}`);
  expect(found.body.items).toHaveLength(1);
  return found.body.items[0].id;
}

describe('a person known by an address only an imported, merged record held', () => {
  it('is found through the merge log (exported, erased); the undo is refused and brings nothing back', async () => {
    const twin = await importMember('Ulla Imported', 'ulla.then@example.org', 'moored at Shadwell Basin');
    const kept = await server.post<any>('/api/data/member', { name: 'Ulla Typed', email: 'ulla.now@example.org', tier: 'gold' });
    expect(kept.status).toBe(201);
    const merged = await server.post<any>('/api/quality/member/merge', { survivor: kept.body.id, merged: [twin] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);

    const exported = await server.get<any>(`/api/privacy/export?email=${encodeURIComponent('ulla.then@example.org')}`);
    expect(exported.status).toBe(200);
    expect(exported.body.records.map((r: any) => `${r.entity}/${r.id}/${r.relation}`)).toEqual([`member/${kept.body.id}/subject`]);

    const erased = await server.post<any>('/api/privacy/erase', { email: 'ulla.then@example.org' });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.erased.map((e: any) => `${e.entity}/${e.id}/${e.action}`)).toEqual([`member/${kept.body.id}/anonymized`]);
    expect(JSON.stringify((await server.server.store.get('_merges', merged.body.merge))?.data)).not.toMatch(/ulla|shadwell/i);

    const undo = await server.post<any>(`/api/quality/merges/${merged.body.merge}/undo`, undefined, { 'accept-language': 'en' });
    expect(undo.status, JSON.stringify(undo.body)).toBe(409);
    expect((await server.get(`/api/data/member/${twin}`)).status).toBe(404);
    expect((await server.get<any>(`/api/data/member/${kept.body.id}`)).body.tier).toBe('gold');
  });
});
