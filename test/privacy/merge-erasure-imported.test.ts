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

  it('merged away in turn: the record the survivor went into is theirs, and neither undo brings a record back', async () => {
    const first = await importMember('Vera Imported', 'vera.then@example.org', 'moored at Limehouse Basin');
    const second = await server.post<any>('/api/data/member', { name: 'Vera Second', email: 'vera.second@example.org' });
    const last = await server.post<any>('/api/data/member', { name: 'Vera Last', email: 'vera.last@example.org', tier: 'silver' });
    const inner = await server.post<any>('/api/quality/member/merge', { survivor: second.body.id, merged: [first] });
    expect(inner.status, JSON.stringify(inner.body)).toBe(200);
    const outer = await server.post<any>('/api/quality/member/merge', { survivor: last.body.id, merged: [second.body.id] });
    expect(outer.status, JSON.stringify(outer.body)).toBe(200);

    const exported = await server.get<any>(`/api/privacy/export?email=${encodeURIComponent('vera.then@example.org')}`);
    expect(exported.body.records.map((r: any) => `${r.entity}/${r.id}/${r.relation}`)).toEqual([`member/${last.body.id}/subject`]);
    const erased = await server.post<any>('/api/privacy/erase', { email: 'vera.then@example.org' });
    expect(erased.body.erased.map((e: any) => `${e.entity}/${e.id}/${e.action}`)).toEqual([`member/${last.body.id}/anonymized`]);
    for (const merge of [inner.body.merge, outer.body.merge]) {
      expect(JSON.stringify((await server.server.store.get('_merges', merge))?.data)).not.toMatch(/vera|limehouse/i);
      expect((await server.post(`/api/quality/merges/${merge}/undo`)).status).toBe(409);
    }
    for (const id of [first, second.body.id]) expect((await server.get(`/api/data/member/${id}`)).status).toBe(404);
  });
});
