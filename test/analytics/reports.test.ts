// Reports: saved queries as metadata, run with the caller's access. A grouped report has a row per
// group of the last level, a subtotal after each group of the outer level and a grand total — every
// figure, averages included, equal to what the test computes from the caller's records API. CSV
// and XLSX exports (read back with csv-parse and exceljs) carry the same cells, with text that a
// spreadsheet would run as a formula neutralized. A scheduled report arrives by e-mail (a local
// SMTP server) as an attachment, with its role's access.

import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../engine/kernel/clock.ts';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type ApiClient, type TestServer, type TestUser } from '../support/test-server.ts';
import { startSmtpSink } from '../workflow/support/local-receivers.ts';

const deal = {
  kind: 'entity', name: 'deal', label: 'Deal', titleField: 'name',
  fields: {
    name: { type: 'text', required: true },
    region: { type: 'picklist', options: { east: { label: 'East' }, west: { label: 'West' } } },
    stage: { type: 'picklist', options: { open: { label: 'Open' }, won: { label: 'Won' } } },
    amount: { type: 'currency' },
    closeDate: { type: 'date' },
  },
};
const role = { kind: 'role', name: 'rep', label: 'Rep', permissions: { deal: { create: true, read: 'own', update: 'own' } } };
const viewer = { kind: 'role', name: 'eastViewer', label: 'East viewer', permissions: { deal: { read: 'all', fields: { amount: 'read' } } } };
const byRegion = {
  kind: 'report', name: 'byRegion', label: { en: 'Deals by region and stage', zh: '按大区与阶段的商机' }, entity: 'deal',
  groupBy: ['region', 'stage'], measures: { deals: { op: 'count' }, amount: { op: 'sum', field: 'amount' }, average: { op: 'avg', field: 'amount' } },
  schedule: { cron: '0 8 * * 1', to: ['boss@example.com', 'sales@example.com'], format: 'xlsx', role: 'eastViewer' },
};
const list = { kind: 'report', name: 'dealList', label: 'Deal list', entity: 'deal', columns: ['name', 'stage', 'amount'], sort: 'name', schedule: { cron: '0 8 * * 1', to: ['boss@example.com'], format: 'csv', role: 'rep' } };

const names = ['=HYPERLINK("http://evil.example","x")', '+SUM(1,2)', '-2+3', '@cmd', 'Plain deal', '\tTabbed', 'Gamma', 'Delta'];

type Row = { type: string; level?: number; cells: Record<string, any> };

async function recordsOf(client: ApiClient): Promise<Record<string, any>[]> {
  const res = await client.get('/api/data/deal?limit=1000');
  expect(res.status).toBe(200);
  return res.body.items;
}

function expectedTable(records: Record<string, any>[]): Row[] {
  const figures = (rs: Record<string, any>[]) => {
    const amounts = rs.map((r) => r['amount']).filter((a) => typeof a === 'number');
    return { deals: rs.length, amount: amounts.reduce((n, a) => n + a, 0), average: amounts.length ? amounts.reduce((n, a) => n + a, 0) / amounts.length : null };
  };
  const rows: Row[] = [];
  const regions = [...new Set(records.map((r) => r['region'] ?? null))].sort();
  for (const region of regions) {
    const inRegion = records.filter((r) => (r['region'] ?? null) === region);
    for (const stage of [...new Set(inRegion.map((r) => r['stage'] ?? null))].sort()) {
      rows.push({ type: 'row', cells: { region, stage, ...figures(inRegion.filter((r) => (r['stage'] ?? null) === stage)) } });
    }
    rows.push({ type: 'subtotal', level: 1, cells: { region, stage: null, ...figures(inRegion) } });
  }
  rows.push({ type: 'total', cells: { region: null, stage: null, ...figures(records) } });
  return rows;
}

function expectTable(actual: Row[], expected: Row[]): void {
  expect(actual.map((r) => [r.type, r.level, r.cells['region'], r.cells['stage'], r.cells['deals']])).toEqual(expected.map((r) => [r.type, r.level, r.cells['region'], r.cells['stage'], r.cells['deals']]));
  actual.forEach((row, i) => {
    expect(row.cells['amount']).toBeCloseTo(expected[i]!.cells['amount'], 6);
    expect(row.cells['average']).toBeCloseTo(expected[i]!.cells['average'], 6);
  });
}

describe('reports', () => {
  let server: TestServer;
  let rep: TestUser;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    server = await startTestServer({ clock: new ManualClock('2026-03-01T09:00:00.000Z'), env: { SMTP_URL: smtp.url, SMTP_FROM: 'CRM <crm@example.com>' } });
    const applied = await server.post('/api/meta/apply', { documents: [deal, role, viewer, byRegion, list] });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    rep = await server.createUser({ roles: ['rep'] });
    for (const [i, name] of names.entries()) {
      const client = i % 3 === 0 ? rep.client : server;
      const body = { name, region: i % 2 ? 'east' : 'west', stage: i % 3 ? 'open' : 'won', closeDate: `2026-0${1 + (i % 2)}-15`, ...(i === 5 ? {} : { amount: 100 * (i + 1) + 0.25 }) };
      expect((await client.post('/api/data/deal', body)).status).toBe(201);
    }
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  it('refuses a report with wrong references, by pointer', async () => {
    const bad = { kind: 'report', name: 'broken', label: 'Broken', entity: 'deal', groupBy: ['nosuch'], measures: { x: { op: 'sum', field: 'name' } }, schedule: { cron: '61 8 * * 1', to: ['a@example.com'], role: 'nosuch' } };
    const res = await server.put('/api/meta/reports/broken', bad);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/groupBy/0', '/measures/x/field', '/schedule/cron', '/schedule/role'].sort());
  });

  it('gives each caller subtotals and a total equal to their own records', async () => {
    for (const client of [server as ApiClient, rep.client]) {
      const res = await client.get('/api/reports/byRegion');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expectTable(res.body.rows, expectedTable(await recordsOf(client)));
    }
    const all = (await server.get('/api/reports/byRegion')).body.rows as Row[];
    const mine = (await rep.client.get('/api/reports/byRegion')).body.rows as Row[];
    expect(mine.at(-1)!.cells['deals']).toBeLessThan(all.at(-1)!.cells['deals']);
  });

  it('exports CSV and XLSX with the same cells, formulas neutralized', async () => {
    const json = (await server.get('/api/reports/dealList')).body;
    expect(json.rows.map((r: Row) => r.cells['name'])).toEqual([...names].sort());
    const csv = await fetch(`${server.url}/api/reports/dealList?format=csv`, { headers: { authorization: `Bearer ${server.admin!.token}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = parse(await csv.text()) as string[][];
    expect(lines[0]).toEqual(['name', 'stage', 'amount', 'row']);
    const neutral = (name: string) => (/^[=+\-@\t\r]/.test(name) ? `'${name}` : name);
    expect(lines.slice(1).map((l) => l[0])).toEqual([...names].sort().map(neutral));
    expect(lines.slice(1).every((l) => !/^[=+\-@\t\r]/.test(l[0]!))).toBe(true);
    expect(lines.slice(1).map((l) => l[2])).toEqual(json.rows.map((r: Row) => (r.cells['amount'] === null ? '' : String(r.cells['amount']))));

    const xlsx = await fetch(`${server.url}/api/reports/byRegion?format=xlsx`, { headers: { authorization: `Bearer ${server.admin!.token}` } });
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = book.worksheets[0]!;
    const grouped = (await server.get('/api/reports/byRegion')).body.rows as Row[];
    expect(sheet.rowCount).toBe(grouped.length + 1);
    expect(sheet.getRow(1).values).toEqual([undefined, 'region', 'stage', 'deals', 'amount', 'average', 'row']);
    grouped.forEach((row, i) => {
      const cells = sheet.getRow(i + 2);
      expect(cells.getCell(3).value).toBe(row.cells['deals']);
      expect(cells.getCell(4).value).toBeCloseTo(row.cells['amount'], 6);
      expect(cells.getCell(6).value).toBe(row.type);
    });
    expect((await server.get('/api/reports/byRegion?format=pdf')).status).toBe(400);
    expect((await server.get('/api/reports/nosuch')).status).toBe(404);
  });

  it('sends scheduled reports by e-mail with their role\'s access', async () => {
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    await scheduler.runDue(); // queues the next Monday 08:00 (UTC)
    expect(smtp.messages).toHaveLength(0);
    server.clock.set(new Date('2026-03-02T08:00:30.000Z'));
    await scheduler.runDue();
    expect(smtp.messages).toHaveLength(2);
    const sent = await Promise.all(smtp.messages.map((m) => simpleParser(m.raw)));
    const grouped = sent.find((m) => m.subject === 'Deals by region and stage')!;
    expect(smtp.messages.find((m) => m.to.length === 2)!.to.sort()).toEqual(['boss@example.com', 'sales@example.com']);
    const attachment = grouped.attachments[0]!;
    expect(attachment.filename).toBe('byRegion.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(attachment.content as never);
    // eastViewer reads every deal: the same total as the administrator's.
    const total = (await server.get('/api/reports/byRegion')).body.rows.at(-1).cells;
    const lastRow = book.worksheets[0]!.getRow(book.worksheets[0]!.rowCount);
    expect(lastRow.getCell(3).value).toBe(total['deals']);
    // The rep role owns nothing as a role: its list arrives empty rather than with others' deals.
    const listed = sent.find((m) => m.subject === 'Deal list')!;
    const csv = parse(listed.attachments[0]!.content.toString('utf8')) as string[][];
    expect(csv).toEqual([['name', 'stage', 'amount', 'row']]);
  });
});
