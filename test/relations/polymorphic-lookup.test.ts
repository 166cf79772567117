// Polymorphic lookups over real HTTP: activities whose parent is an account or a deal, checked on
// write like a lookup, filtered by `parent.entity` / `parent.id`, listed on the parent's timeline
// within the caller's scope, and handled on the parent's delete.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let rep: TestUser;
const ids: Record<string, string> = {};
const q = (filter: unknown) => `?filter=${encodeURIComponent(JSON.stringify(filter))}`;

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'account', label: 'Account', fields: { name: { type: 'text' } } },
    { kind: 'entity', name: 'deal', label: 'Deal', fields: { name: { type: 'text' } } },
    { kind: 'entity', name: 'secret', label: 'Secret', fields: { name: { type: 'text' } } },
    { kind: 'entity', name: 'activity', label: 'Activity', fields: { subject: { type: 'text', required: true }, parent: { type: 'polymorphicLookup', to: ['account', 'deal'], onDelete: 'cascade' } } },
    { kind: 'entity', name: 'note', label: 'Note', fields: { body: { type: 'text' }, about: { type: 'polymorphicLookup', to: ['deal'] } } },
    { kind: 'role', name: 'rep', label: 'Rep', permissions: { account: { read: 'all' }, deal: { read: 'all' }, activity: { create: true, read: 'own' } } },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  rep = await server.createUser({ roles: ['rep'] });
  ids.acme = (await server.post('/api/data/account', { name: 'Acme' })).body.id;
  ids.deal = (await server.post('/api/data/deal', { name: 'Big deal' })).body.id;
  ids.secret = (await server.post('/api/data/secret', { name: 'x' })).body.id;
});
afterAll(async () => server.close());

describe('polymorphic lookups', () => {
  it('point at a record of one of their entities, and are checked like lookups', async () => {
    server.clock.advance(1000);
    const call = await server.post('/api/data/activity', { subject: 'Call', parent: { entity: 'account', id: ids.acme } });
    expect(call.status, JSON.stringify(call.body)).toBe(201);
    expect(call.body.parent).toEqual({ entity: 'account', id: ids.acme });
    const cases: [unknown, string][] = [
      [{ entity: 'secret', id: ids.secret }, '/parent/entity'],
      [{ entity: 'deal', id: ids.acme }, '/parent/id'],
      [{ entity: 'deal' }, '/parent/id'],
      ['just-a-string', '/parent'],
    ];
    for (const [parent, path] of cases) {
      const refused = await server.post('/api/data/activity', { subject: 'x', parent });
      expect(refused.status, JSON.stringify(parent)).toBe(400);
      expect(refused.body.error.details[0].path, JSON.stringify(refused.body)).toBe(path);
    }
  });

  it('filter by entity and id, and build the parent\'s timeline newest first within the caller\'s scope', async () => {
    server.clock.advance(1000);
    await server.post('/api/data/activity', { subject: 'Meeting', parent: { entity: 'deal', id: ids.deal } });
    server.clock.advance(1000);
    await server.post('/api/data/note', { body: 'Budget approved', about: { entity: 'deal', id: ids.deal } });
    server.clock.advance(1000);
    expect((await rep.client.post('/api/data/activity', { subject: 'Follow-up', parent: { entity: 'deal', id: ids.deal } })).status).toBe(201);

    const onDeals = await server.get(`/api/data/activity${q({ 'parent.entity': 'deal' })}&sort=subject`);
    expect(onDeals.body.items.map((a: { subject: string }) => a.subject)).toEqual(['Follow-up', 'Meeting']);
    const timeline = await server.get(`/api/data/deal/${ids.deal}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.items.map((item: { entity: string; field: string; record: Record<string, string> }) => [item.entity, item.field, item.record.subject ?? item.record.body])).toEqual([
      ['activity', 'parent', 'Follow-up'],
      ['note', 'about', 'Budget approved'],
      ['activity', 'parent', 'Meeting'],
    ]);
    // The rep reads only their own activities and no notes at all.
    const theirs = await rep.client.get(`/api/data/deal/${ids.deal}/timeline`);
    expect(theirs.body.items.map((item: { record: { subject: string } }) => item.record.subject)).toEqual(['Follow-up']);
    expect((await rep.client.get(`/api/data/secret/${ids.secret}/timeline`)).status).toBe(404);
    expect((await server.get(`/api/data/deal/${ids.deal}/timeline?limit=0`)).status).toBe(400);
  });

  it('restrict a delete by default and cascade where asked', async () => {
    const refused = await server.delete(`/api/data/deal/${ids.deal}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.details[0].path).toBe('/note/about.id');
    const notes = (await server.get(`/api/data/note`)).body.items;
    for (const note of notes) expect((await server.delete(`/api/data/note/${note.id}`)).status).toBe(204);
    expect((await server.delete(`/api/data/deal/${ids.deal}`)).status).toBe(204);
    expect((await server.get(`/api/data/activity${q({ 'parent.id': ids.deal })}`)).body.items).toEqual([]);
    expect((await server.get(`/api/data/activity`)).body.items.map((a: { subject: string }) => a.subject)).toEqual(['Call']);
  });

  it('refuse unknown target entities in metadata, naming the item', async () => {
    const refused = await server.put('/api/meta/entities/task', { kind: 'entity', name: 'task', label: 'Task', fields: { about: { type: 'polymorphicLookup', to: ['deal', 'nothing'] } } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/fields/about/to/1' })]));
  });
});
