// The people directory over real HTTP: any signed-in user finds colleagues by name or e-mail
// (active users only) and resolves ids to names (disabled users included, so history still names
// them); it shows id, name and e-mail and nothing of roles, teams or rights; anonymous callers get
// 401 and bad parameters a 400 naming the parameter, in the caller's language.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let t: TestServer;
let clerk: TestUser;
let ana: TestUser;
let gone: TestUser;

beforeAll(async () => {
  t = await startTestServer();
  expect((await t.post('/api/meta/apply', [{ kind: 'role', name: 'clerk', label: 'Clerk', permissions: {} }])).status).toBe(200);
  clerk = await t.createUser({ roles: ['clerk'], name: 'Carl Clerk', email: 'carl@people.test' });
  ana = await t.createUser({ roles: ['clerk'], name: 'Ana Lima', email: 'ana.lima@people.test', teams: [] });
  gone = await t.createUser({ roles: ['clerk'], name: 'Ana Gone', email: 'ana.gone@people.test' });
  expect((await t.patch(`/api/users/${gone.id}`, { disabled: true })).status).toBe(200);
}, 60_000);
afterAll(async () => t?.close());

describe('GET /api/people', () => {
  it('finds active colleagues by every word of the search, in name or e-mail, for a non-admin', async () => {
    const res = await clerk.client.get('/api/people?q=ana');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items).toEqual([{ id: ana.id, name: 'Ana Lima', email: 'ana.lima@people.test' }]);
    expect((await clerk.client.get('/api/people?q=LIMA%20people')).body.items.map((p: any) => p.id)).toEqual([ana.id]);
    expect((await clerk.client.get('/api/people?q=nobody-here')).body.items).toEqual([]);
    // The search is text, not a pattern: "m.@" does not match "…lima@…" (as a pattern it would); "a.lima@" does.
    expect((await clerk.client.get(`/api/people?q=${encodeURIComponent('m.@')}`)).body.items).toEqual([]);
    expect((await clerk.client.get(`/api/people?q=${encodeURIComponent('a.lima@')}`)).body.items.map((p: any) => p.id)).toEqual([ana.id]);
    expect((await clerk.client.get(`/api/people?q=${encodeURIComponent('(ana')}`)).status).toBe(200);
  });

  it('lists everyone active without a search, sorted by name, bounded by limit', async () => {
    const all = await clerk.client.get('/api/people');
    const names = all.body.items.map((p: any) => p.name ?? p.email);
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
    expect(all.body.items.map((p: any) => p.id)).not.toContain(gone.id);
    expect(all.body.items.map((p: any) => p.id)).toEqual(expect.arrayContaining([clerk.id, ana.id, t.admin!.id]));
    expect((await clerk.client.get('/api/people?limit=1')).body.items).toHaveLength(1);
  });

  it('resolves ids, disabled users included and marked, unknown ids left out', async () => {
    const res = await clerk.client.get(`/api/people?ids=${ana.id},${gone.id},nope`);
    expect(res.status).toBe(200);
    const byId = new Map(res.body.items.map((p: any) => [p.id, p]));
    expect(byId.size).toBe(2);
    expect(byId.get(gone.id)).toEqual({ id: gone.id, name: 'Ana Gone', email: 'ana.gone@people.test', disabled: true });
    expect(byId.get(ana.id)).toEqual({ id: ana.id, name: 'Ana Lima', email: 'ana.lima@people.test' });
  });

  it('shows nothing of roles, teams, rights or secrets', async () => {
    const res = await clerk.client.get('/api/people');
    for (const person of res.body.items) expect(Object.keys(person).every((k) => ['id', 'name', 'email'].includes(k))).toBe(true);
  });

  it('refuses anonymous callers and bad parameters, naming the parameter in the caller\'s language', async () => {
    expect((await t.anonymous.get('/api/people')).status).toBe(401);
    const both = await clerk.client.get(`/api/people?q=a&ids=${ana.id}`, { 'accept-language': 'zh-CN' });
    expect(both.status).toBe(400);
    expect(both.body.error.details[0]).toMatchObject({ path: '/query/ids' });
    expect(both.body.error.details[0].message).toContain('不能');
    const long = await clerk.client.get(`/api/people?q=${'x'.repeat(101)}`);
    expect(long.status).toBe(400);
    expect(long.body.error.details[0].path).toBe('/query/q');
    const tooMany = await clerk.client.get(`/api/people?ids=${Array.from({ length: 101 }, (_, i) => `u${i}`).join(',')}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details[0].path).toBe('/query/ids');
    expect((await clerk.client.get('/api/people?limit=0')).status).toBe(400);
    expect((await clerk.client.get('/api/people?role=admin')).body.error.details[0].path).toBe('/query/role');
  });
});
