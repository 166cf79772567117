// Unique text values are trimmed on every write (unique-key-spaces.test.ts), but records stored before
// that — or brought in by a restore from an older system — may hold keys with spaces around them,
// which then never meet their trimmed spellings. A cleansing job is how stored values are brought to
// the rules of today: it offers an entity's key fields (a unique text field, a field of a unique
// index) for their trimming even where the entity declares no cleansing rule; a key whose trimmed
// form another record already holds is refused and listed, the others are written, and the undo puts
// the padded values back.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

const supplier = {
  kind: 'entity', name: 'supplier', label: { en: 'Supplier', zh: '供应商' }, titleField: 'name',
  fields: { code: { type: 'text', required: true, unique: true }, name: { type: 'text', required: true }, region: { type: 'text' }, sku: { type: 'text' } },
  indexes: { regionSku: { fields: ['region', 'sku'], unique: true } },
};
// [name, code as written, code as planted in the store, region as planted, sku]
const rows: [string, string, string, string, string][] = [
  ['Acme', 'ACME', 'ACME ', 'North', 'S1'],
  ['Bolt', 'BOLT', '\tBOLT\u3000', ' South', 'S2'],
  ['Core', 'CORE', 'CORE', 'East', 'S3'],
  // Trimmed, its key is Core's: refused, listed; it keeps its padded code.
  ['Core again', 'CORE-2', ' CORE ', 'West', 'S4'],
  ['Dune', 'DUNE', 'DUNE', 'North', 'S5'],
];
const ids: string[] = [];

async function cleanse(body: unknown) {
  const res = await server.post<any>('/api/quality/supplier/cleanse', body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
  await scheduler.idle();
  await scheduler.runDue();
  const job = await server.get<any>(`/api/quality/cleanse-jobs/${res.body.id}`);
  expect(job.body.status, JSON.stringify(job.body)).toBe('done');
  return job.body;
}

async function stored() {
  const res = await server.get<any>('/api/data/supplier?limit=100&sort=name');
  return new Map<string, any>(res.body.items.map((r: any) => [r.id, r]));
}

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.put('/api/meta/entities/supplier', supplier)).status).toBe(201);
  for (const [name, code, , , sku] of rows) {
    const res = await server.post<any>('/api/data/supplier', { name, code, region: 'Nowhere', sku });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.id);
  }
  // As an older version stored them: written straight into the store, past today's trimming.
  await server.server.services.store.transaction(async (tx) => {
    for (const [i, [, , code, region]] of rows.entries()) {
      const row = (await tx.get('supplier', ids[i]!))!;
      await tx.replace('supplier', { ...row, version: row.version + 1, data: { ...row.data, code, region } }, row.version);
    }
  });
}, 120_000);
afterAll(async () => server?.close());

const padded = rows.filter(([, , code, region]) => code !== code.trim() || region !== region.trim());
const clashing = rows.filter(([, , code]) => code !== code.trim() && rows.some(([, , other]) => other !== code && other === code.trim()));

describe('a cleansing job over keys stored with spaces around them', () => {
  it('offers the key fields though the entity declares no cleansing rule', async () => {
    const res = await server.post<any>('/api/quality/supplier/cleanse', { fields: ['name'] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: '/fields/0', message: 'is not a field of supplier with a cleansing rule (code, region, sku)' }]);
  });

  it('dry run: counts the keys it would trim, writes nothing', async () => {
    const before = await stored();
    const job = await cleanse({ dryRun: true, examples: 10 });
    const byField = Object.fromEntries(job.rules.map((r: any) => [r.field, r]));
    const codes = rows.filter(([, , code]) => code !== code.trim());
    const regions = rows.filter(([, , , region]) => region !== region.trim());
    expect(byField.code).toMatchObject({ changed: codes.length, steps: { trim: codes.length } });
    expect(byField.region).toMatchObject({ changed: regions.length, steps: { trim: regions.length } });
    expect(byField.code.examples).toEqual(expect.arrayContaining(codes.map(([, , code]) => expect.objectContaining({ before: code, after: code.trim() }))));
    expect(job.counts).toMatchObject({ records: rows.length, changed: padded.length, written: 0 });
    expect(await stored()).toEqual(before);
  });

  it('commit trims every key but the one whose trimmed form is taken (refused, listed); undo puts them back', async () => {
    const original = await stored();
    const job = await cleanse({ dryRun: false });
    const refusedIds = clashing.map((row) => ids[rows.indexOf(row)]);
    expect(job.counts).toEqual({ records: rows.length, changed: padded.length, written: padded.length - clashing.length, refused: clashing.length });
    expect(job.refused.map((r: any) => r.id)).toEqual(refusedIds);
    expect(job.refused[0].issues).toEqual([expect.objectContaining({ path: '/code' })]);
    const after = await stored();
    rows.forEach(([, , code, region], i) => {
      const record = after.get(ids[i]!);
      if (refusedIds.includes(ids[i])) return void expect(record).toEqual(original.get(ids[i]!));
      expect([record.code, record.region]).toEqual([code.trim(), region.trim()]);
    });
    // The trimmed keys are found as typed today.
    const acme = await server.get<any>(`/api/data/supplier?filter=${encodeURIComponent(JSON.stringify({ code: 'ACME' }))}`);
    expect(acme.body.items.map((r: any) => r.id)).toEqual([ids[0]]);

    const undo = await server.post<any>(`/api/quality/cleanse-jobs/${job.id}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    const restored = await stored();
    for (const id of ids) expect([restored.get(id).code, restored.get(id).region]).toEqual([original.get(id).code, original.get(id).region]);
  });
});
