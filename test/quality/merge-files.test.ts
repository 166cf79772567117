// Merging records with attachments: the survivor may keep a merged record's files (field by field,
// as any other value), which then belong to it and are served to whoever reads it; undoing the merge
// gives them back to the record they came from, and a merged record's files the survivor did not
// keep come back with it. Each file's bytes are compared with what was uploaded.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function create(values: Record<string, unknown>): Promise<any> {
  const res = await server.post<any>('/api/data/person', values);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const upload = (field: string, text: string) => uploadFile(server, { entity: 'person', field, name: `${text}.txt`, text });

async function download(id: string): Promise<string | number> {
  const res = await fetch(`${server.url}/api/files/${id}`, { headers: { authorization: `Bearer ${server.admin!.token}` } });
  return res.status === 200 ? res.text() : res.status;
}

const fileIds = (value: unknown) => (Array.isArray(value) ? value : value ? [value] : []).map((f: any) => f.id);

describe('merging records with files', () => {
  it('lets the survivor keep a merged record\'s files; undo gives them back', async () => {
    const keep = await create({ name: 'Ann', docs: [await upload('docs', 'survivor doc')] });
    const twin = await create({ name: 'Ann B', cv: await upload('cv', 'twin cv'), docs: [await upload('docs', 'twin doc')] });

    const merged = await server.post<any>('/api/quality/person/merge', { survivor: keep.id, merged: [twin.id], values: { cv: twin.id } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(fileIds(merged.body.record.cv)).toEqual(fileIds(twin.cv));
    expect(fileIds(merged.body.record.docs)).toEqual(fileIds(keep.docs));
    expect(await download(twin.cv.id)).toBe('twin cv');
    const listed = await server.get<any>(`/api/files?entity=person&recordId=${keep.id}`);
    expect(listed.body.items.map((f: any) => f.id).sort()).toEqual([...fileIds(keep.docs), twin.cv.id].sort());

    const undo = await server.post<any>(`/api/quality/merges/${merged.body.merge}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    const back = (await server.get<any>(`/api/data/person/${twin.id}`)).body;
    expect(fileIds(back.cv)).toEqual(fileIds(twin.cv));
    expect(fileIds(back.docs)).toEqual(fileIds(twin.docs));
    expect(await download(twin.cv.id)).toBe('twin cv');
    expect(await download(twin.docs[0].id)).toBe('twin doc');
    const survivor = (await server.get<any>(`/api/data/person/${keep.id}`)).body;
    expect(survivor.cv).toBeUndefined();
    const twinFiles = await server.get<any>(`/api/files?entity=person&recordId=${twin.id}`);
    expect(twinFiles.body.items.map((f: any) => f.id).sort()).toEqual([twin.cv.id, twin.docs[0].id].sort());
  });
});
