// Attributes on many-to-many links (multiLookup `linkFields`: a contact's role in a deal) over real
// HTTP: written with the record or through the links API, read from both sides (a contact's deals
// show its role in each), validated at their JSON pointer, and kept out of the way of what links
// already did — element filters, the other side's list, unlinking on delete, merges of plain ids.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { expectError } from '../api/api-helpers.ts';

let server: TestServer;
const ids: Record<string, string> = {};
const q = (filter: unknown) => `?filter=${encodeURIComponent(JSON.stringify(filter))}`;
const names = (body: { items: { name: string }[] }) => body.items.map((r) => r.name).sort();
const roleOptions = { buyer: { label: 'Buyer' }, champion: { label: { en: 'Champion', zh: '支持者' } }, blocker: { label: 'Blocker' } };

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'contact', label: 'Contact', titleField: 'name', fields: { name: { type: 'text', required: true } } },
    {
      kind: 'entity', name: 'deal', label: 'Deal', titleField: 'name',
      fields: {
        name: { type: 'text', required: true },
        contacts: { type: 'multiLookup', to: 'contact', linkFields: { role: { type: 'picklist', options: roleOptions, required: true }, influence: { type: 'integer', min: 0, max: 10 } } },
      },
    },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  for (const name of ['Ann', 'Bob', 'Cy']) ids[name] = (await server.post('/api/data/contact', { name })).body.id;
  const big = await server.post('/api/data/deal', { name: 'Big', contacts: [{ id: ids.Ann, role: 'buyer', influence: 7 }, { id: ids.Bob, role: 'blocker' }] });
  expect(big.status, JSON.stringify(big.body)).toBe(201);
  ids.big = big.body.id;
  ids.small = (await server.post('/api/data/deal', { name: 'Small', contacts: [{ id: ids.Bob, role: 'champion' }] })).body.id;
});
afterAll(async () => server?.close());

describe('link attributes', () => {
  it('are stored with each link and read with the record', async () => {
    expect((await server.get(`/api/data/deal/${ids.big}`)).body.contacts).toEqual([{ id: ids.Ann, role: 'buyer', influence: 7 }, { id: ids.Bob, role: 'blocker' }]);
  });

  it('are listed from both sides: a deal\'s contacts with their role, a contact\'s deals with its role in each', async () => {
    const contacts = (await server.get(`/api/data/deal/${ids.big}/links/contacts`)).body;
    expect(names(contacts)).toEqual(['Ann', 'Bob']);
    expect(contacts.links).toEqual({ [ids.Ann!]: { role: 'buyer', influence: 7 }, [ids.Bob!]: { role: 'blocker' } });
    const deals = (await server.get(`/api/data/contact/${ids.Bob}/linked-by/deal/contacts`)).body;
    expect(names(deals)).toEqual(['Big', 'Small']);
    expect(deals.links).toEqual({ [ids.big!]: { role: 'blocker' }, [ids.small!]: { role: 'champion' } });
  });

  it('leave the element filters as they were: a filter names the linked id', async () => {
    expect(names((await server.get(`/api/data/deal${q({ contacts: ids.Ann })}`)).body)).toEqual(['Big']);
    expect(names((await server.get(`/api/data/deal${q({ contacts: { $in: [ids.Bob] } })}`)).body)).toEqual(['Big', 'Small']);
    expect(names((await server.get(`/api/data/deal${q({ contacts: { $ne: ids.Ann } })}`)).body)).toEqual(['Small']);
    expect(names((await server.get(`/api/data/deal${q({ contacts: { $nin: [ids.Ann, ids.Cy] } })}`)).body)).toEqual(['Small']);
    expect(names((await server.get(`/api/data/deal${q({ contacts: { $exists: true } })}`)).body)).toEqual(['Big', 'Small']);
  });

  it('are set through the links API: a new link with its attributes, an existing one given again takes new ones', async () => {
    const deal = (await server.get(`/api/data/deal/${ids.small}`)).body;
    const linked = await server.post(`/api/data/deal/${ids.small}/links/contacts`, { ids: [{ id: ids.Cy, role: 'buyer' }, { id: ids.Bob, role: 'buyer', influence: 3 }] }, { 'if-match': `"${deal.version}"` });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body.contacts).toEqual([{ id: ids.Bob, role: 'buyer', influence: 3 }, { id: ids.Cy, role: 'buyer' }]);
    // A PATCH of the field rewrites the links and their attributes as any value.
    const patched = await server.patch(`/api/data/deal/${ids.small}`, { contacts: [{ id: ids.Bob, role: 'champion' }, { id: ids.Cy, role: 'buyer' }] }, { 'if-match': `"${linked.body.version}"` });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await server.get(`/api/data/contact/${ids.Bob}/linked-by/deal/contacts`)).body.links[ids.small!]).toEqual({ role: 'champion' });
    const unlinked = await server.delete(`/api/data/deal/${ids.small}/links/contacts/${ids.Cy}`);
    expect(unlinked.body.contacts).toEqual([{ id: ids.Bob, role: 'champion' }]);
  });

  it('a deleted contact is unlinked, the other links keep their attributes', async () => {
    const doomed = (await server.post('/api/data/contact', { name: 'Doomed' })).body.id as string;
    const deal = (await server.get(`/api/data/deal/${ids.big}`)).body;
    expect((await server.post(`/api/data/deal/${ids.big}/links/contacts`, { ids: [{ id: doomed, role: 'buyer' }] }, { 'if-match': `"${deal.version}"` })).status).toBe(200);
    expect((await server.delete(`/api/data/contact/${doomed}`)).status).toBe(204);
    expect((await server.get(`/api/data/deal/${ids.big}`)).body.contacts).toEqual([{ id: ids.Ann, role: 'buyer', influence: 7 }, { id: ids.Bob, role: 'blocker' }]);
  });

  it('a bad attribute is refused 400 at its JSON pointer, in the caller\'s language', async () => {
    const bad = expectError(await server.post('/api/data/deal', { name: 'x', contacts: [{ id: ids.Ann, role: 'boss' }] }), 400);
    expect(bad.map((d) => d.path)).toEqual(['/contacts/0/role']);
    expect(expectError(await server.post('/api/data/deal', { name: 'x', contacts: [{ id: ids.Ann, role: 'buyer' }, { id: ids.Bob, role: 'buyer', influence: 11 }] }), 400).map((d) => d.path)).toEqual(['/contacts/1/influence']);
    expect(expectError(await server.post('/api/data/deal', { name: 'x', contacts: [{ id: ids.Ann, role: 'buyer', mood: 'happy' }] }), 400).map((d) => d.path)).toEqual(['/contacts/0/mood']);
    expect(expectError(await server.post('/api/data/deal', { name: 'x', contacts: [{ id: ids.Ann }] }), 400).map((d) => d.path)).toEqual(['/contacts/0/role']);
    expect(expectError(await server.post('/api/data/deal', { name: 'x', contacts: [{ id: ids.Ann, role: 'buyer' }, { id: ids.Ann, role: 'champion' }] }), 400).map((d) => d.path)).toEqual(['/contacts']);
    expect(expectError(await server.post('/api/data/deal', { name: 'x', contacts: [{ id: ids.big, role: 'buyer' }] }), 400, 'INVALID_RECORD').map((d) => d.path)).toEqual(['/contacts/0/id']);
    expect(new Set(expectError(await server.post('/api/data/deal', { name: 'x', contacts: [42] }), 400).map((d) => d.path))).toEqual(new Set(['/contacts/0']));
    // Through the links API the pointer is into the request.
    const viaLinks = expectError(await server.post(`/api/data/deal/${ids.big}/links/contacts`, { ids: [{ id: ids.Cy, role: 'buyer' }, { id: ids.Ann, role: 'boss' }] }), 400);
    expect(viaLinks.map((d) => d.path)).toEqual(['/ids/1/role']);
    expect(expectError(await server.post(`/api/data/deal/${ids.big}/links/contacts`, { ids: [{ id: 'nope', role: 'buyer' }] }), 400).map((d) => d.path)).toEqual(['/ids/0/id']);
    expect(expectError(await server.post(`/api/data/deal/${ids.big}/links/contacts`, { ids: [7] }), 400).map((d) => d.path)).toEqual(['/ids/0']);
    const zh = expectError(await server.post('/api/data/deal', { name: 'x', contacts: [{ id: ids.Ann, role: 'boss' }] }, { 'accept-language': 'zh' }), 400);
    expect(zh[0]!.path).toBe('/contacts/0/role');
    expect(zh[0]!.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('the attributes\' definitions are checked on save at their pointer', async () => {
    const refuse = async (linkFields: unknown) => {
      const res = await server.put('/api/meta/entities/project', { kind: 'entity', name: 'project', label: 'Project', fields: { members: { type: 'multiLookup', to: 'contact', linkFields } } });
      return expectError(res, 400, 'INVALID_METADATA').map((d) => d.path);
    };
    expect(await refuse({ boss: { type: 'lookup', to: 'contact' } })).toContain('/fields/members/linkFields/boss/type');
    expect(await refuse({ tags: { type: 'multipicklist', options: { a: { label: 'A' } } } })).toContain('/fields/members/linkFields/tags/type');
    expect(await refuse({ id: { type: 'text' } })).toContain('/fields/members/linkFields/id');
    expect(await refuse({ share: { type: 'percent', min: 80, max: 20 } })).toContain('/fields/members/linkFields/share/min');
    expect(await refuse({ code: { type: 'text', unique: true } })).toContain('/fields/members/linkFields/code/unique');
    expect(await refuse({ role: { type: 'picklist' } })).toContain('/fields/members/linkFields/role/options');
  });

  it('a field given attributes later keeps its plain ids, which still filter, list and unlink', async () => {
    const applied = await server.post('/api/meta/apply', [
      { kind: 'entity', name: 'tag', label: 'Tag', titleField: 'name', fields: { name: { type: 'text', required: true } } },
      { kind: 'entity', name: 'post', label: 'Post', titleField: 'name', fields: { name: { type: 'text', required: true }, tags: { type: 'multiLookup', to: 'tag' } } },
    ]);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const [hot, cold] = [(await server.post('/api/data/tag', { name: 'hot' })).body.id as string, (await server.post('/api/data/tag', { name: 'cold' })).body.id as string];
    const post = (await server.post('/api/data/post', { name: 'P', tags: [hot, cold] })).body;
    const changed = await server.put('/api/meta/entities/post', { kind: 'entity', name: 'post', label: 'Post', titleField: 'name', fields: { name: { type: 'text', required: true }, tags: { type: 'multiLookup', to: 'tag', linkFields: { weight: { type: 'number' } } } } });
    expect(changed.status, JSON.stringify(changed.body)).toBeLessThan(300);
    expect((await server.get(`/api/data/post/${post.id}`)).body.tags).toEqual([hot, cold]);
    expect(names((await server.get(`/api/data/post${q({ tags: cold })}`)).body)).toEqual(['P']);
    expect((await server.get(`/api/data/tag/${cold}/linked-by/post/tags`)).body.links).toEqual({ [post.id]: {} });
    // The next write stores every link as { id }; a plain id given is one too.
    const renamed = await server.patch(`/api/data/post/${post.id}`, { name: 'P2' });
    expect(renamed.body.tags).toEqual([{ id: hot }, { id: cold }]);
    expect((await server.delete(`/api/data/tag/${hot}`)).status).toBe(204);
    expect((await server.get(`/api/data/post/${post.id}`)).body.tags).toEqual([{ id: cold }]);
    expect(names((await server.get(`/api/data/post${q({ tags: cold })}`)).body)).toEqual(['P2']);
  });
});
