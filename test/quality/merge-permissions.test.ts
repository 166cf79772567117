// A merge names the record it cannot take, over HTTP. A user who may update and delete only their
// own records, merging a record they can read but not delete, is told so — 403 at `/merged/<i>`, in
// their language — rather than that the record does not exist; an id that names no record they can
// read is 404 at its pointer (`/survivor`, `/merged/<i>`), whatever entity it belongs to. Nothing
// changes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let clerk: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  const person = { kind: 'entity', name: 'person', label: { en: 'Person', zh: '联系人' }, titleField: 'name', fields: { name: { type: 'text', required: true } } };
  const task = { kind: 'entity', name: 'task', label: { en: 'Task', zh: '任务' }, titleField: 'subject', fields: { subject: { type: 'text', required: true } } };
  for (const doc of [person, task]) expect((await server.put(`/api/meta/entities/${doc.name}`, doc)).status).toBe(201);
  const role = { kind: 'role', name: 'clerk', label: { en: 'Clerk', zh: '文员' }, permissions: { person: { read: 'all', create: true, update: 'own', delete: 'own' } } };
  expect((await server.put('/api/meta/roles/clerk', role)).status).toBe(201);
  clerk = await server.createUser({ email: 'clerk@crm.test', roles: ['clerk'] });
}, 60_000);
afterAll(async () => server?.close());

async function create(client: TestUser['client'] | TestServer, entity: string, values: Record<string, unknown>): Promise<any> {
  const res = await client.post<any>(`/api/data/${entity}`, values);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('merging records the caller may not take', () => {
  it('names a readable record the caller may not delete, 403 at its pointer', async () => {
    const mine = await create(clerk.client, 'person', { name: 'Mine' });
    const mineToo = await create(clerk.client, 'person', { name: 'Mine too' });
    const theirs = await create(server, 'person', { name: 'Theirs' });
    for (const [locale, words] of [['en', /may not/], ['zh-CN', /无权/]] as const) {
      const res = await clerk.client.post<any>('/api/quality/person/merge', { survivor: mine.id, merged: [mineToo.id, theirs.id] }, { 'accept-language': locale });
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.error.details.map((d: any) => d.path)).toEqual(['/merged/1']);
      expect(res.body.error.details[0].message).toMatch(words);
    }
    expect((await server.get(`/api/data/person/${mineToo.id}`)).status).toBe(200);
    const asSurvivor = await clerk.client.post<any>('/api/quality/person/merge', { survivor: theirs.id, merged: [mine.id] });
    expect(asSurvivor.status).toBe(403);
    expect(asSurvivor.body.error.details.map((d: any) => d.path)).toEqual(['/survivor']);
  });

  it('names an id of another entity or of no record, 404 at its pointer', async () => {
    const person = await create(server, 'person', { name: 'Ann' });
    const task = await create(server, 'task', { subject: 'Call Ann' });
    const other = await server.post<any>('/api/quality/person/merge', { survivor: person.id, merged: [task.id] });
    expect(other.status).toBe(404);
    expect(other.body.error.details.map((d: any) => d.path)).toEqual(['/merged/0']);
    const none = await server.post<any>('/api/quality/person/merge', { survivor: 'nope', merged: [person.id] }, { 'accept-language': 'zh-CN' });
    expect(none.status).toBe(404);
    expect(none.body.error.details.map((d: any) => d.path)).toEqual(['/survivor']);
    expect(none.body.error.details[0].message).toMatch(/找不到/);
  });
});
