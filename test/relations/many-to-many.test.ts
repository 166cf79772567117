// Many-to-many relations (multiLookup) over real HTTP: a deal's contacts linked and unlinked,
// listed from both sides, filtered by the related record, every new link checked like a lookup
// (exists, readable by the caller), access through the related entity on reads, deletes that
// unlink (or are refused: onDelete restrict), and bad input answered 4xx at its pointer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { expectError } from '../api/api-helpers.ts';

let server: TestServer;
let rep: TestUser;
const ids: Record<string, string> = {};
const q = (filter: unknown) => `?filter=${encodeURIComponent(JSON.stringify(filter))}`;
const names = (body: { items: { name: string }[] }) => body.items.map((r) => r.name).sort();

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'contact', label: 'Contact', titleField: 'name', fields: { name: { type: 'text', required: true }, vip: { type: 'boolean' } } },
    { kind: 'entity', name: 'tag', label: 'Tag', titleField: 'name', fields: { name: { type: 'text', required: true } } },
    {
      kind: 'entity', name: 'deal', label: 'Deal', titleField: 'name',
      fields: { name: { type: 'text', required: true }, contacts: { type: 'multiLookup', to: 'contact', maxItems: 3 }, tags: { type: 'multiLookup', to: 'tag', onDelete: 'restrict' } },
    },
    // The rep reads deals and only the contacts they own.
    { kind: 'role', name: 'rep', label: 'Rep', permissions: { deal: { read: 'all', update: 'all', create: true }, contact: { read: 'own', create: true }, tag: { read: 'all' } } },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  rep = await server.createUser({ roles: ['rep'] });
  for (const name of ['Ann', 'Bob', 'Cy', 'Di']) ids[name] = (await server.post('/api/data/contact', { name })).body.id;
  ids.Own = (await rep.client.post('/api/data/contact', { name: 'Own' })).body.id;
  ids.hot = (await server.post('/api/data/tag', { name: 'hot' })).body.id;
  ids.big = (await server.post('/api/data/deal', { name: 'Big', contacts: [ids.Ann, ids.Bob], tags: [ids.hot] })).body.id;
  ids.small = (await server.post('/api/data/deal', { name: 'Small', contacts: [ids.Bob] })).body.id;
});
afterAll(async () => server?.close());

describe('many-to-many links', () => {
  it('are stored on one side and listed from both, filtered by the related record', async () => {
    expect(names((await server.get(`/api/data/deal/${ids.big}/links/contacts`)).body)).toEqual(['Ann', 'Bob']);
    expect(names((await server.get(`/api/data/contact/${ids.Bob}/linked-by/deal/contacts`)).body)).toEqual(['Big', 'Small']);
    expect(names((await server.get(`/api/data/contact/${ids.Ann}/linked-by/deal/contacts`)).body)).toEqual(['Big']);
    expect(names((await server.get(`/api/data/deal${q({ contacts: ids.Ann })}`)).body)).toEqual(['Big']);
    expect(names((await server.get(`/api/data/deal${q({ contacts: { $in: [ids.Ann, ids.Bob] } })}`)).body)).toEqual(['Big', 'Small']);
    expect(names((await server.get(`/api/data/deal${q({ contacts: { $exists: false } })}`)).body)).toEqual([]);
  });

  it('link and unlink through the API, each an update of the record with its version', async () => {
    const linked = await server.post(`/api/data/deal/${ids.small}/links/contacts`, { ids: [ids.Cy, ids.Bob] });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body.contacts).toEqual([ids.Bob, ids.Cy]);
    expect(linked.headers.get('etag')).toBe(`"${linked.body.version}"`);
    const unlinked = await server.delete(`/api/data/deal/${ids.small}/links/contacts/${ids.Bob}`);
    expect(unlinked.status, JSON.stringify(unlinked.body)).toBe(200);
    expect(unlinked.body.contacts).toEqual([ids.Cy]);
    expect(names((await server.get(`/api/data/contact/${ids.Bob}/linked-by/deal/contacts`)).body)).toEqual(['Big']);
    // A stale If-Match is refused, as for any update.
    expectError(await server.post(`/api/data/deal/${ids.small}/links/contacts`, { ids: [ids.Di] }, { 'if-match': `"${linked.body.version}"` }), 412);
    // The last link removed clears the field.
    const last = await server.delete(`/api/data/deal/${ids.small}/links/contacts/${ids.Cy}`);
    expect(last.body.contacts).toBeUndefined();
    expect(names((await server.get(`/api/data/deal${q({ contacts: { $exists: false } })}`)).body)).toEqual(['Small']);
  });

  it('every new link must exist and be readable by the caller; reads go through the related entity\'s access', async () => {
    // The rep may not read Ann (not theirs): linking her is refused as if she did not exist.
    const refused = expectError(await rep.client.post(`/api/data/deal/${ids.small}/links/contacts`, { ids: [ids.Own, ids.Ann] }), 400, 'INVALID_RECORD');
    // The pointer is into the request: the second id sent.
    expect(refused.map((d) => d.path)).toEqual(['/ids/1']);
    expect((await rep.client.post(`/api/data/deal/${ids.small}/links/contacts`, { ids: [ids.Own] })).status).toBe(200);
    // Big links Ann and Bob: the rep's list of them shows neither (not theirs); the admin's shows both.
    expect(names((await rep.client.get(`/api/data/deal/${ids.big}/links/contacts`)).body)).toEqual([]);
    expect(names((await rep.client.get(`/api/data/deal/${ids.small}/links/contacts`)).body)).toEqual(['Own']);
    // The other side of a record the rep cannot read: 404, as for the record itself.
    expectError(await rep.client.get(`/api/data/contact/${ids.Bob}/linked-by/deal/contacts`), 404);
    expect(names((await rep.client.get(`/api/data/contact/${ids.Own}/linked-by/deal/contacts`)).body)).toEqual(['Small']);
    // Links kept from before are not checked again: the rep may change the deal Ann is linked to.
    const big = (await rep.client.get(`/api/data/deal/${ids.big}`)).body;
    expect((await rep.client.patch(`/api/data/deal/${ids.big}`, { name: 'Big one' }, { 'if-match': `"${big.version}"` })).status).toBe(200);
  });

  it('a deleted record is unlinked everywhere; onDelete restrict refuses while linked', async () => {
    const deleted = await server.delete(`/api/data/contact/${ids.Bob}`);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
    expect((await server.get(`/api/data/deal/${ids.big}`)).body.contacts).toEqual([ids.Ann]);
    const history = (await server.get(`/api/data/deal/${ids.big}/history`)).body.items as { action: string; changes: Record<string, { before?: unknown; after?: unknown }> }[];
    expect(history.at(-1)!.changes.contacts).toEqual({ before: [ids.Ann, ids.Bob], after: [ids.Ann] });
    expect(expectError(await server.delete(`/api/data/tag/${ids.hot}`), 409, 'REFERENCE_IN_USE').map((d) => d.path)).toEqual(['/deal/tags']);
  });

  it('bad input is refused 4xx at its pointer', async () => {
    const duplicate = expectError(await server.post('/api/data/deal', { name: 'x', contacts: [ids.Ann, ids.Ann] }), 400);
    expect(duplicate.map((d) => d.path)).toEqual(['/contacts']);
    expect(expectError(await server.post('/api/data/deal', { name: 'x', contacts: [ids.Ann, ids.Cy, ids.Di, ids.Own] }), 400).map((d) => d.path)).toEqual(['/contacts']);
    expect(expectError(await server.post('/api/data/deal', { name: 'x', contacts: ['nope'] }), 400).map((d) => d.path)).toEqual(['/contacts/0']);
    expect(expectError(await server.post('/api/data/deal', { name: 'x', contacts: [ids.hot] }), 400, 'INVALID_RECORD').map((d) => d.path)).toEqual(['/contacts/0']);
    expect(expectError(await server.post(`/api/data/deal/${ids.big}/links/contacts`, { ids: [] }), 400).map((d) => d.path)).toEqual(['/ids']);
    expect(expectError(await server.post(`/api/data/deal/${ids.big}/links/contacts`, { ids: ['x'] }), 400).map((d) => d.path)).toEqual(['/ids/0']);
    expect(expectError(await server.post(`/api/data/deal/${ids.big}/links/contacts`, { ids: [ids.Di], extra: 1 }), 400).map((d) => d.path)).toEqual(['/extra']);
    expect(expectError(await server.post(`/api/data/deal/${ids.big}/links/name`, { ids: [ids.Di] }), 404).map((d) => d.path)).toEqual(['/field']);
    expect(expectError(await server.delete(`/api/data/deal/${ids.big}/links/contacts/${ids.Di}`), 404).map((d) => d.path)).toEqual(['/targetId']);
    expect(expectError(await server.get(`/api/data/tag/${ids.hot}/linked-by/deal/contacts`), 404).map((d) => d.path)).toEqual(['/field']);
    const zh = expectError(await server.post(`/api/data/deal/${ids.big}/links/contacts`, { ids: [] }, { 'accept-language': 'zh' }), 400);
    expect(zh[0]!.message).toBe('必须列出 1 到 1000 个记录 id');
  });

  it('the definition is checked on save at its pointer', async () => {
    const refused = await server.put('/api/meta/entities/project', { kind: 'entity', name: 'project', label: 'Project', fields: { members: { type: 'multiLookup', to: 'nothing' } } });
    expect(expectError(refused, 400, 'INVALID_METADATA').map((d) => d.path)).toContain('/fields/members/to');
    const tooMany = await server.put('/api/meta/entities/project', { kind: 'entity', name: 'project', label: 'Project', fields: { members: { type: 'multiLookup', to: 'contact', maxItems: 5000 } } });
    expect(expectError(tooMany, 400, 'INVALID_METADATA').map((d) => d.path)).toContain('/fields/members/maxItems');
  });
});
