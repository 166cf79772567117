// Segments: RFM membership on a fixture small enough to score by hand. Today is 2026-03-01 in
// Asia/Shanghai (the server's zone). Limits — recency ≤ 30 / 90 / 180 / 365 days, frequency ≥
// 5 / 4 / 3 / 2 purchases, monetary ≥ 1000 / 500 / 200 / 100 — give scores 5 / 4 / 3 / 2, else 1;
// no paid purchase scores 0. Refunded purchases do not count; inactive customers are never members.
//
//   alice  5 paid purchases, latest 2026-02-20 (9 days), 1,100     → R5 F5 M5
//   bob    2 paid, latest 2025-12-01 (exactly 90 days), 550;
//          a refunded 5,000 on 2026-02-28 does not count           → R4 F2 M4
//   carol  1 paid on 2025-03-01 (exactly 365 days), 99.50          → R2 F1 M1
//   dave   1 paid on 2025-02-28 (366 days), 100                    → R1 F1 M2
//   erin   no purchase                                             → 0 0 0
//   frank  inactive (a big spender): not a candidate

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { ManualClock } from '../../engine/kernel/clock.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

const customer = {
  kind: 'entity', name: 'customer', label: 'Customer', titleField: 'name',
  fields: { name: { type: 'text', required: true }, active: { type: 'boolean' } },
};
const purchase = {
  kind: 'entity', name: 'purchase', label: 'Purchase',
  fields: {
    customer: { type: 'lookup', to: 'customer', onDelete: 'cascade' },
    purchaseDate: { type: 'date' },
    amount: { type: 'currency' },
    status: { type: 'picklist', options: { paid: { label: 'Paid' }, refunded: { label: 'Refunded' } } },
  },
};
const rfm = {
  from: 'purchase', via: 'customer', filter: { status: 'paid' }, date: 'purchaseDate', amount: 'amount',
  recencyDays: [30, 90, 180, 365], frequency: [5, 4, 3, 2], monetary: [1000, 500, 200, 100],
};
const segments = [
  { kind: 'segment', name: 'scored', label: 'Scored', entity: 'customer', filter: { active: true }, rfm, schedule: '0 2 * * *' },
  { kind: 'segment', name: 'champions', label: { en: 'Champions', zh: '重要价值客户' }, entity: 'customer', filter: { active: true }, rfm, members: 'r >= 4 and f >= 4 and m >= 4' },
  { kind: 'segment', name: 'atRisk', label: 'At risk', entity: 'customer', filter: { active: true }, rfm, members: 'r >= 1 and r <= 2' },
];
const championsView = { kind: 'view', name: 'championCustomers', entity: 'customer', label: 'Champions', type: 'list', columns: { name: { order: 10 } }, segment: 'champions', sort: 'name' };
// A campaign to a segment: every Monday 09:00 (UTC), each champion gets a thank-you task.
const campaign = {
  kind: 'workflow', name: 'championCare', entity: 'customer', label: 'Champion care',
  actions: { thankYou: { type: 'createRecord', entity: 'task', values: { subject: "'Thank you'", customer: 'id' } } },
  triggers: { thanks: { on: 'schedule', cron: '0 9 * * 1', segment: 'champions', actions: ['thankYou'] } },
};
const task = { kind: 'entity', name: 'task', label: 'Task', fields: { subject: { type: 'text' }, customer: { type: 'lookup', to: 'customer' } } };
const role = { kind: 'role', name: 'clerk', label: 'Clerk', permissions: { customer: { create: true, read: 'own', update: 'own' }, purchase: { create: true, read: 'own' } } };

const expected: Record<string, { r: number; f: number; m: number; recencyDays: number | null; frequency: number; monetary: number }> = {
  alice: { r: 5, f: 5, m: 5, recencyDays: 9, frequency: 5, monetary: 1100 },
  bob: { r: 4, f: 2, m: 4, recencyDays: 90, frequency: 2, monetary: 550 },
  carol: { r: 2, f: 1, m: 1, recencyDays: 365, frequency: 1, monetary: 99.5 },
  dave: { r: 1, f: 1, m: 2, recencyDays: 366, frequency: 1, monetary: 100 },
  erin: { r: 0, f: 0, m: 0, recencyDays: null, frequency: 0, monetary: 0 },
};

describe('segments: RFM membership', () => {
  let server: TestServer;
  let clerk: TestUser;
  const ids: Record<string, string> = {};
  const names = () => Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
  const members = async (segment: string, client = server as Pick<TestServer, 'get'>) => {
    const res = await client.get(`/api/segments/${segment}/members`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { count?: number; computedAt: string; members: { record: string; r: number; f: number; m: number; recencyDays: number | null; frequency: number; monetary: number }[] };
  };
  beforeAll(async () => {
    server = await startTestServer({ clock: new ManualClock('2026-03-01T09:00:00.000Z'), env: { CRM_TIME_ZONE: 'Asia/Shanghai' } });
    const applied = await server.post('/api/meta/apply', { documents: [customer, purchase, role, ...segments] });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    clerk = await server.createUser({ roles: ['clerk'] });
    const purchases: Record<string, [string, number, string?][]> = {
      alice: [['2026-02-20', 300], ['2026-01-10', 250], ['2025-12-01', 200], ['2025-11-01', 150], ['2025-10-01', 200]],
      bob: [['2025-12-01', 300], ['2025-06-01', 250], ['2026-02-28', 5000, 'refunded']],
      carol: [['2025-03-01', 99.5]],
      dave: [['2025-02-28', 100]],
      erin: [],
      frank: [['2026-02-27', 9000], ['2026-02-26', 9000], ['2026-02-25', 9000], ['2026-02-24', 9000], ['2026-02-23', 9000]],
    };
    for (const [name, list] of Object.entries(purchases)) {
      // The clerk owns carol and dave; the rest belong to the administrator.
      const client = name === 'carol' || name === 'dave' ? clerk.client : server;
      const created = await client.post('/api/data/customer', { name, active: name !== 'frank' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      ids[name] = created.body.id;
      for (const [purchaseDate, amount, status = 'paid'] of list) {
        expect((await client.post('/api/data/purchase', { customer: created.body.id, purchaseDate, amount, status })).status).toBe(201);
      }
    }
  });
  afterAll(async () => server.close());

  it('refuses a segment with wrong references, by pointer', async () => {
    const bad = {
      kind: 'segment', name: 'broken', label: 'Broken', entity: 'customer', filter: { nosuch: 1 }, members: 'r >= ', schedule: '61 2 * * *',
      rfm: { ...rfm, via: 'status', date: 'amount', amount: 'status', recencyDays: [90, 30, 180, 365], monetary: [1, 2, 3, 4] },
    };
    const res = await server.put('/api/meta/segments/broken', bad);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(
      ['/filter/nosuch', '/members', '/rfm/amount', '/rfm/date', '/rfm/monetary', '/rfm/recencyDays', '/rfm/via', '/schedule'].sort(),
    );
  });

  it('scores every active customer as computed by hand, and keeps the members each expression selects', async () => {
    for (const name of ['scored', 'champions', 'atRisk']) {
      const run = await server.post(`/api/segments/${name}/refresh`, {});
      expect(run.status, JSON.stringify(run.body)).toBe(200);
    }
    const scored = await members('scored');
    expect(scored.count).toBe(5);
    const byName = Object.fromEntries(scored.members.map(({ record, r, f, m, recencyDays, frequency, monetary }) => [names()[record], { r, f, m, recencyDays, frequency, monetary }]));
    expect(byName).toEqual(expected);
    expect((await members('champions')).members.map((m) => names()[m.record])).toEqual(['alice']);
    expect((await members('atRisk')).members.map((m) => names()[m.record]).sort()).toEqual(['carol', 'dave']);
  });

  it('is usable as a view filter, within the reader\'s scope; a view names a segment of its entity', async () => {
    expect((await server.put('/api/meta/views/championCustomers', championsView)).status).toBe(201);
    const listed = await server.get('/api/data/customer?view=championCustomers');
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.items.map((c: { name: string }) => c.name)).toEqual(['alice']);
    expect((await clerk.client.get('/api/data/customer?view=championCustomers')).body.items).toEqual([]);
    const wrong = await server.put('/api/meta/views/wrong', { ...championsView, name: 'wrong', entity: 'purchase', columns: { amount: { order: 10 } }, sort: 'amount' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/segment']);
  });

  it('shows each reader only the members they may read, without the total', async () => {
    const seen = await members('scored', clerk.client);
    expect(seen.members.map((m) => names()[m.record]).sort()).toEqual(['carol', 'dave']);
    expect(seen.count).toBeUndefined();
    expect((await clerk.client.post('/api/segments/scored/refresh', {})).status).toBe(403);
    expect((await server.get('/api/segments/nosuch/members')).status).toBe(404);
  });

  it('recomputes on its schedule, counting days in the server zone', async () => {
    // The server's timer ticks (it queues the next run: 02:00 in Shanghai), then the clock moves on:
    // 18:30 UTC on 1 March is 02:30 on 2 March in Shanghai — the run is due, and today is the 2nd.
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    await scheduler.runDue();
    expect((await members('scored')).computedAt).toBe('2026-03-01T09:00:00.000Z');
    server.clock.set(new Date('2026-03-01T18:30:00.000Z'));
    await scheduler.runDue();
    const scored = await members('scored');
    expect(scored.computedAt).toBe('2026-03-01T18:30:00.000Z');
    const alice = scored.members.find((m) => m.record === ids['alice'])!;
    expect(alice.recencyDays).toBe(10);
    // The segment without a schedule is left as it was.
    expect((await members('champions')).computedAt).toBe('2026-03-01T09:00:00.000Z');
  });

  it('is the target of a workflow action: a scheduled campaign to the segment\'s members', async () => {
    const applied = await server.post('/api/meta/apply', { documents: [task, campaign] });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const wrong = await server.put('/api/meta/workflows/wrongCampaign', { ...campaign, name: 'wrongCampaign', entity: 'purchase' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.map((d: { path: string }) => d.path)).toContain('/triggers/thanks/segment');
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    await scheduler.runDue(); // queues Monday 2 March 09:00 UTC
    server.clock.set(new Date('2026-03-02T09:00:30.000Z'));
    await scheduler.runDue();
    const tasks = (await server.get('/api/data/task?limit=100')).body.items as { customer: string }[];
    expect(tasks.map((t) => names()[t.customer])).toEqual(['alice']);
  });
});
