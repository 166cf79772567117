// Records that belong to teams as well as an owner (entities with `recordTeams`), over real HTTP:
// the `team` scope covers a record carrying one of the caller's teams or a team below them — for
// reads, lists and their counts, updates, deletes, aggregations, exports and lookups — the teams are
// set by a reassign (the reassign grant), each an existing team, and are filterable by element.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { expectError } from '../api/api-helpers.ts';

let server: TestServer;
let outsider: TestUser; // in team east: owns the deals
let westRep: TestUser; // in team west (below sales)
let salesLead: TestUser; // in team sales, the parent of west
let northRep: TestUser; // in team north: never sees the deals
const ids: Record<string, string> = {};
const q = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`;
const names = (body: { items: { name: string }[] }) => body.items.map((r) => r.name).sort();

async function version(id: string): Promise<number> {
  return (await server.get(`/api/data/deal/${id}`)).body.version as number;
}

async function setTeams(id: string, teams: string[]) {
  return server.post(`/api/data/deal/${id}/reassign`, { teams }, { 'if-match': `"${await version(id)}"` });
}

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'account', label: 'Account', titleField: 'name', recordTeams: true, fields: { name: { type: 'text', required: true } } },
    {
      kind: 'entity', name: 'deal', label: 'Deal', titleField: 'name', recordTeams: true,
      fields: { name: { type: 'text', required: true }, amount: { type: 'number' }, account: { type: 'lookup', to: 'account', onDelete: 'setNull' } },
    },
    { kind: 'entity', name: 'note', label: 'Note', titleField: 'text', fields: { text: { type: 'text', required: true } } },
    { kind: 'role', name: 'rep', label: 'Rep', permissions: { deal: { create: true, read: 'team', update: 'team', delete: 'team', reassign: 'own' }, account: { create: true, read: 'team' }, note: { create: true, read: 'team', update: 'team', reassign: 'own' } } },
    { kind: 'view', name: 'myTeamsDeals', entity: 'deal', type: 'list', label: 'My teams\' deals', columns: { name: { order: 1 } }, filter: { teams: '$myTeams' } },
    { kind: 'view', name: 'teamOwned', entity: 'deal', type: 'list', label: 'Team deals', columns: { name: { order: 1 } }, ownedBy: 'myTeam' },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  await server.createTeam('sales');
  await server.createTeam('west', 'sales');
  await server.createTeam('east');
  await server.createTeam('north');
  outsider = await server.createUser({ roles: ['rep'], teams: ['east'] });
  westRep = await server.createUser({ roles: ['rep'], teams: ['west'] });
  salesLead = await server.createUser({ roles: ['rep'], teams: ['sales'] });
  northRep = await server.createUser({ roles: ['rep'], teams: ['north'] });
  ids.acme = (await outsider.client.post('/api/data/account', { name: 'Acme' })).body.id;
  for (const [name, amount] of [['Alpha', 10], ['Beta', 20], ['Gamma', 40]] as const) {
    const created = await outsider.client.post('/api/data/deal', { name, amount, account: ids.acme });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids[name] = created.body.id;
  }
  ids.note = (await outsider.client.post('/api/data/note', { text: 'hello' })).body.id;
});
afterAll(async () => server?.close());

const listed = async (user: TestUser, query = '') => (await user.client.get(`/api/data/deal?total=true${query ? `&${query}` : ''}`)).body as { items: { name: string }[]; total: number };

describe('record teams', () => {
  it('before a record carries a team, a rep of another team neither sees nor edits it', async () => {
    expect((await listed(westRep)).total).toBe(0);
    expectError(await westRep.client.get(`/api/data/deal/${ids.Alpha}`), 404);
    expectError(await westRep.client.patch(`/api/data/deal/${ids.Alpha}`, { amount: 11 }), 404);
    expect((await listed(outsider)).total).toBe(3);
  });

  it('a reassign sets the teams; the team scope then covers the record for read, update, lists, counts and views', async () => {
    const set = await setTeams(ids.Alpha!, ['west']);
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.teams).toEqual(['west']);
    expect(set.headers.get('etag')).toBe(`"${set.body.version}"`);
    expect((await setTeams(ids.Beta!, ['west', 'east'])).status).toBe(200);

    const west = await listed(westRep);
    expect(names(west)).toEqual(['Alpha', 'Beta']);
    expect(west.total).toBe(west.items.length);
    expect((await westRep.client.get(`/api/data/deal/${ids.Alpha}`)).body.teams).toEqual(['west']);
    const alpha = (await westRep.client.get(`/api/data/deal/${ids.Alpha}`)).body;
    const patched = await westRep.client.patch(`/api/data/deal/${ids.Alpha}`, { amount: 12 }, { 'if-match': `"${alpha.version}"` });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.teams).toEqual(['west']);
    // The team is filterable by element, and the $myTeams variable of a view binds the caller's teams.
    expect(names((await server.get(`/api/data/deal?${q({ teams: 'west' })}`)).body)).toEqual(['Alpha', 'Beta']);
    expect(names((await server.get(`/api/data/deal?${q({ teams: { $in: ['east'] } })}`)).body)).toEqual(['Beta']);
    expect(names((await server.get(`/api/data/deal?${q({ teams: { $exists: false } })}`)).body)).toEqual(['Gamma']);
    expect(names((await westRep.client.get('/api/data/deal?view=myTeamsDeals')).body)).toEqual(['Alpha', 'Beta']);
    expect(names((await westRep.client.get('/api/data/deal?view=teamOwned')).body)).toEqual(['Alpha', 'Beta']);
    // North is in neither: still nothing.
    expect((await listed(northRep)).total).toBe(0);
  });

  it('a parent team sees the records of the teams below it, not the other way round', async () => {
    const lead = await listed(salesLead);
    expect(names(lead)).toEqual(['Alpha', 'Beta']);
    expect(lead.total).toBe(2);
    expect((await setTeams(ids.Gamma!, ['sales'])).status).toBe(200);
    expect(names(await listed(salesLead))).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(names(await listed(westRep))).toEqual(['Alpha', 'Beta']);
    expectError(await westRep.client.get(`/api/data/deal/${ids.Gamma}`), 404);
  });

  it('aggregations, exports and lookups through the record follow the same scope', async () => {
    const spec = encodeURIComponent(JSON.stringify({ measures: { n: 'count', total: { op: 'sum', field: 'amount' } } }));
    const west = (await westRep.client.get(`/api/aggregate/deal?spec=${spec}`)).body;
    expect(west.groups[0].values).toEqual({ n: 2, total: 32 });
    const lead = (await salesLead.client.get(`/api/aggregate/deal?spec=${spec}`)).body;
    expect(lead.groups[0].values).toEqual({ n: 3, total: 72 });
    const exported = await westRep.client.get('/api/export/deal?format=csv&fields=name');
    expect(exported.status).toBe(200);
    const rows = String(exported.body).replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1).map((line) => line.split(',')[1]);
    expect(rows.sort()).toEqual(['Alpha', 'Beta']);
    // A lookup path reads the account only where the caller's scope reaches it: the account carries no team yet.
    expect((await westRep.client.get(`/api/data/deal/${ids.Alpha}?fields=name,account.name`)).body['account.name']).toBeUndefined();
    const account = await server.post(`/api/data/account/${ids.acme}/reassign`, { teams: ['west'] });
    expect(account.status, JSON.stringify(account.body)).toBe(200);
    expect((await westRep.client.get(`/api/data/deal/${ids.Alpha}?fields=name,account.name`)).body['account.name']).toBe('Acme');
    expect(names((await westRep.client.get(`/api/data/deal?${q({ 'account.name': 'Acme' })}`)).body)).toEqual(['Alpha', 'Beta']);
  });

  it('deletes follow the scope; clearing the teams takes the record out of it', async () => {
    expect((await setTeams(ids.Beta!, [])).body.teams).toBeUndefined();
    expect(names(await listed(westRep))).toEqual(['Alpha']);
    expectError(await westRep.client.delete(`/api/data/deal/${ids.Beta}`), 404);
    expect((await westRep.client.delete(`/api/data/deal/${ids.Alpha}`)).status).toBe(204);
    expect((await listed(outsider)).total).toBe(2);
    const history = (await server.get(`/api/data/deal/${ids.Beta}/history`)).body.items as { action: string; changes: Record<string, unknown> }[];
    expect(history.filter((h) => h.action === 'reassign').map((h) => h.changes['teams'])).toEqual([{ after: ['west', 'east'] }, { before: ['west', 'east'] }]);
  });

  it('teams are written only through a reassign, by whoever may reassign, and must be existing teams', async () => {
    // Not through a create or an update: a system field.
    expectError(await server.post('/api/data/deal', { name: 'x', teams: ['west'] }), 400);
    expectError(await server.patch(`/api/data/deal/${ids.Gamma}`, { teams: ['west'] }), 400);
    // An unknown team, a team twice: 400 at the pointer, nothing written.
    const unknown = expectError(await server.post(`/api/data/deal/${ids.Gamma}/reassign`, { teams: ['west', 'nowhere'] }), 400);
    expect(unknown.map((d) => d.path)).toEqual(['/teams/1']);
    expect(unknown[0]!.message).toContain('nowhere');
    expect(expectError(await server.post(`/api/data/deal/${ids.Gamma}/reassign`, { teams: ['west', 'west'] }), 400).map((d) => d.path)).toEqual(['/teams/1']);
    expect(expectError(await server.post(`/api/data/deal/${ids.Gamma}/reassign`, { teams: 'west' }), 400).map((d) => d.path)).toEqual(['/teams']);
    expect(expectError(await server.post(`/api/data/deal/${ids.Gamma}/reassign`, {}), 400).map((d) => d.path)).toEqual(['/owner']);
    const zh = expectError(await server.post(`/api/data/deal/${ids.Gamma}/reassign`, { teams: ['nowhere'] }, { 'accept-language': 'zh' }), 400);
    expect(zh[0]!.message).toBe('不是团队（「nowhere」）');
    expect((await server.get(`/api/data/deal/${ids.Gamma}`)).body.teams).toEqual(['sales']);
    // An entity whose records do not carry teams refuses them.
    expect(expectError(await server.post(`/api/data/note/${ids.note}/reassign`, { teams: ['west'] }), 400).map((d) => d.path)).toEqual(['/teams']);
    // The reassign grant decides: the owner (reassign own) may, a rep of the team (reassign own, not theirs) may not.
    expect((await outsider.client.post(`/api/data/deal/${ids.Gamma}/reassign`, { teams: ['sales', 'north'] })).status).toBe(200);
    expectError(await salesLead.client.post(`/api/data/deal/${ids.Gamma}/reassign`, { teams: ['sales'] }), 404);
    expect(names(await listed(northRep))).toEqual(['Gamma']);
  });

  it('the entity flag is part of the metadata: records of an entity without it are scoped by owner alone', async () => {
    // Even a team carried in the document (written before the flag was turned off) does not widen the scope.
    const put = await server.put('/api/meta/entities/deal', {
      kind: 'entity', name: 'deal', label: 'Deal', titleField: 'name',
      fields: { name: { type: 'text', required: true }, amount: { type: 'number' }, account: { type: 'lookup', to: 'account', onDelete: 'setNull' } },
    });
    expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);
    expect((await listed(northRep)).total).toBe(0);
    expect((await listed(outsider)).total).toBe(2);
  });
});
