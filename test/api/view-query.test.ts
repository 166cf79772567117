// Acceptance (issue 10, point 4): views run through the API. GET /api/data/{entity}?view=name
// applies the view's filter (with $me, $myTeams, $today, $now and relative dates bound for the
// caller at the clock's moment), ownedBy, sort, columns and page size — "my open cases" is metadata.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { applyMetadata, expectError, query } from './api-helpers.ts';

const ticket = {
  kind: 'entity', name: 'ticket', label: 'Ticket', titleField: 'subject',
  fields: {
    subject: { type: 'text', required: true }, status: { type: 'picklist', options: { open: { label: 'Open' }, closed: { label: 'Closed' } } },
    assignee: { type: 'text' }, team: { type: 'text' }, openedOn: { type: 'date' }, dueAt: { type: 'datetime' }, priority: { type: 'integer' },
    account: { type: 'lookup', to: 'company' },
  },
};
const company = { kind: 'entity', name: 'company', label: 'Company', titleField: 'name', fields: { name: { type: 'text', required: true } } };
const agent = { kind: 'role', name: 'agent', label: 'Agent', permissions: { ticket: { create: true, read: 'all', update: 'own' }, company: { create: true, read: 'all' } } };
const view = (name: string, extra: Record<string, unknown>) => ({ kind: 'view', name, entity: 'ticket', label: name, type: 'list', columns: { subject: { order: 10 } }, ...extra });

describe('views through the records API', () => {
  let server: TestServer;
  let ada: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    server = await startTestServer(); // the clock stands at 2026-03-01T09:00:00Z
    await applyMetadata(server, [company, ticket, agent,
      view('myOpen', { filter: { status: 'open', owner: '$me' }, sort: '-priority', columns: { priority: { order: 20 }, subject: { order: 10 }, 'account.name': { order: 30 } }, pageSize: 2 }),
      view('assignedToMe', { filter: { assignee: '$me' } }),
      view('myTeams', { filter: { team: '$myTeams' }, sort: 'subject' }),
      view('recent', { filter: { openedOn: { $gte: '$today - 30 days' } }, sort: 'subject' }),
      view('overdue', { filter: { dueAt: { $lt: '$now' }, status: { $ne: 'closed' } }, sort: 'subject' }),
      view('mine', { ownedBy: 'me', sort: 'subject' }),
    ]);
    await server.createTeam('north');
    ada = await server.createUser({ roles: ['agent'], teams: ['north'] });
    bob = await server.createUser({ roles: ['agent'] });
    const acme = (await ada.client.post('/api/data/company', { name: 'Acme' })).body;
    const rows: [TestUser, Record<string, unknown>][] = [
      [ada, { subject: 'A1', status: 'open', priority: 1, openedOn: '2026-02-27', dueAt: '2026-03-01T08:00:00Z', team: 'north', account: acme.id }],
      [ada, { subject: 'A2', status: 'open', priority: 5, openedOn: '2026-01-01', dueAt: '2026-03-02T08:00:00Z' }],
      [ada, { subject: 'A3', status: 'open', priority: 3, openedOn: '2026-01-30', team: 'south' }],
      [ada, { subject: 'A4', status: 'closed', priority: 9, openedOn: '2026-01-29', dueAt: '2026-02-01T00:00:00Z' }],
      [bob, { subject: 'B1', status: 'open', priority: 7, openedOn: '2026-02-28', dueAt: '2026-02-28T00:00:00Z', team: 'north' }],
    ];
    for (const [user, values] of rows) expect((await user.client.post('/api/data/ticket', { ...values, ...(values['subject'] === 'B1' ? { assignee: ada.id } : {}) })).status).toBe(201);
  });
  afterAll(async () => server.close());

  const subjects = (body: { items: { subject: string }[] }) => body.items.map((r) => r.subject);

  it('my open cases: the filter with $me is the caller, sorted and paged as the view says, its columns only (lookup paths too)', async () => {
    const mine = await ada.client.get(`/api/data/ticket${query({ view: 'myOpen', total: 1 })}`);
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    expect(subjects(mine.body)).toEqual(['A2', 'A3']);
    expect(mine.body.total).toBe(3);
    expect(mine.body.nextCursor).toBeDefined();
    expect(Object.keys(mine.body.items[0]).sort()).toEqual(['id', 'priority', 'subject']);
    const next = await ada.client.get(`/api/data/ticket${query({ view: 'myOpen', cursor: mine.body.nextCursor })}`);
    expect(next.body.items).toEqual([expect.objectContaining({ subject: 'A1', 'account.name': 'Acme' })]);
    expect(subjects((await bob.client.get(`/api/data/ticket${query({ view: 'myOpen' })}`)).body)).toEqual(['B1']);
  });

  it('the caller\'s filter is ANDed; their sort, fields and limit win', async () => {
    const res = await ada.client.get(`/api/data/ticket${query({ view: 'myOpen', filter: JSON.stringify({ priority: { $gte: 3 } }), sort: 'priority', fields: 'subject', limit: 10 })}`);
    expect(res.body.items).toEqual([{ id: expect.any(String), subject: 'A3' }, { id: expect.any(String), subject: 'A2' }]);
  });

  it('$me on any field holding a user id, $myTeams on a team field, ownedBy', async () => {
    expect(subjects((await ada.client.get(`/api/data/ticket${query({ view: 'assignedToMe' })}`)).body)).toEqual(['B1']);
    expect(subjects((await bob.client.get(`/api/data/ticket${query({ view: 'assignedToMe' })}`)).body)).toEqual([]);
    const teams = (await server.get(`/api/users/${ada.id}`)).body.teams as string[];
    expect(teams.length).toBe(1);
    await server.post('/api/data/ticket', { subject: 'T1', team: teams[0] });
    expect(subjects((await ada.client.get(`/api/data/ticket${query({ view: 'myTeams' })}`)).body)).toEqual(['A1', 'B1', 'T1']);
    expect(subjects((await bob.client.get(`/api/data/ticket${query({ view: 'myTeams' })}`)).body)).toEqual([]);
    expect(subjects((await bob.client.get(`/api/data/ticket${query({ view: 'mine' })}`)).body)).toEqual(['B1']);
  });

  it('refuses a view that does not exist or belongs to another entity, naming the parameter', async () => {
    expect(expectError(await ada.client.get(`/api/data/ticket${query({ view: 'nope' })}`), 400, 'INVALID_QUERY').map((d) => d.path)).toEqual(['/query/view']);
    await applyMetadata(server, [{ kind: 'view', name: 'companies', entity: 'company', label: 'C', type: 'list', columns: { name: { order: 1 } } }]);
    expect(expectError(await ada.client.get(`/api/data/ticket${query({ view: 'companies' })}`), 400, 'INVALID_QUERY').map((d) => d.path)).toEqual(['/query/view']);
  });
  it('$today - 30 days and $now follow the clock', async () => {
    expect(subjects((await ada.client.get(`/api/data/ticket${query({ view: 'recent' })}`)).body)).toEqual(['A1', 'A3', 'B1']);
    expect(subjects((await ada.client.get(`/api/data/ticket${query({ view: 'overdue' })}`)).body)).toEqual(['A1', 'B1']);
    server.clock.set('2026-03-03T00:00:00.000Z');
    const later = await server.userClient(ada.email, ada.password); // the session of two days ago has ended
    expect(subjects((await later.get(`/api/data/ticket${query({ view: 'recent' })}`)).body)).toEqual(['A1', 'B1']);
    expect(subjects((await later.get(`/api/data/ticket${query({ view: 'overdue' })}`)).body)).toEqual(['A1', 'A2', 'B1']);
  });

});
