// The quality report's duplicates — clusters, records and the score they weigh in — count only the
// rules over fields the caller may read, as the duplicates page lists only those: a count of
// clusters by a hidden e-mail would tell a reader which of their records share it. The dashboard's
// quality widget says the same figures. (Every duplicate rule is active: the metadata has no
// switch to turn one off, and every rule is checked on every write.)

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let viewer: TestUser;

const person = {
  kind: 'entity', name: 'person', label: { en: 'Person', zh: '人员' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, mail: { type: 'email' } },
  duplicateRules: { sameMail: { match: ['mail'], method: 'exact', action: 'warn' }, sameName: { match: ['name'], method: 'normalized', action: 'warn' } },
};
// Two pairs: one sharing an e-mail only, one sharing a name only; and one record alone.
const rows = [
  { name: 'Ann Lee', mail: 'shared@x.test' },
  { name: 'Bo Chen', mail: 'shared@x.test' },
  { name: 'Cy Wu', mail: 'c@x.test' },
  { name: 'cy  wu', mail: 'd@x.test' },
  { name: 'Di Ma' },
];

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/person', person)).status).toBe(201);
  const role = { kind: 'role', name: 'viewer', label: 'Viewer', permissions: { person: { read: 'all', fields: { mail: 'hidden' } } } };
  expect((await server.put('/api/meta/roles/viewer', role)).status).toBe(201);
  const board = { kind: 'dashboard', name: 'quality', title: 'Quality', widgets: { q: { type: 'quality', title: 'Quality', entity: 'person', layout: { x: 0, y: 0, w: 4, h: 2 } } } };
  const saved = await server.put('/api/meta/dashboards/quality', board);
  expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  viewer = await server.createUser({ email: 'viewer@crm.test', roles: ['viewer'] });
  for (const row of rows) expect((await server.post('/api/data/person', row)).status).toBe(201);
}, 60_000);
afterAll(async () => server?.close());

/** The records in clusters and the clusters, counted from the rows by the rules given. */
function expected(rules: string[]) {
  const keys: Record<string, (r: (typeof rows)[number]) => string | undefined> = { sameMail: (r) => r.mail, sameName: (r) => r.name.toLowerCase().replace(/\s+/g, ' ') };
  let clusters = 0;
  const inClusters = new Set<number>();
  for (const rule of rules) {
    const groups = new Map<string, number[]>();
    rows.forEach((r, i) => {
      const key = keys[rule]!(r);
      if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      clusters++;
      group.forEach((i) => inClusters.add(i));
    }
  }
  return { clusters, records: inClusters.size };
}

describe('the duplicates of a quality report', () => {
  it('count every rule for whoever reads every field', async () => {
    const report = await server.get<any>('/api/quality/person/report');
    expect(report.status).toBe(200);
    expect({ clusters: report.body.duplicates.clusters, records: report.body.duplicates.records }).toEqual(expected(['sameMail', 'sameName']));
    expect(report.body.duplicates.items.map((c: any) => c.rule).sort()).toEqual(['sameMail', 'sameName']);
  });

  it('count only the rules over fields the caller may read — the report, its score and the widget alike', async () => {
    const report = await viewer.client.get<any>('/api/quality/person/report');
    expect(report.status).toBe(200);
    const seen = expected(['sameName']);
    expect({ clusters: report.body.duplicates.clusters, records: report.body.duplicates.records }).toEqual(seen);
    expect(report.body.duplicates.items.map((c: any) => c.rule)).toEqual(['sameName']);
    // The score weighs the duplicated share the viewer is told of (and the completeness of the fields they read: quality-report-hidden-fields; nothing invalid or stale).
    const whole = (await server.get<any>('/api/quality/person/report')).body;
    expect(Object.keys(report.body.completeness)).toEqual(['name']);
    const completeness = Object.values(report.body.completeness as Record<string, number>);
    const mean = completeness.reduce((a, b) => a + b, 0) / completeness.length;
    expect([whole.invalidRecords, whole.stale.records]).toEqual([0, 0]);
    expect(report.body.score).toBe(Math.round(((mean + 1 + (1 - seen.records / rows.length) + 1) / 4) * 100));
    const widget = (await viewer.client.get<any>('/api/dashboards/quality')).body.widgets.q;
    expect(widget.duplicates).toEqual({ clusters: seen.clusters, records: seen.records });
    expect(widget.score).toBe(report.body.score);
  });
});
