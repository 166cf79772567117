// Bulk merge over real HTTP: the duplicate groups the scan finds are merged in one request (each
// group: survivor, merged ids, a field pick), each group all-or-nothing on its own — a group whose
// record went missing meanwhile fails alone and leaves its records as they were — with children
// re-pointed; undoing the batch brings every merged record and every child link back. Bad requests
// are refused naming the group and field, in English and Chinese.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

const contact = {
  kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, email: { type: 'email' }, city: { type: 'text' } },
  duplicateRules: { sameEmail: { match: ['email'], method: 'normalized' } },
};
const note = {
  kind: 'entity', name: 'note', label: { en: 'Note', zh: '备注' }, titleField: 'text',
  fields: { text: { type: 'text', required: true }, contact: { type: 'lookup', to: 'contact', onDelete: 'restrict' } },
};

// Groups of duplicates by e-mail: the first of each group survives; the city of the second is kept.
const groups = [
  [{ name: 'Ann Lee', email: 'ann@example.com', city: 'Paris' }, { name: 'Ann  Lee', email: 'ANN@example.com', city: 'Lyon' }],
  [{ name: 'Bo Chen', email: 'bo@example.com' }, { name: 'Chen Bo', email: 'Bo@Example.com', city: 'Beijing' }, { name: 'B. Chen', email: 'bo@EXAMPLE.com' }],
  [{ name: 'Cy Roe', email: 'cy@example.com' }, { name: 'Cy R.', email: 'CY@example.com', city: 'Oslo' }],
];
const distinct = [{ name: 'Dee Solo', email: 'dee@example.com' }];
const idsOf: string[][] = [];
const notesOf = new Map<string, string>();

async function get(entity: string, id: string) {
  return server.get<any>(`/api/data/${entity}/${id}`);
}

beforeAll(async () => {
  server = await startTestServer();
  for (const doc of [contact, note]) expect((await server.put(`/api/meta/entities/${doc.name}`, doc)).status).toBe(201);
  for (const group of groups) {
    const ids: string[] = [];
    for (const values of group) {
      const res = await server.post<any>('/api/data/contact', values);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
      const n = await server.post<any>('/api/data/note', { text: `about ${values.name}`, contact: res.body.id });
      notesOf.set(res.body.id, n.body.id);
    }
    idsOf.push(ids);
  }
  for (const values of distinct) expect((await server.post('/api/data/contact', values)).status).toBe(201);
}, 120_000);
afterAll(async () => server?.close());

describe('bulk merge', () => {
  it('refuses bad groups naming them, in the caller\'s language', async () => {
    const [a, b] = idsOf[0]!;
    const en = await server.post<any>('/api/quality/contact/merge-groups', { groups: [{ survivor: a, merged: [b] }, { survivor: b, merged: [a], values: { nope: a } }], x: 1 }, { 'accept-language': 'en' });
    expect(en.status).toBe(400);
    expect(en.body.error.details.map((d: any) => d.path).sort()).toEqual(['/groups/1/values/nope', '/x']);
    const twice = await server.post<any>('/api/quality/contact/merge-groups', { groups: [{ survivor: a, merged: [b] }, { survivor: idsOf[1]![0], merged: [b] }] }, { 'accept-language': 'zh-CN' });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details).toEqual([{ path: '/groups/1/merged/0', message: '也在第 0 组中：一条记录只能合并一次' }]);
    const empty = await server.post<any>('/api/quality/contact/merge-groups', { groups: [] }, { 'accept-language': 'en' });
    expect(empty.body.error.details).toEqual([{ path: '/groups', message: 'must list 1 to 100 groups' }]);
    expect((await get('contact', b!)).status).toBe(200);
  });

  it('merges the scanned groups, each on its own; a failing group changes nothing; the batch undo restores all', async () => {
    const scan = await server.get<any>('/api/quality/contact/duplicates');
    expect(scan.status).toBe(200);
    const clusters = scan.body.items.map((c: any) => [...c.ids].sort());
    expect(clusters.sort()).toEqual(idsOf.map((ids) => [...ids].sort()).sort());

    // The third group's second record goes away before the merge: that group must fail alone.
    const [cySurvivor, cyGone] = idsOf[2]!;
    expect((await server.delete(`/api/data/note/${notesOf.get(cyGone!)}`)).status).toBe(204);
    expect((await server.delete(`/api/data/contact/${cyGone}`)).status).toBe(204);
    const cyBefore = (await get('contact', cySurvivor!)).body;

    const request = idsOf.map(([survivor, ...merged]) => ({ survivor, merged, values: { city: merged[0] } }));
    const res = await server.post<any>('/api/quality/contact/merge-groups', { groups: request });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ merged: 2, failed: 1 });
    expect(res.body.results[2]).toMatchObject({ index: 2, survivor: cySurvivor, error: { code: 'NOT_FOUND' } });
    expect((await get('contact', cySurvivor!)).body).toEqual(cyBefore);

    for (const [g, [survivor, ...merged]] of idsOf.slice(0, 2).entries()) {
      const kept = (await get('contact', survivor!)).body;
      expect(kept.city).toBe(groups[g]![1]!.city);
      for (const id of merged) expect((await get('contact', id)).status).toBe(404);
      for (const id of [survivor!, ...merged]) expect((await get('note', notesOf.get(id)!)).body.contact).toBe(survivor);
      const history = await server.get<any>(`/api/data/contact/${survivor}/history`);
      expect(history.body.items.filter((e: any) => e.action === 'merge')).toHaveLength(1);
    }

    const undo = await server.post<any>(`/api/quality/merge-batches/${res.body.batch}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(undo.body).toEqual({ undone: res.body.results.slice(0, 2).map((r: any) => r.merge).reverse(), refused: [], changedSince: [] });
    for (const [g, ids] of idsOf.slice(0, 2).entries()) {
      for (const [i, id] of ids.entries()) {
        const back = await get('contact', id);
        expect(back.status).toBe(200);
        expect(back.body.city).toBe(groups[g]![i]!.city);
        expect((await get('note', notesOf.get(id)!)).body.contact).toBe(id);
      }
    }
    const again = await server.post<any>(`/api/quality/merge-batches/${res.body.batch}/undo`, undefined, { 'accept-language': 'en' });
    expect(again.status).toBe(409);
  });
});
