// Each bundled template ships dashboards for its process (data, no engine code): installed with its
// sample data, every dashboard of every module answers for the administrator with no widget in
// error, its landing dashboard is one of them, and the figures the issue names equal what the
// test counts itself through the records API — wholesale's win rate by sales team and overdue
// receivables, retail's members by RFM segment, services' cases by channel and priority.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { countOf, expectStatus, installTemplate, readTemplate, sampleClock, templateNames, type TemplateName } from './support.ts';

type Row = { key: Record<string, unknown>; values: Record<string, number>; drill: unknown };

async function listAll(server: TestServer, entity: string, filter: unknown): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let cursor: string | undefined;
  do {
    const res = await server.get(`/api/data/${entity}?limit=500&filter=${encodeURIComponent(JSON.stringify(filter))}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expectStatus(res, 200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

describe.each(templateNames)('%s template dashboards', (name: TemplateName) => {
  let server: TestServer;
  const template = readTemplate(name);
  const dashboards = Object.values(template.manifest.modules).flatMap((module) => (module.items as Record<string, string[]>)['dashboard'] ?? []);
  const answers: Record<string, Record<string, any>> = {};

  beforeAll(async () => {
    server = await startTestServer({ clock: sampleClock(), env: { CRM_TIME_ZONE: 'Asia/Shanghai' } });
    await installTemplate(server, name);
    for (const dashboard of dashboards) {
      const res = await server.get(`/api/dashboards/${dashboard}`);
      expectStatus(res, 200);
      answers[dashboard] = res.body.widgets;
    }
  });
  afterAll(async () => server.close());

  it('ships dashboards, lands on one of them, and every widget answers', () => {
    expect(dashboards.length).toBeGreaterThanOrEqual(2);
    expect(dashboards).toContain((template.manifest as { dashboards?: { home?: string } }).dashboards?.home);
    for (const [dashboard, widgets] of Object.entries(answers)) {
      for (const [widget, answer] of Object.entries(widgets)) expect(answer.error, `${dashboard}.${widget}`).toBeUndefined();
    }
  });

  it('gives the figures of its process, equal to the records API', async () => {
    if (name === 'wholesale') {
      const closed = await listAll(server, 'opportunity', { stage: { $in: ['won', 'lost'] } });
      const groups = answers['pipelineOverview']!['winRateByTeam'].groups as Row[];
      expect(groups.length).toBeGreaterThan(1);
      for (const group of groups) {
        const mine = closed.filter((o) => (o['salesTeam'] ?? null) === group.key['key']);
        expect(group.values['denominator']).toBe(mine.length);
        expect(group.values['numerator']).toBe(mine.filter((o) => o['stage'] === 'won').length);
      }
      // Overdue: invoiced and due before today (2026-11-02 in the server's zone).
      const overdue = await listAll(server, 'salesOrder', { status: 'invoiced', paymentDueOn: { $lt: '2026-11-02' } });
      expect(answers['ordersOverview']!['overdue'].value).toBeCloseTo(overdue.reduce((n, o) => n + (o['total'] ?? 0), 0), 6);
    }
    if (name === 'retail') {
      const groups = answers['storeSales']!['rfmTiers'].groups as Row[];
      expect(groups.length).toBeGreaterThan(2);
      for (const group of groups) expect(group.values['value']).toBe(await countOf(server, 'member', { rfmSegment: group.key['key'] }));
      // The shipped segment scores members as the template's own RFM formulas do.
      expectStatus(await server.post('/api/segments/champions/refresh', {}), 200);
      const segment = await server.get('/api/segments/champions/members?limit=1000');
      expectStatus(segment, 200);
      const champions = await listAll(server, 'member', { rfmSegment: 'champions' });
      expect(champions.length).toBeGreaterThan(0);
      expect(segment.body.members.map((m: { record: string }) => m.record).sort()).toEqual(champions.map((m) => m['id']).sort());
    }
    if (name === 'wholesale') {
      const report = await server.get('/api/reports/revenueByTeamQuarter');
      expectStatus(report, 200);
      const won = await listAll(server, 'opportunity', { stage: 'won' });
      expect(report.body.rows.at(-1).cells['amount']).toBeCloseTo(won.reduce((n, o) => n + (o['amount'] ?? 0), 0), 6);
      const subtotals = report.body.rows.filter((r: { type: string }) => r.type === 'subtotal');
      expect(subtotals.reduce((n: number, r: { cells: { deals: number } }) => n + r.cells.deals, 0)).toBe(won.length);
    }
    if (name === 'services') {
      const groups = answers['serviceDeskOverview']!['byChannel'].groups as Row[];
      expect(groups.reduce((n, g) => n + g.values['value']!, 0)).toBe(await countOf(server, 'serviceCase'));
      for (const group of groups.slice(0, 4)) expect(group.values['value']).toBe(await countOf(server, 'serviceCase', group.drill));
    }
  });
});
