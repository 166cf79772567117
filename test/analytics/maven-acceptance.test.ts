// Acceptance on the Maven CRM dataset (../shared/datasets/maven-crm) loaded into the wholesale
// template: win rate by sales team, revenue by quarter and pipeline by stage on a dashboard equal
// the figures this test computes itself from the CSV files; and the same dashboard for a sales rep
// equals what the rep's own records API adds up to. The CSV rows go straight into the store (the
// pipeline stage is workflow-driven and open deals lack what a create requires); skipped, with a
// message, when the dataset is absent.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../engine/kernel/ids.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

const datasetDir = join(import.meta.dirname, '../../../shared/datasets/maven-crm');
const present = existsSync(join(datasetDir, 'sales_pipeline.csv'));
// The files mix CRLF and LF line ends (as exported data does): normalized before parsing.
const csv = (file: string): Record<string, string>[] => parse(readFileSync(join(datasetDir, file), 'utf8').replace(/\r\n/g, '\n'), { columns: true, skip_empty_lines: true });
const stageOf: Record<string, string> = { Won: 'won', Lost: 'lost', Engaging: 'proposal', Prospecting: 'prospecting' };
const quarterOf = (date: string) => `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;

const dashboard = {
  kind: 'dashboard', name: 'mavenSales', title: 'Sales performance',
  widgets: {
    winRate: {
      type: 'bar', title: 'Win rate by team', entity: 'opportunity', filter: { stage: { $in: ['won', 'lost'] } },
      groupBy: 'salesTeam.name', measure: { op: 'count' }, ratio: { filter: { stage: 'won' } }, layout: { x: 0, y: 0, w: 4, h: 3 },
    },
    revenue: {
      type: 'line', title: 'Revenue by quarter', entity: 'opportunity', filter: { stage: 'won' },
      groupBy: { field: 'closeDate', bucket: 'quarter' }, measure: { op: 'sum', field: 'amount' }, layout: { x: 4, y: 0, w: 4, h: 3 },
    },
    pipeline: { type: 'bar', title: 'Pipeline by stage', entity: 'opportunity', groupBy: 'stage', measure: { op: 'count' }, layout: { x: 8, y: 0, w: 4, h: 3 } },
  },
};

type Row = { key: Record<string, string | null>; values: { value: number } };
const figures = (rows: Row[]) => Object.fromEntries(rows.map((r) => [String(r.key['key']), r.values.value]));

describe.skipIf(!present)(`Maven CRM on the wholesale template${present ? '' : ' (skipped: ../shared/datasets/maven-crm is absent)'}`, () => {
  let server: TestServer;
  let rep: TestUser;
  let manager: TestUser;
  const pipeline = present ? csv('sales_pipeline.csv') : [];
  const teams = present ? csv('sales_teams.csv') : [];
  const managerOf = new Map(teams.map((t) => [t['sales_agent']!, t['manager']!]));
  const officeOf = new Map(teams.map((t) => [t['sales_agent']!, t['regional_office']!]));

  beforeAll(async () => {
    server = await startTestServer();
    const installed = await server.post('/api/templates/wholesale/install', { modules: ['customers', 'pipeline'] });
    expect(installed.status, JSON.stringify(installed.body).slice(0, 500)).toBe(201);
    await server.createTeam('central');
    rep = await server.createUser({ roles: ['salesRep', 'salesRepPipeline'], teams: ['central'] });
    manager = await server.createUser({ roles: ['salesManager', 'salesManagerPipeline'] });
    const { store, runtime } = server.server;
    const revision = runtime.model.revision;
    const now = new Date().toISOString();
    const system = (owner: string) => ({ createdAt: now, updatedAt: now, createdBy: owner, updatedBy: owner, owner });
    await store.transaction(async (tx) => {
      const teamIds = new Map<string, string>();
      for (const name of new Set(managerOf.values())) {
        const id = newId();
        teamIds.set(name, id);
        await tx.insert('salesTeam', { id, version: 1, revision, data: { name, managerName: name, ...system(manager.id) } });
      }
      const accountIds = new Map<string, string>();
      for (const account of csv('accounts.csv')) {
        const id = newId();
        accountIds.set(account['account']!, id);
        await tx.insert('account', { id, version: 1, revision, data: { name: account['account'], ...system(manager.id) } });
      }
      for (const deal of pipeline) {
        const agent = deal['sales_agent']!;
        const data: Record<string, unknown> = {
          name: deal['opportunity_id'], stage: stageOf[deal['deal_stage']!], salesTeam: teamIds.get(managerOf.get(agent)!),
          ...system(officeOf.get(agent) === 'Central' ? rep.id : manager.id),
        };
        if (deal['account'] && accountIds.has(deal['account'])) data['account'] = accountIds.get(deal['account']);
        if (deal['close_value']) data['amount'] = Number(deal['close_value']);
        if (deal['close_date']) data['closeDate'] = deal['close_date'];
        await tx.insert('opportunity', { id: newId(), version: 1, revision, data });
      }
    });
    const saved = await server.put('/api/meta/dashboards/mavenSales', dashboard);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  }, 120_000);
  afterAll(async () => server?.close());

  it('win rate by team, revenue by quarter and pipeline by stage equal the CSV figures', async () => {
    const res = await manager.client.get('/api/dashboards/mavenSales');
    expect(res.status).toBe(200);
    const w = res.body.widgets;
    const won = new Map<string, number>();
    const closed = new Map<string, number>();
    const revenue = new Map<string, number>();
    const stages = new Map<string, number>();
    for (const deal of pipeline) {
      const team = managerOf.get(deal['sales_agent']!)!;
      const stage = deal['deal_stage']!;
      stages.set(stageOf[stage]!, (stages.get(stageOf[stage]!) ?? 0) + 1);
      if (stage === 'Won' || stage === 'Lost') closed.set(team, (closed.get(team) ?? 0) + 1);
      if (stage === 'Won') {
        won.set(team, (won.get(team) ?? 0) + 1);
        revenue.set(quarterOf(deal['close_date']!), (revenue.get(quarterOf(deal['close_date']!)) ?? 0) + Number(deal['close_value']));
      }
    }
    const winRates = figures(w.winRate.groups);
    expect(Object.keys(winRates).sort()).toEqual([...closed.keys()].sort());
    for (const [team, n] of closed) expect(winRates[team], team).toBeCloseTo((won.get(team) ?? 0) / n, 12);
    expect(figures(w.revenue.groups)).toEqual(Object.fromEntries([...revenue].sort()));
    expect(figures(w.pipeline.groups)).toEqual(Object.fromEntries(stages));
    expect(Object.values(figures(w.pipeline.groups)).reduce((a, b) => a + b, 0)).toBe(pipeline.length);
  });

  it("gives a sales rep the same dashboard narrowed to their records, equal to their records API's sums", async () => {
    const mine: Record<string, unknown>[] = [];
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const page = await rep.client.get(`/api/data/opportunity?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      mine.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    const central = pipeline.filter((d) => officeOf.get(d['sales_agent']!) === 'Central');
    expect(mine.length).toBe(central.length);
    const w = (await rep.client.get('/api/dashboards/mavenSales')).body.widgets;
    const count = (stage: string) => mine.filter((r) => r['stage'] === stage).length;
    expect(figures(w.pipeline.groups)).toEqual(Object.fromEntries(['lost', 'proposal', 'prospecting', 'won'].filter((s) => count(s) > 0).map((s) => [s, count(s)])));
    const revenue: Record<string, number> = {};
    for (const r of mine) if (r['stage'] === 'won') revenue[quarterOf(String(r['closeDate']))] = (revenue[quarterOf(String(r['closeDate']))] ?? 0) + Number(r['amount']);
    expect(figures(w.revenue.groups)).toEqual(Object.fromEntries(Object.entries(revenue).sort()));
    const managerView = (await manager.client.get('/api/dashboards/mavenSales')).body.widgets;
    expect(figures(w.pipeline.groups)).not.toEqual(figures(managerView.pipeline.groups));
  });
});
