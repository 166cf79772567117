// Undoing a merge gives each re-pointed record back the value it had before the merge: a
// many-to-many field keeps its whole list — other links and link attributes included — rather than
// becoming one id; a record re-pointed again by someone after the merge is left as they left it and
// listed. Expected values are the records as read before the merge.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

const entities = [
  { kind: 'entity', name: 'person', label: { en: 'Person', zh: '联系人' }, titleField: 'name', fields: { name: { type: 'text', required: true } } },
  { kind: 'entity', name: 'task', label: { en: 'Task', zh: '任务' }, titleField: 'subject', fields: { subject: { type: 'text', required: true }, person: { type: 'lookup', to: 'person' } } },
  {
    kind: 'entity', name: 'deal', label: { en: 'Deal', zh: '交易' }, titleField: 'title',
    fields: { title: { type: 'text', required: true }, people: { type: 'multiLookup', to: 'person', linkFields: { role: { type: 'text' } } } },
  },
];

beforeAll(async () => {
  server = await startTestServer();
  for (const doc of entities) {
    const res = await server.put(`/api/meta/entities/${doc.name}`, doc);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}, 60_000);
afterAll(async () => server?.close());

async function create(entity: string, values: Record<string, unknown>): Promise<any> {
  const res = await server.post<any>(`/api/data/${entity}`, values);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const read = async (entity: string, id: string) => (await server.get<any>(`/api/data/${entity}/${id}`)).body;

describe('undoing a merge', () => {
  it('gives many-to-many fields back their whole lists, link attributes included', async () => {
    const [keep, twin, triplet, other] = await Promise.all(['Ann', 'Ann B', 'Ann C', 'Bo'].map((name) => create('person', { name })));
    // One deal links a merged record (with a role) and an unrelated one; the other links the survivor and a merged record.
    const withRole = await create('deal', { title: 'D1', people: [{ id: twin.id, role: 'buyer' }, other.id] });
    const withBoth = await create('deal', { title: 'D2', people: [keep.id, triplet.id] });
    const before = [(await read('deal', withRole.id)).people, (await read('deal', withBoth.id)).people];

    const merged = await server.post<any>('/api/quality/person/merge', { survivor: keep.id, merged: [twin.id, triplet.id] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect((await read('deal', withBoth.id)).people.map((l: any) => l.id ?? l)).toEqual([keep.id]);

    const undo = await server.post<any>(`/api/quality/merges/${merged.body.merge}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect([(await read('deal', withRole.id)).people, (await read('deal', withBoth.id)).people]).toEqual(before);
    const linkedBy = await server.get<any>(`/api/data/person/${twin.id}/linked-by/deal/people`);
    expect(linkedBy.body.items.map((d: any) => d.id)).toEqual([withRole.id]);
  });

  it('gives the survivor and the merged records back their own references, listing nothing as changed', async () => {
    await server.put('/api/meta/entities/person', { ...entities[0], fields: { ...entities[0]!.fields, manager: { type: 'lookup', to: 'person' }, peers: { type: 'multiLookup', to: 'person' } } });
    const twin = await create('person', { name: 'Eve 2' });
    const keep = await create('person', { name: 'Eve', manager: twin.id, peers: [twin.id] });
    const reports = await create('person', { name: 'Fay', manager: twin.id, peers: [keep.id, twin.id] });
    // A third duplicate whose manager is the second: merged together, it is re-pointed before it goes.
    const triplet = await create('person', { name: 'EVE', manager: twin.id });
    const before = [await read('person', keep.id), await read('person', reports.id)].map((r) => ({ manager: r.manager, peers: r.peers }));
    const merged = await server.post<any>('/api/quality/person/merge', { survivor: keep.id, merged: [twin.id, triplet.id] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const undo = await server.post<any>(`/api/quality/merges/${merged.body.merge}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(undo.body.changedSince).toEqual([]);
    expect((await read('person', triplet.id)).manager).toBe(twin.id);
    expect([await read('person', keep.id), await read('person', reports.id)].map((r) => ({ manager: r.manager, peers: r.peers }))).toEqual(before);
  });

  it('leaves a record re-pointed since the merge as it is now, and lists it', async () => {
    const [keep, twin, third] = await Promise.all(['Cy', 'Cy 2', 'Dee'].map((name) => create('person', { name })));
    const stays = await create('task', { subject: 'stays', person: twin.id });
    const moved = await create('task', { subject: 'moved', person: twin.id });
    const merged = await server.post<any>('/api/quality/person/merge', { survivor: keep.id, merged: [twin.id] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const current = await server.get<any>(`/api/data/task/${moved.id}`);
    const edit = await server.patch<any>(`/api/data/task/${moved.id}`, { person: third.id }, { 'if-match': current.headers.get('etag')! });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);

    const undo = await server.post<any>(`/api/quality/merges/${merged.body.merge}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect((await read('task', stays.id)).person).toBe(twin.id);
    expect((await read('task', moved.id)).person).toBe(third.id);
    expect(undo.body.changedSince).toEqual([{ entity: 'task', id: moved.id, field: 'person' }]);
  });
});
