// A survivor that pointed at its own duplicate, over HTTP: after the merge it would point at itself —
// its own manager, a peer of itself. The lookup is cleared instead and the link taken out of the list
// (other links stay); a record of the same entity pointing at the merged one is re-pointed as any
// child; undo gives everything back as it was.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

const person = {
  kind: 'entity', name: 'person', label: { en: 'Person', zh: '联系人' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, manager: { type: 'lookup', to: 'person' }, peers: { type: 'multiLookup', to: 'person' } },
};

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/person', person)).status).toBe(201);
}, 60_000);
afterAll(async () => server?.close());

async function create(values: Record<string, unknown>): Promise<any> {
  const res = await server.post<any>('/api/data/person', values);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
const read = async (id: string) => (await server.get<any>(`/api/data/person/${id}`)).body;
const links = (value: unknown) => (Array.isArray(value) ? value.map((v: any) => v.id ?? v) : value);

describe('a survivor pointing at its duplicate', () => {
  it('points at nothing of itself after the merge; undo puts it back', async () => {
    const boss = await create({ name: 'Boss' });
    const twin = await create({ name: 'Kim 2', manager: boss.id });
    const keep = await create({ name: 'Kim', manager: twin.id, peers: [twin.id, boss.id] });
    const report = await create({ name: 'Lee', manager: twin.id, peers: [twin.id] });
    const before = await Promise.all([keep.id, report.id].map(read));

    const merged = await server.post<any>('/api/quality/person/merge', { survivor: keep.id, merged: [twin.id] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const after = await read(keep.id);
    expect(after.manager).toBeUndefined();
    expect(links(after.peers)).toEqual([boss.id]);
    const other = await read(report.id);
    expect([other.manager, links(other.peers)]).toEqual([keep.id, [keep.id]]);

    const undo = await server.post<any>(`/api/quality/merges/${merged.body.merge}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    const back = await Promise.all([keep.id, report.id].map(read));
    expect(back.map((r) => [r.manager, links(r.peers)])).toEqual(before.map((r) => [r.manager, links(r.peers)]));
  });
});
