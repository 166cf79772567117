// A quality report counts only the fields its reader may read: a hidden field's completeness, its
// invalid values, a rule naming it or reading it — none shows in the report, its invalid records or
// its score, nor in the dashboard's quality widget. (Before, the viewer saw the count of records
// whose hidden salary broke a rule added later: one number told them whose pay was out of range.)
// The expected figures are computed here from the records the test stored.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let viewer: TestUser;

const fields = { name: { type: 'text', required: true }, team: { type: 'text' }, salary: { type: 'number' }, grade: { type: 'text' } };
const staff = { kind: 'entity', name: 'staff', label: { en: 'Staff', zh: '员工' }, titleField: 'name', fields };
const rows = [
  { name: 'Ann', team: 'North', salary: 500, grade: 'A' },
  { name: 'Bo', salary: 2000, grade: 'B' },
  { name: 'Cy', team: 'South', salary: 900 },
  { name: 'Di', team: 'South' },
];
// Added once the records are stored: a maximum on the hidden salary, a rule naming it, a rule naming
// a readable field but reading the hidden one, and one rule over readable fields only.
const later = {
  ...staff,
  fields: { ...fields, salary: { type: 'number', max: 1500 }, grade: { type: 'text', required: true } },
  rules: {
    salaryCap: { when: 'salary > 800', field: 'salary', message: { en: 'Above the cap', zh: '超过上限' } },
    gradeBySalary: { when: "salary < 600 and grade = 'A'", field: 'grade', message: { en: 'Grade too high', zh: '级别过高' } },
    teamNeeded: { when: '$not($exists(team))', field: 'team', message: { en: 'Team missing', zh: '缺少团队' } },
  },
};

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/staff', staff)).status).toBe(201);
  for (const row of rows) expect((await server.post('/api/data/staff', row)).status).toBe(201);
  const changed = await server.put('/api/meta/entities/staff', later);
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  const role = { kind: 'role', name: 'viewer', label: 'Viewer', permissions: { staff: { read: 'all', fields: { salary: 'hidden' } } } };
  expect((await server.put('/api/meta/roles/viewer', role)).status).toBe(201);
  const board = { kind: 'dashboard', name: 'people', title: 'People', widgets: { q: { type: 'quality', title: 'Quality', entity: 'staff', layout: { x: 0, y: 0, w: 4, h: 2 } } } };
  expect((await server.put('/api/meta/dashboards/people', board)).status).toBe(201);
  viewer = await server.createUser({ email: 'viewer@crm.test', roles: ['viewer'] });
}, 60_000);
afterAll(async () => server?.close());

type Row = (typeof rows)[number] & { team?: string; salary?: number; grade?: string };
/** What a reader of `readable` should be told, from the rows and the rules above. */
function expected(readable: string[]) {
  const problems = (r: Row): string[] => {
    const found: string[] = [];
    if (r.salary !== undefined && r.salary > 1500) found.push('salary');
    if (r.grade === undefined) found.push('grade');
    if (r.salary !== undefined && r.salary > 800) found.push('salary');
    if (readable.includes('salary') && r.salary !== undefined && r.salary < 600 && r.grade === 'A') found.push('grade');
    if (r.team === undefined) found.push('team');
    return [...new Set(found.filter((f) => readable.includes(f)))];
  };
  const invalid: Record<string, number> = {};
  let invalidRecords = 0;
  for (const r of rows as Row[]) {
    const p = problems(r);
    if (p.length > 0) invalidRecords++;
    for (const f of p) invalid[f] = (invalid[f] ?? 0) + 1;
  }
  const completeness = Object.fromEntries(readable.map((f) => [f, rows.filter((r) => (r as Row)[f as keyof Row] !== undefined).length / rows.length]));
  const mean = Object.values(completeness).reduce((a, b) => a + b, 0) / readable.length;
  const score = Math.round(((mean + (1 - invalidRecords / rows.length) + 1 + 1) / 4) * 100);
  return { invalid, invalidRecords, completeness, score };
}

describe('a quality report for a reader who may not read a field', () => {
  it('counts every field for the administrator', async () => {
    const report = (await server.get<any>('/api/quality/staff/report')).body;
    const want = expected(['name', 'team', 'salary', 'grade']);
    expect({ invalid: report.invalid, invalidRecords: report.invalidRecords, completeness: report.completeness, score: report.score }).toEqual(want);
  });

  it('leaves the hidden field out of completeness, invalid records and the score — the widget alike', async () => {
    const report = await viewer.client.get<any>('/api/quality/staff/report');
    expect(report.status).toBe(200);
    const want = expected(['name', 'team', 'grade']);
    expect({ invalid: report.body.invalid, invalidRecords: report.body.invalidRecords, completeness: report.body.completeness, score: report.body.score }).toEqual(want);
    expect(JSON.stringify(report.body)).not.toContain('salary');
    const widget = (await viewer.client.get<any>('/api/dashboards/people')).body.widgets.q;
    expect({ invalidRecords: widget.invalidRecords, score: widget.score, invalid: widget.invalid }).toEqual({ invalidRecords: want.invalidRecords, score: want.score, invalid: want.invalid });
  });
});
