// What a merge keeps to be undone — the merged records whole, and their files the survivor did not
// keep — is kept only while the merge can be undone. Once it cannot (the survivor changed, was merged
// again or deleted; the merge undone), the copies leave the merge log and the files leave the store
// and the data folder, as a deleted record's files do. Files are checked in `_files` and on disk
// after the scheduler's run (its sweep deletes released files).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { uploadFile } from '../support/upload-file.ts';

let server: TestServer;

const person = {
  kind: 'entity', name: 'person', label: { en: 'Person', zh: '联系人' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, cv: { type: 'file' }, docs: { type: 'file', multiple: true } },
};

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.put('/api/meta/entities/person', person);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}, 60_000);
afterAll(async () => server?.close());

const upload = (field: string, text: string) => uploadFile(server, { entity: 'person', field, name: `${field}.txt`, text });

async function create(name: string): Promise<{ id: string; cv: string; doc: string }> {
  const cv = await upload('cv', `cv of ${name}`);
  const doc = await upload('docs', `doc of ${name}`);
  const res = await server.post<any>('/api/data/person', { name, cv, docs: [doc] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, cv, doc };
}

/** Merges `merged` into `survivor`, the survivor keeping the merged record's CV (its document stays behind). */
async function merge(survivor: string, merged: string): Promise<string> {
  const res = await server.post<any>('/api/quality/person/merge', { survivor, merged: [merged], values: { cv: merged } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.merge;
}

const runScheduler = () => findWorkflowRuntime(server.server.services)!.scheduler.runDue();
const stored = async (id: string) => (await server.server.store.get('_files', id)) !== undefined || existsSync(path.join(server.dataDir, 'files', id));
const download = async (id: string) => {
  const res = await fetch(`${server.url}/api/files/${id}`, { headers: { authorization: `Bearer ${server.admin!.token}` } });
  return res.status === 200 ? res.text() : res.status;
};
const mergeLog = async (id: string) => JSON.stringify((await server.server.store.get('_merges', id))!.data);

describe('what a merge leaves behind, once it can no longer be undone', () => {
  it('the survivor deleted: the merged record\'s files it did not keep go; the undo is refused with 409 saying so', async () => {
    const keep = await create('Ada Survivor');
    const twin = await create('Ada Twin');
    const id = await merge(keep.id, twin.id);
    await runScheduler();
    expect(await stored(twin.doc)).toBe(true); // undo could still give it back
    expect(await mergeLog(id)).toMatch(/Ada Twin/);

    expect((await server.delete(`/api/data/person/${keep.id}`)).status).toBe(204);
    await runScheduler();
    for (const file of [keep.cv, keep.doc, twin.cv, twin.doc]) expect(await stored(file)).toBe(false);
    expect(await mergeLog(id)).not.toMatch(/Ada/);

    const en = await server.post<any>(`/api/quality/merges/${id}/undo`, undefined, { 'accept-language': 'en' });
    expect(en.status, JSON.stringify(en.body)).toBe(409);
    expect(en.body.error.message).toMatch(/can no longer be undone: the record it kept was deleted/);
    expect(en.body.error.details[0].path).toBe('/survivor');
    const zh = await server.post<any>(`/api/quality/merges/${id}/undo`, undefined, { 'accept-language': 'zh-CN' });
    expect(zh.body.error.message).toMatch(/无法撤销.*已被删除/);
  });

  it('the survivor changed (the undo is refused from then on): the merged record\'s copy and left files go, and the survivor\'s replaced CV; the CV it kept stays', async () => {
    const keep = await create('Bo Survivor');
    const twin = await create('Bo Twin');
    const id = await merge(keep.id, twin.id);
    // The CV it took is the survivor's now; its own, which the merge replaced, is kept only for an undo.
    expect(await download(twin.cv)).toBe('cv of Bo Twin');
    expect(await stored(keep.cv)).toBe(true);
    expect((await server.patch(`/api/data/person/${keep.id}`, { name: 'Bo Survivor-Smith' })).status).toBe(200);
    await runScheduler();
    expect(await stored(twin.doc)).toBe(false);
    expect(await stored(keep.cv)).toBe(false);
    expect(await download(twin.cv)).toBe('cv of Bo Twin');
    expect(await download(keep.doc)).toBe('doc of Bo Survivor');
    expect(await mergeLog(id)).not.toMatch(/Bo Twin/);
    const undo = await server.post<any>(`/api/quality/merges/${id}/undo`, undefined, { 'accept-language': 'en' });
    expect(undo.status).toBe(409);
    expect(undo.body.error.message).toMatch(/changed since the merge/);
    expect((await server.get(`/api/data/person/${twin.id}`)).status).toBe(404);
    // Deleted later, the survivor is no longer there to compare: still 409, saying so.
    expect((await server.delete(`/api/data/person/${keep.id}`)).status).toBe(204);
    const gone = await server.post<any>(`/api/quality/merges/${id}/undo`, undefined, { 'accept-language': 'en' });
    expect(gone.status, JSON.stringify(gone.body)).toBe(409);
    expect(gone.body.error.message).toMatch(/the record it kept was deleted/);
  });

  it('the survivor merged again: the first merge\'s leftovers go, the second\'s stay until it too can no longer be undone', async () => {
    const keep = await create('Cy Survivor');
    const first = await create('Cy First');
    const second = await create('Cy Second');
    const one = await merge(keep.id, first.id);
    const two = await merge(keep.id, second.id);
    await runScheduler();
    expect(await stored(first.doc)).toBe(false);
    expect(await mergeLog(one)).not.toMatch(/Cy First/);
    expect(await stored(second.doc)).toBe(true);
    // The second can still be undone, and gives its merged record back with its files.
    const undo = await server.post<any>(`/api/quality/merges/${two}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect((await server.get<any>(`/api/data/person/${second.id}`)).body.docs.map((f: any) => f.id)).toEqual([second.doc]);
    // Undone, the log has no use for its copy of the merged record.
    expect(await mergeLog(two)).not.toMatch(/Cy Second/);
    expect(await stored(second.doc)).toBe(true);
  });

  it('a merge into a record that was merged away in turn goes with the last survivor', async () => {
    const top = await create('Di Top');
    const middle = await create('Di Middle');
    const bottom = await create('Di Bottom');
    const inner = await merge(middle.id, bottom.id);
    const outer = await merge(top.id, middle.id);
    await runScheduler();
    expect(await stored(bottom.doc)).toBe(true);
    expect(await stored(middle.doc)).toBe(true);

    expect((await server.delete(`/api/data/person/${top.id}`)).status).toBe(204);
    await runScheduler();
    for (const file of [middle.doc, bottom.doc, bottom.cv]) expect(await stored(file)).toBe(false);
    expect(await mergeLog(inner)).not.toMatch(/Di Bottom/);
    expect(await mergeLog(outer)).not.toMatch(/Di Middle/);
    expect((await server.post<any>(`/api/quality/merges/${inner}/undo`)).status).toBe(409);
  });
});
