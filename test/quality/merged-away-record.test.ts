// A merged-away record's address leads to the record it went into. GET of its id is still 404 —
// the record is gone — but the message says, in the caller's language and naming the entity by its
// label, that it was merged, and `error.mergedInto` points at the survivor: through a chain of
// merges, at the last one. A survivor outside the caller's scope is not named (a plain 404), and an
// undone merge's record is simply there again.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let rep: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  const person = { kind: 'entity', name: 'person', label: { en: 'Patient', zh: '患者' }, titleField: 'name', fields: { name: { type: 'text', required: true } } };
  expect((await server.put('/api/meta/entities/person', person)).status).toBe(201);
  const role = { kind: 'role', name: 'rep', label: { en: 'Rep', zh: '代表' }, permissions: { person: { read: 'own', create: true, update: 'own', delete: 'own' } } };
  expect((await server.put('/api/meta/roles/rep', role)).status).toBe(201);
  rep = await server.createUser({ email: 'rep@crm.test', roles: ['rep'] });
}, 60_000);
afterAll(async () => server?.close());

async function create(client: TestUser['client'] | TestServer, name: string): Promise<{ id: string }> {
  const res = await client.post<any>('/api/data/person', { name });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function merge(survivor: string, merged: string[]): Promise<string> {
  const res = await server.post<any>('/api/quality/person/merge', { survivor, merged });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.merge;
}

describe('the address of a merged-away record', () => {
  it('answers 404 saying, in the caller language, which record it went into', async () => {
    const kept = await create(server, 'Wang Wei');
    const gone = await create(server, 'Wang  Wei');
    await merge(kept.id, [gone.id]);
    const en = await server.get<any>(`/api/data/person/${gone.id}`, { 'accept-language': 'en' });
    expect(en.status).toBe(404);
    expect(en.body.error.code).toBe('NOT_FOUND');
    expect(en.body.error.message).toBe(`The Patient record ${gone.id} was merged into "Wang Wei"`);
    expect(en.body.error.mergedInto).toEqual({ entity: 'person', id: kept.id, title: 'Wang Wei' });
    expect(en.body.error.details).toEqual([{ path: '/id', code: 'MERGED_AWAY', message: 'the record was merged into another' }]);
    const zh = await server.get<any>(`/api/data/person/${gone.id}`, { 'accept-language': 'zh-CN' });
    expect(zh.status).toBe(404);
    expect(zh.body.error.message).toBe(`患者记录 ${gone.id} 已合并到「Wang Wei」`);
    expect(zh.body.error.mergedInto).toEqual({ entity: 'person', id: kept.id, title: 'Wang Wei' });
    // An id never merged keeps the plain answer.
    const none = await server.get<any>('/api/data/person/01NOSUCHRECORD');
    expect(none.status).toBe(404);
    expect(none.body.error.mergedInto).toBeUndefined();
  });

  it('follows a chain of two merges to the last survivor', async () => {
    const first = await create(server, 'Li Na');
    const second = await create(server, 'Li Na (2)');
    const last = await create(server, 'Li Na, MD');
    await merge(second.id, [first.id]);
    await merge(last.id, [second.id]);
    for (const id of [first.id, second.id]) {
      const res = await server.get<any>(`/api/data/person/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error.mergedInto).toEqual({ entity: 'person', id: last.id, title: 'Li Na, MD' });
      expect(res.body.error.message).toContain('"Li Na, MD"');
    }
  });

  it('answers a PATCH, a DELETE and a reassignment of the old id as its GET does', async () => {
    const kept = await create(server, 'Sun Li');
    const gone = await create(server, 'Sun  Li');
    await merge(kept.id, [gone.id]);
    const get = await server.get<any>(`/api/data/person/${gone.id}`, { 'accept-language': 'zh-CN' });
    const tries = [
      await server.request<any>('PATCH', `/api/data/person/${gone.id}`, { name: 'Sun Li (new)' }, { 'accept-language': 'zh-CN' }),
      await server.request<any>('DELETE', `/api/data/person/${gone.id}`, undefined, { 'accept-language': 'zh-CN' }),
      await server.post<any>(`/api/data/person/${gone.id}/reassign`, { owner: server.admin!.id }, { 'accept-language': 'zh-CN' }),
    ];
    for (const res of tries) {
      expect(res.status).toBe(404);
      expect({ ...res.body.error, requestId: undefined }).toEqual({ ...get.body.error, requestId: undefined });
    }
    expect(get.body.error.mergedInto).toEqual({ entity: 'person', id: kept.id, title: 'Sun Li' });
    // Nothing was written to the survivor by the refused PATCH.
    expect((await server.get<any>(`/api/data/person/${kept.id}`)).body.name).toBe('Sun Li');
    // A survivor the caller may not read stays unnamed in a write's answer too.
    const mine = await create(rep.client, 'Sun Li ');
    await merge(kept.id, [mine.id]);
    const refused = await rep.client.request<any>('PATCH', `/api/data/person/${mine.id}`, { name: 'x' });
    expect(refused.status).toBe(404);
    expect(refused.body.error.mergedInto).toBeUndefined();
    expect(JSON.stringify(refused.body)).not.toContain(kept.id);
  });

  it('names no survivor the caller may not read', async () => {
    const theirs = await create(server, 'Zhao Lei');
    const mine = await create(rep.client, 'Zhao Lei ');
    // The admin keeps their own record; the rep's went into one the rep cannot read.
    await merge(theirs.id, [mine.id]);
    const res = await rep.client.get<any>(`/api/data/person/${mine.id}`);
    expect(res.status).toBe(404);
    expect(res.body.error.mergedInto).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain(theirs.id);
    expect(JSON.stringify(res.body)).not.toContain('Zhao Lei');
    expect(res.body.error.message).not.toMatch(/merged/);
    // The same record is named to whoever may read it.
    expect((await server.get<any>(`/api/data/person/${mine.id}`)).body.error.mergedInto.id).toBe(theirs.id);
  });

  it('an undone merge: the record is there again', async () => {
    const kept = await create(server, 'Chen Jie');
    const gone = await create(server, 'Chen  Jie');
    const id = await merge(kept.id, [gone.id]);
    expect((await server.get(`/api/data/person/${gone.id}`)).status).toBe(404);
    expect((await server.post(`/api/quality/merges/${id}/undo`, {})).status).toBe(200);
    const back = await server.get<any>(`/api/data/person/${gone.id}`);
    expect(back.status).toBe(200);
    expect(back.body.name).toBe('Chen  Jie');
    // Merged again, later: the newest merge says where it went.
    const other = await create(server, 'Chen Jie (clinic B)');
    await merge(other.id, [gone.id]);
    expect((await server.get<any>(`/api/data/person/${gone.id}`)).body.error.mergedInto.id).toBe(other.id);
  });
});
