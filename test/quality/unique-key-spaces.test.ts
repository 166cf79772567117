// A unique text field is a key: "ACME " and "ACME" are one key, not two. Surrounding whitespace (a
// space typed or pasted at the end, a tab, an ideographic space) is cut from a unique text value on
// every write, declared cleansing rule or not — for a field unique itself and a field of a unique
// index alike — so the second spelling meets the first as a UNIQUE_VIOLATION at its field. What is
// inside the value (its case, its inner spaces) is kept: folding those is a declared rule's or a
// duplicate rule's to do.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const supplier = {
    kind: 'entity', name: 'supplier', label: { en: 'Supplier', zh: '供应商' }, titleField: 'code',
    fields: { code: { type: 'text', required: true, unique: true }, region: { type: 'text' }, sku: { type: 'text' }, note: { type: 'text' } },
    indexes: { regionSku: { fields: ['region', 'sku'], unique: true } },
  };
  const res = await server.put('/api/meta/entities/supplier', supplier);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}, 60_000);
afterAll(async () => server?.close());

const create = (values: Record<string, unknown>) => server.post<any>('/api/data/supplier', values);

describe('surrounding whitespace of a unique text value', () => {
  it('is cut on create and update: a second spelling of a key is the same key', async () => {
    const first = await create({ code: 'ACME', note: 'kept ' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // A text that is no key keeps what was typed.
    expect(first.body.note).toBe('kept ');
    for (const code of ['ACME ', ' ACME', 'ACME\t', 'ACME\u3000']) {
      const again = await create({ code });
      expect(again.status, JSON.stringify(code)).toBe(409);
      expect(again.body.error.code).toBe('UNIQUE_VIOLATION');
      expect(again.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/code']);
    }
    const other = await create({ code: ' Beta ' });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    expect(other.body.code).toBe('Beta');
    const renamed = await server.patch<any>(`/api/data/supplier/${other.body.id}`, { code: 'ACME  ' });
    expect(renamed.status).toBe(409);
    expect(renamed.body.error.code).toBe('UNIQUE_VIOLATION');
  });

  it('inside the value, case and inner spaces are kept: those are other keys', async () => {
    const lower = await create({ code: 'acme' });
    expect(lower.status, JSON.stringify(lower.body)).toBe(201);
    const inner = await create({ code: 'AC ME' });
    expect(inner.status, JSON.stringify(inner.body)).toBe(201);
    expect(inner.body.code).toBe('AC ME');
  });

  it('a field of a unique index alike', async () => {
    const first = await create({ code: 'S1', region: 'North', sku: 'X-1' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await create({ code: 'S2', region: 'North ', sku: ' X-1' });
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    expect(again.body.error.code).toBe('UNIQUE_VIOLATION');
  });

  it('a key of nothing but spaces is an empty key: refused where the field is required', async () => {
    const blank = await create({ code: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/code']);
  });
});
