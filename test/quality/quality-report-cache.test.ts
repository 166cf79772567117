// Quality reports are kept between requests (engine/quality/quality-cache.ts): the quality page and a
// dashboard's quality widget read every record of the entity, so a second load that nothing could
// have changed is served kept — counted in /api/metrics as crm_quality_reports_total{outcome} — and
// a write through the API, a metadata change, another scope or the age bound (by the server's clock)
// builds it afresh with the new figures.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { qualityReportMaxAgeMs } from '../../engine/quality/quality-cache.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const lead = { kind: 'entity', name: 'lead', label: 'Lead', titleField: 'name', fields: { name: { type: 'text', required: true }, city: { type: 'text' } } };

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.post('/api/meta/apply', [lead])).status).toBe(200);
  for (const [name, city] of [['Ada', 'Berlin'], ['Bob', undefined], ['Cy', undefined], ['Dee', 'Paris']]) {
    expect((await server.post('/api/data/lead', { name, ...(city ? { city } : {}) })).status).toBe(201);
  }
  const dashboard = { kind: 'dashboard', name: 'leadQuality', title: 'Lead quality', widgets: { quality: { type: 'quality', title: 'Quality', entity: 'lead', layout: { x: 0, y: 0, w: 4, h: 2 } } } };
  expect((await server.put('/api/meta/dashboards/leadQuality', dashboard)).status).toBeLessThan(300);
}, 120_000);
afterAll(async () => server?.close());

/** The counter's value per outcome, read from the Prometheus text. */
async function served(): Promise<{ built: number; kept: number }> {
  const res = await server.get<string>('/api/metrics');
  expect(res.status).toBe(200);
  const value = (outcome: string) => Number(new RegExp(`^crm_quality_reports_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(res.body)?.[1] ?? 0);
  return { built: value('built'), kept: value('kept') };
}

const cityCompleteness = async () => {
  const res = await server.get<any>('/api/quality/lead/report');
  expect(res.status).toBe(200);
  return res.body.completeness.city as number;
};

it('serves the second load kept, and builds afresh after a write, a metadata change and the age bound', async () => {
  const start = await served();
  expect(await cityCompleteness()).toBe(0.5);
  expect(await served()).toEqual({ built: start.built + 1, kept: start.kept });
  expect(await cityCompleteness()).toBe(0.5);
  expect(await served()).toEqual({ built: start.built + 1, kept: start.kept + 1 });

  // A write through the API: the next load reads the records again.
  const bob = (await server.get<any>(`/api/data/lead?filter=${encodeURIComponent('{"name":"Bob"}')}`)).body.items[0];
  expect((await server.patch(`/api/data/lead/${bob.id}`, { city: 'Rome' })).status).toBe(200);
  expect(await cityCompleteness()).toBe(0.75);
  expect(await served()).toEqual({ built: start.built + 2, kept: start.kept + 1 });

  // Another staleDays is another report; the age bound ends a kept one.
  expect((await server.get<any>('/api/quality/lead/report?staleDays=7')).status).toBe(200);
  expect(await served()).toEqual({ built: start.built + 3, kept: start.kept + 1 });
  server.clock.advance(qualityReportMaxAgeMs);
  expect(await cityCompleteness()).toBe(0.75);
  expect(await served()).toEqual({ built: start.built + 4, kept: start.kept + 1 });

  // A metadata change (city now required): the report is built under the new rules.
  expect((await server.post('/api/meta/apply', [{ ...lead, fields: { ...lead.fields, city: { type: 'text', required: true } } }])).status).toBe(200);
  const report = await server.get<any>('/api/quality/lead/report');
  expect(report.body.invalid).toEqual({ city: 1 });
  expect(await served()).toEqual({ built: start.built + 5, kept: start.kept + 1 });
});

it('serves a dashboard\u2019s quality widget the report the quality page built for the same scope, until a write', async () => {
  const start = await served();
  const first = await server.get<any>('/api/dashboards/leadQuality');
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  const second = await server.get<any>('/api/dashboards/leadQuality');
  expect(second.body.widgets).toEqual(first.body.widgets);
  expect(await served()).toEqual({ built: start.built, kept: start.kept + 2 });
  expect((await server.post('/api/data/lead', { name: 'Eve', city: 'Oslo' })).status).toBe(201);
  const third = await server.get<any>('/api/dashboards/leadQuality');
  const records = (body: any) => (Array.isArray(body.widgets) ? body.widgets[0] : body.widgets.quality).records;
  expect(records(third.body)).toBe(records(first.body) + 1);
  expect(await served()).toEqual({ built: start.built + 1, kept: start.kept + 2 });
});
