// Regression: a record whose lookup points at itself could not be deleted (setNull updated it as its
// own child, then the delete used the old version: 412; cascade recursed to its budget: 409;
// restrict counted the record against itself). Two records pointing at each other likewise.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const node = (onDelete: string) => ({ kind: 'entity', name: `node${onDelete[0]!.toUpperCase()}${onDelete.slice(1)}`, label: onDelete, fields: { name: { type: 'text' }, parent: { type: 'lookup', to: `node${onDelete[0]!.toUpperCase()}${onDelete.slice(1)}`, onDelete } } });

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.post('/api/meta/apply', [node('setNull'), node('cascade'), node('restrict')])).status).toBe(200);
});
afterAll(async () => server.close());

describe('deleting records that refer to themselves', () => {
  it.each(['setNull', 'cascade', 'restrict'])('%s: a self-reference deletes cleanly', async (onDelete) => {
    const entity = node(onDelete).name;
    const created = (await server.post(`/api/data/${entity}`, { name: 'self' })).body;
    expect((await server.patch(`/api/data/${entity}/${created.id}`, { parent: created.id })).status).toBe(200);
    expect((await server.delete(`/api/data/${entity}/${created.id}`)).status).toBe(204);
    expect((await server.get(`/api/data/${entity}/${created.id}`)).status).toBe(404);
  });

  it('cascade: two records pointing at each other are both deleted', async () => {
    const a = (await server.post('/api/data/nodeCascade', { name: 'a' })).body;
    const b = (await server.post('/api/data/nodeCascade', { name: 'b', parent: a.id })).body;
    expect((await server.patch(`/api/data/nodeCascade/${a.id}`, { parent: b.id })).status).toBe(200);
    expect((await server.delete(`/api/data/nodeCascade/${a.id}`)).status).toBe(204);
    expect((await server.get(`/api/data/nodeCascade/${b.id}`)).status).toBe(404);
  });

  it('restrict still refuses while another record refers to it', async () => {
    const a = (await server.post('/api/data/nodeRestrict', { name: 'a' })).body;
    await server.post('/api/data/nodeRestrict', { name: 'b', parent: a.id });
    const refused = await server.delete(`/api/data/nodeRestrict/${a.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.details[0].path).toBe('/nodeRestrict/parent');
  });
});
