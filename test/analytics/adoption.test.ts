// Adoption and feedback (seed 004): GET /api/adoption counts, from the audit trail, the records each
// user created and edited and the transitions they took, per role and per week (Monday-based, in
// the server's zone: Asia/Shanghai here, where 16:30 UTC on Sunday is already Monday), active users
// per week and time in each state — equal to what the test itself did. The bundled `adoption`
// template switches on in-app feedback beside any other metadata, with its dashboard.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../engine/kernel/clock.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

const deal = {
  kind: 'entity', name: 'deal', label: 'Deal', titleField: 'name',
  fields: { name: { type: 'text', required: true }, stage: { type: 'picklist', options: { open: { label: 'Open' }, won: { label: 'Won' } } }, amount: { type: 'currency' } },
};
const workflow = {
  kind: 'workflow', name: 'dealFlow', entity: 'deal', label: 'Deal flow', field: 'stage',
  states: { open: { label: 'Open', initial: true }, won: { label: 'Won', final: true } },
  transitions: { win: { label: 'Win', from: 'open', to: 'won' } },
};
const rep = { kind: 'role', name: 'rep', label: 'Rep', permissions: { deal: { create: true, read: 'own', update: 'own', transitions: { dealFlow: '*' } } } };

describe('adoption and feedback', () => {
  let server: TestServer;
  let ann: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    // Sunday 1 March 2026, 17:00 in Shanghai: the week of Monday 23 February.
    server = await startTestServer({ clock: new ManualClock('2026-03-01T09:00:00.000Z'), env: { CRM_TIME_ZONE: 'Asia/Shanghai' } });
    expect((await server.post('/api/meta/apply', { documents: [deal, workflow, rep] })).status).toBe(200);
    const installed = await server.post('/api/templates/adoption/install', { modules: ['feedback'], sampleData: false });
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
    ann = await server.createUser({ roles: ['rep', 'feedbackGiver'] });
    bob = await server.createUser({ roles: ['rep'] });
    // Week of 23 February: ann creates 3 deals and edits one twice; bob creates 1.
    const annDeals: string[] = [];
    for (let i = 0; i < 3; i += 1) annDeals.push((await ann.client.post('/api/data/deal', { name: `a${i}`, amount: 10 })).body.id);
    for (const amount of [20, 30]) {
      const current = await ann.client.get(`/api/data/deal/${annDeals[0]}`);
      expect((await ann.client.patch(`/api/data/deal/${annDeals[0]}`, { amount }, { 'if-match': current.headers.get('etag')! })).status).toBe(200);
    }
    expect((await bob.client.post('/api/data/deal', { name: 'b0' })).status).toBe(201);
    // 16:30 UTC on Sunday is 00:30 on Monday 2 March in Shanghai: a new week. ann wins a deal, bob creates one.
    server.clock.set(new Date('2026-03-01T16:30:00.000Z'));
    expect((await ann.client.post(`/api/data/deal/${annDeals[1]}/transitions/win`, {})).status).toBe(200);
    expect((await bob.client.post('/api/data/deal', { name: 'b1' })).status).toBe(201);
  });
  afterAll(async () => server.close());

  it('counts created, edited and transitions per user, role and week in the server zone', async () => {
    const res = await server.get('/api/adoption?from=2026-02-16&to=2026-03-08');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const pick = (rows: Record<string, unknown>[], keys: string[]) => rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));
    expect(pick(res.body.users, ['user', 'week', 'created', 'edited', 'transitions'])).toEqual(
      [
        { user: ann.id, week: '2026-02-23', created: 3, edited: 2, transitions: 0 },
        { user: bob.id, week: '2026-02-23', created: 1, edited: 0, transitions: 0 },
        { user: ann.id, week: '2026-03-02', created: 0, edited: 0, transitions: 1 },
        { user: bob.id, week: '2026-03-02', created: 1, edited: 0, transitions: 0 },
      ].sort((a, b) => a.week.localeCompare(b.week) || a.user.localeCompare(b.user)),
    );
    expect(res.body.weeks).toEqual([
      { week: '2026-02-23', activeUsers: 2, created: 4, edited: 2, transitions: 0 },
      { week: '2026-03-02', activeUsers: 2, created: 1, edited: 0, transitions: 1 },
    ]);
    const repWeeks = res.body.roles.filter((r: { role: string }) => r.role === 'rep');
    expect(pick(repWeeks, ['week', 'created', 'edited', 'transitions', 'activeUsers'])).toEqual([
      { week: '2026-02-23', created: 4, edited: 2, transitions: 0, activeUsers: 2 },
      { week: '2026-03-02', created: 1, edited: 0, transitions: 1, activeUsers: 2 },
    ]);
    expect(res.body.workflows).toEqual([{ workflow: 'dealFlow', week: '2026-03-02', transitions: 1 }]);
    expect(res.body.timeInState.map((w: { workflow: string }) => w.workflow)).toEqual(['dealFlow']);
    // A narrower range leaves the other week out; people only, never the system.
    const narrow = (await server.get('/api/adoption?from=2026-03-02&to=2026-03-02')).body;
    expect(narrow.weeks.map((w: { week: string }) => w.week)).toEqual(['2026-03-02']);
    expect(res.body.users.every((u: { user: string }) => [ann.id, bob.id].includes(u.user))).toBe(true);
  });

  it('is for administrators, with dates checked', async () => {
    expect((await ann.client.get('/api/adoption')).status).toBe(403);
    const bad = await server.get('/api/adoption?from=2026-13-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('/query/from');
  });

  it('takes in-app feedback and shows it on its dashboard', async () => {
    const given = [
      { page: '/deals', rating: 4, category: 'praise', text: 'Quick' },
      { page: '/deals', rating: 2, category: 'problem', text: '=cmd|calc' },
      { page: '/reports', rating: 5, category: 'idea' },
    ];
    for (const body of given) expect((await ann.client.post('/api/data/feedback', body)).status).toBe(201);
    expect((await ann.client.post('/api/data/feedback', { page: '/x', rating: 6 })).status).toBe(400);
    // Without the role the entity is not there for bob (as for any entity a role does not grant).
    expect((await bob.client.post('/api/data/feedback', { page: '/x', rating: 3 })).status).toBe(404);
    const dashboard = await server.get('/api/dashboards/feedbackOverview');
    expect(dashboard.status).toBe(200);
    const w = dashboard.body.widgets;
    expect(w.averageRating.value).toBeCloseTo((4 + 2 + 5) / 3, 12);
    expect(w.responses.value).toBe(3);
    expect(w.byPage.groups.map((g: { key: { key: string }; values: { value: number } }) => [g.key.key, g.values.value])).toEqual([['/deals', 3], ['/reports', 5]]);
    expect(w.latest.items).toHaveLength(3);
    const mine = await ann.client.get('/api/data/feedback?limit=10');
    expect(mine.body.items.every((f: { createdBy: string }) => f.createdBy === ann.id)).toBe(true);
  });
});
