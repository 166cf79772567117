// Dashboards: checked on save (entities, fields, workflows, grid), answered in one request with
// every widget's figures within the viewer's access, narrowed by the dashboard filters, each
// figure with a drill-down filter that lists exactly its records. Expected figures are computed
// by the test from the records API of the same viewer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiClient, type TestServer, type TestUser } from '../support/test-server.ts';

const deal = {
  kind: 'entity', name: 'deal', label: 'Deal', titleField: 'name',
  fields: {
    name: { type: 'text', required: true },
    stage: { type: 'picklist', options: { open: { label: 'Open' }, won: { label: 'Won' }, lost: { label: 'Lost' } } },
    region: { type: 'picklist', options: { east: { label: 'East' }, west: { label: 'West' } } },
    amount: { type: 'currency' },
    margin: { type: 'number' },
    closedAt: { type: 'datetime' },
  },
};
const workflow = {
  kind: 'workflow', name: 'dealFlow', entity: 'deal', label: 'Deal flow', field: 'stage',
  states: { open: { label: 'Open', initial: true, slaHours: 24 }, won: { label: 'Won', final: true }, lost: { label: 'Lost', final: true } },
  transitions: { win: { label: 'Win', from: 'open', to: 'won' }, lose: { label: 'Lose', from: 'open', to: 'lost' } },
};
const roles = [
  { kind: 'role', name: 'rep', label: 'Rep', permissions: { deal: { create: true, read: 'own', update: 'own', fields: { margin: 'hidden' }, transitions: { dealFlow: '*' } } } },
  { kind: 'role', name: 'manager', label: 'Manager', permissions: { deal: { create: true, read: 'all', update: 'all', transitions: { dealFlow: '*' } } } },
];
const at = (x: number, y: number, w = 4, h = 2) => ({ x, y, w, h });
const dashboard = {
  kind: 'dashboard', name: 'sales', title: { en: 'Sales', zh: '销售' },
  filters: {
    period: { type: 'dateRange', fields: { deal: 'closedAt' } },
    owner: { type: 'owner' },
    team: { type: 'team' },
    region: { type: 'picklist', fields: { deal: 'region' } },
  },
  widgets: {
    revenue: { type: 'metric', title: 'Won', entity: 'deal', filter: { stage: 'won' }, measure: { op: 'sum', field: 'amount' }, compare: 'previousPeriod', layout: at(0, 0) },
    winRate: { type: 'metric', title: 'Win rate', entity: 'deal', filter: { stage: { $in: ['won', 'lost'] } }, measure: { op: 'count' }, ratio: { filter: { stage: 'won' } }, layout: at(4, 0) },
    byStage: { type: 'bar', title: 'By stage', entity: 'deal', groupBy: 'stage', series: 'region', stacked: true, measure: { op: 'sum', field: 'amount' }, layout: at(8, 0) },
    perMonth: { type: 'line', title: 'Per month', entity: 'deal', groupBy: { field: 'closedAt', bucket: 'month' }, measure: { op: 'count' }, layout: at(0, 2) },
    regions: { type: 'pie', title: 'Regions', entity: 'deal', groupBy: 'region', measure: { op: 'count' }, donut: true, layout: at(4, 2) },
    funnel: { type: 'funnel', title: 'Funnel', entity: 'deal', workflow: 'dealFlow', layout: at(8, 2) },
    top: { type: 'table', title: 'Top', entity: 'deal', columns: ['name', 'amount'], sort: '-amount', limit: 3, layout: at(0, 4) },
    pivot: { type: 'pivot', title: 'Pivot', entity: 'deal', rows: 'stage', columns: { field: 'closedAt', bucket: 'quarter' }, measure: { op: 'sum', field: 'amount' }, layout: at(4, 4) },
    sla: { type: 'sla', title: 'SLA', entity: 'deal', workflow: 'dealFlow', layout: at(8, 4) },
    margins: { type: 'bar', title: 'Margin', entity: 'deal', groupBy: 'stage', measure: { op: 'sum', field: 'margin' }, ignoreFilters: ['region'], layout: at(0, 6) },
    quality: { type: 'quality', title: 'Data quality', entity: 'deal', staleDays: 30, layout: at(4, 6) },
  },
};

type Row = { key: Record<string, unknown>; values: { value: number }; drill: unknown };
const q = (filters?: unknown) => (filters === undefined ? '' : `?filters=${encodeURIComponent(JSON.stringify(filters))}`);

async function list(client: ApiClient, filter: unknown = {}): Promise<Record<string, any>[]> {
  const res = await client.get(`/api/data/deal?limit=1000&filter=${encodeURIComponent(JSON.stringify(filter))}`);
  expect(res.status).toBe(200);
  return res.body.items;
}
const sum = (records: Record<string, any>[]) => records.reduce((n, r) => n + (r['amount'] ?? 0), 0);

describe('dashboards', () => {
  let server: TestServer;
  let rep: TestUser;
  let manager: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', { documents: [deal, workflow, ...roles] });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    await server.createTeam('east');
    rep = await server.createUser({ roles: ['rep'], teams: ['east'] });
    manager = await server.createUser({ roles: ['manager'] });
    const months = ['2024-01-15T10:00:00Z', '2024-02-20T10:00:00Z', '2024-03-31T20:00:00Z', '2024-04-02T10:00:00Z'];
    for (let i = 0; i < 12; i += 1) {
      const client = i % 3 === 0 ? rep.client : manager.client;
      const body = { name: `d${i}`, amount: 50 * (i + 1), region: i % 2 ? 'east' : 'west', closedAt: months[i % 4], ...(i % 3 ? { margin: i } : {}) };
      const created = await client.post('/api/data/deal', body);
      expect(created.status).toBe(201);
      if (i % 4 !== 3) expect((await client.post(`/api/data/deal/${created.body.id}/transitions/${i % 4 === 1 ? 'lose' : 'win'}`, {})).status).toBe(200);
    }
  });
  afterAll(async () => server.close());

  it('refuses a dashboard with wrong references, naming each by pointer', async () => {
    const bad = structuredClone(dashboard) as any;
    bad.name = 'broken';
    bad.widgets.byStage.groupBy = 'nosuch';
    bad.widgets.perMonth.groupBy = 'closedAt';
    bad.widgets.funnel.workflow = 'nosuch';
    bad.widgets.regions.layout = at(0, 0);
    bad.widgets.top.columns = ['name', 'nosuch'];
    bad.filters.period.fields.deal = 'name';
    bad.widgets.quality.filter = { nosuch: 'x' };
    const res = await server.put('/api/meta/dashboards/broken', bad);
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining([
      '/widgets/byStage/groupBy', '/widgets/perMonth/groupBy', '/widgets/funnel/workflow', '/widgets/regions/layout', '/widgets/top/columns/1', '/filters/period/fields/deal',
      '/widgets/quality/filter/nosuch',
    ]));
    const saved = await server.put('/api/meta/dashboards/sales', dashboard);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  });

  it('answers every widget for two roles with figures equal to their own records API', async () => {
    for (const user of [rep, manager]) {
      const res = await user.client.get('/api/dashboards/sales');
      expect(res.status).toBe(200);
      const w = res.body.widgets;
      const mine = await list(user.client);
      expect(w.revenue.value).toBe(sum(mine.filter((r) => r['stage'] === 'won')));
      const closed = mine.filter((r) => r['stage'] === 'won' || r['stage'] === 'lost');
      expect(w.winRate.value).toBeCloseTo(closed.filter((r) => r['stage'] === 'won').length / closed.length, 12);
      for (const row of w.byStage.groups as Row[]) {
        expect(row.values.value).toBe(sum(mine.filter((r) => r['stage'] === row.key['key'] && r['region'] === row.key['series'])));
        // The drill-down lists exactly the records behind the bar.
        expect(sum(await list(user.client, row.drill))).toBe(row.values.value);
      }
      expect((w.funnel.groups as Row[]).map((g) => [g.key['key'], g.values.value])).toEqual(['open', 'won', 'lost'].map((s) => [s, mine.filter((r) => r['stage'] === s).length]));
      expect(w.top.items.map((r: { amount: number }) => r.amount)).toEqual(mine.map((r) => r['amount']).sort((a, b) => b - a).slice(0, 3));
      expect(w.pivot.total).toBe(sum(mine));
      expect((w.pivot.rowTotals as Row[]).reduce((n, r) => n + r.values.value, 0)).toBe(sum(mine));
      for (const cell of w.pivot.cells as Row[]) expect(sum(await list(user.client, cell.drill))).toBe(cell.values.value);
      // Subtotals (folded from the cells for a sum) equal the records behind them, in key order.
      for (const total of [...w.pivot.rowTotals, ...w.pivot.columnTotals] as Row[]) expect(sum(await list(user.client, total.drill))).toBe(total.values.value);
      const quarters = (w.pivot.columnTotals as Row[]).map((t) => t.key['column']);
      expect(quarters).toEqual([...quarters].sort());
      expect((w.perMonth.groups as Row[]).map((g) => g.key['key'])).toEqual(['2024-01', '2024-02', '2024-03', '2024-04']);
      // Data quality over the viewer's own records: completeness counted from them, only fields they may read.
      expect(w.quality.records).toBe(mine.length);
      // The rep's role hides margin (roles above).
      const readable = Object.keys(deal.fields).filter((f) => user === manager || f !== 'margin');
      expect(Object.keys(w.quality.completeness).sort()).toEqual(readable.sort());
      for (const field of readable) expect(w.quality.completeness[field], field).toBeCloseTo(mine.filter((r) => r[field] !== undefined).length / mine.length, 3);
      expect(w.quality.score).toBe((await user.client.get('/api/quality/deal/report?staleDays=30')).body.score);
    }

    const repView = (await rep.client.get('/api/dashboards/sales')).body.widgets;
    const managerView = (await manager.client.get('/api/dashboards/sales')).body.widgets;
    expect(repView.revenue.value).not.toBe(managerView.revenue.value);
    // The rep cannot read margin: that widget is not theirs (as the dashboard's metadata reads for
    // them), and nothing of it — not the hidden field's name — comes back; the SLA needs every
    // record: refused with its error.
    expect(repView.margins).toBeUndefined();
    expect(managerView.margins.groups.length).toBeGreaterThan(0);
    expect(Object.keys((await rep.client.get('/api/meta/dashboards/sales')).body.widgets)).toEqual(Object.keys(repView));
    expect(repView.sla.error.code).toBe('FORBIDDEN');
    expect(managerView.sla.states.map((s: { state: string }) => s.state)).toEqual(['open', 'won', 'lost']);
  });

  it('applies the dashboard filters to every widget and compares with the previous period', async () => {
    const filters = { period: { from: '2024-03-01', to: '2024-04-30' }, region: 'east' };
    const res = await manager.client.get(`/api/dashboards/sales${q(filters)}`);
    expect(res.status).toBe(200);
    const w = res.body.widgets;
    const inRange = (from: string, to: string) => ({ closedAt: { $gte: `${from}T00:00:00.000Z`, $lt: `${to}T00:00:00.000Z` }, region: 'east' });
    expect(w.revenue.value).toBe(sum(await list(manager.client, { ...inRange('2024-03-01', '2024-05-01'), stage: 'won' })));
    expect(w.revenue.previousPeriod).toEqual({ from: '2023-12-31', to: '2024-02-29' });
    expect(w.revenue.previous).toBe(sum(await list(manager.client, { ...inRange('2023-12-31', '2024-03-01'), stage: 'won' })));
    expect(w.revenue.filters).toEqual(['period', 'region']);
    expect(w.margins.filters).toEqual(['period']);
    expect((w.regions.groups as Row[]).map((g) => g.key['key'])).toEqual(['east']);
    expect(w.quality.records).toBe((await list(manager.client, inRange('2024-03-01', '2024-05-01'))).length);
    // Owner and team filters narrow by owner.
    const byTeam = (await manager.client.get(`/api/dashboards/sales${q({ team: 'east' })}`)).body.widgets;
    expect(byTeam.revenue.value).toBe(sum((await list(manager.client, { stage: 'won', owner: rep.id }))));
    const byOwner = (await manager.client.get(`/api/dashboards/sales${q({ owner: [manager.id] })}`)).body.widgets;
    expect(byOwner.funnel.groups.reduce((n: number, g: Row) => n + g.values.value, 0)).toBe((await list(manager.client, { owner: manager.id })).length);
  });

  it('refuses unknown or malformed filters by pointer, and unknown dashboards with 404', async () => {
    const res = await manager.client.get(`/api/dashboards/sales${q({ period: { from: '2024-13-45' }, nosuch: 1 })}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/query/filters/period', '/query/filters/nosuch']);
    expect((await manager.client.get('/api/dashboards/nosuch')).status).toBe(404);
  });
});
