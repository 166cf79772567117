// The data quality report — its score, its invalid records and the dashboard's quality widget — is
// worked out over the fields the caller may read. Counted over every field, a reader kept from a
// field learned of it all the same: the score moved when only that field was filled in, and the
// invalid records when only its value broke a rule — over a scope as small as the dashboard's
// filters make it, one record's hidden value. (Its duplicates already count only the readable rules:
// quality-report-hidden-rules.) Real HTTP, real store; every figure is worked out from the records.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';

let server: TestServer;
let viewer: TestUser;
const ids: string[] = [];

const staff = {
  kind: 'entity', name: 'staff', label: { en: 'Staff', zh: '员工' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, city: { type: 'text' }, salary: { type: 'number' } },
};
const salaryCap = { salaryCap: { when: 'salary > 10000', field: 'salary', message: { en: 'Above the cap', zh: '超过上限' } } };

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/staff', staff)).status).toBe(201);
  const role = { kind: 'role', name: 'viewer', label: 'Viewer', permissions: { staff: { read: 'all', fields: { salary: 'hidden' } } } };
  expect((await server.put('/api/meta/roles/viewer', role)).status).toBe(201);
  const board = { kind: 'dashboard', name: 'quality', title: 'Quality', widgets: { q: { type: 'quality', title: 'Quality', entity: 'staff', layout: { x: 0, y: 0, w: 4, h: 2 } } } };
  expect((await server.put('/api/meta/dashboards/quality', board)).status).toBe(201);
  viewer = await server.createUser({ roles: ['viewer'] });
  for (const row of [{ name: 'Ann', city: 'Oslo', salary: 5000 }, { name: 'Bob' }]) {
    const res = await server.post<any>('/api/data/staff', row);
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
}, 60_000);
afterAll(async () => server?.close());

const figures = (r: any) => ({ score: r.score, invalidRecords: r.invalidRecords, completeness: r.completeness, invalid: r.invalid });

describe('the quality report of a reader kept from a field', () => {
  it('says nothing of that field: a change to it alone leaves their score, invalid records and widget as they were', async () => {
    const before = (await viewer.client.get<any>('/api/quality/staff/report')).body;
    const widgetBefore = (await viewer.client.get<any>('/api/dashboards/quality')).body.widgets.q;
    // Their figures are those of the fields they read: name filled in both, city in one.
    expect(figures(before)).toEqual({ score: Math.round(((1 + 0.5) / 2 + 1 + 1 + 1) / 4 * 100), invalidRecords: 0, completeness: { name: 1, city: 0.5 }, invalid: {} });
    // Only the hidden field changes: Bob's salary filled in, above a cap added afterwards.
    const bob = await server.get<any>(`/api/data/staff/${ids[1]}`);
    expect((await server.patch(`/api/data/staff/${ids[1]}`, { salary: 20000 }, { 'if-match': `"${bob.body.version}"` })).status).toBe(200);
    expect((await server.put('/api/meta/entities/staff', { ...staff, rules: salaryCap })).status).toBe(200);
    // The administrator's report tells of it.
    const whole = (await server.get<any>('/api/quality/staff/report')).body;
    expect([whole.invalidRecords, whole.completeness.salary, whole.invalid]).toEqual([1, 1, { salary: 1 }]);
    // The reader's does not.
    const after = (await viewer.client.get<any>('/api/quality/staff/report')).body;
    expect(figures(after)).toEqual(figures(before));
    const widgetAfter = (await viewer.client.get<any>('/api/dashboards/quality')).body.widgets.q;
    expect([widgetAfter.score, widgetAfter.invalidRecords]).toEqual([widgetBefore.score, widgetBefore.invalidRecords]);
    expect(widgetAfter.score).toBe(before.score);
  });
});
