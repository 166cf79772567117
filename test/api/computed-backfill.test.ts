// Regression: a rollup or formula added to an entity that already has records (or a formula whose
// expression changes) filled in nothing until each record was written again — lists showed no
// value and filters on it found nothing. The revision that adds them now computes them for every
// stored record, in the same transaction, leaving versions (ETags) alone.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const account = (fields: Record<string, unknown> = {}) => ({ kind: 'entity', name: 'account', label: 'Account', fields: { name: { type: 'text', required: true }, ...fields } });
const order = { kind: 'entity', name: 'order', label: 'Order', fields: { account: { type: 'lookup', to: 'account' }, amount: { type: 'currency' } } };

beforeAll(async () => {
  server = await startTestServer();
  expect((await server.post('/api/meta/apply', [account(), order])).status).toBe(200);
});
afterAll(async () => server.close());

describe('computed fields added to existing records', () => {
  it('fills a new rollup and formula for stored records, and refilters on them', async () => {
    const b = (await server.post('/api/data/account', { name: 'B' })).body;
    for (const amount of [10, 20]) expect((await server.post('/api/data/order', { account: b.id, amount })).status).toBe(201);
    const changed = await server.put('/api/meta/entities/account', account({
      total: { type: 'rollup', from: 'order', via: 'account', op: 'sum', field: 'amount' },
      label2: { type: 'formula', returns: 'text', expression: "name & ' (' & $string(total) & ')'" },
    }));
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const after = (await server.get(`/api/data/account/${b.id}`)).body;
    expect(after).toMatchObject({ total: 30, label2: 'B (30)', version: b.version });
    const found = await server.get(`/api/data/account?filter=${encodeURIComponent(JSON.stringify({ total: 30 }))}&total=1`);
    expect(found.body.total).toBe(1);
  });

  it('recomputes a formula whose expression changes', async () => {
    const current = (await server.get('/api/meta/entities/account')).body;
    current.fields.label2.expression = "$uppercase(name) & ':' & $string(total)";
    expect((await server.put('/api/meta/entities/account', current)).status).toBe(200);
    const list = (await server.get('/api/data/account?fields=label2')).body.items;
    expect(list.map((r: { label2: string }) => r.label2)).toEqual(['B:30']);
  });
});

describe('a computed field that fails on a stored record', () => {
  const reading = (fields: Record<string, unknown> = {}) => ({ kind: 'entity', name: 'reading', label: 'Reading', fields: { raw: { type: 'text' }, ...fields } });
  const parsed = { value: { type: 'formula', returns: 'number', expression: '$number(raw) * 2' } };
  let bad: string;

  beforeAll(async () => {
    expect((await server.put('/api/meta/entities/reading', reading())).status).toBe(201);
    for (const raw of ['1', 'n/a', '3']) {
      const created = await server.post('/api/data/reading', { raw });
      if (raw === 'n/a') bad = created.body.id;
    }
  });

  it('refuses the revision whole, naming the document, the field and the record, in en and zh', async () => {
    const other = { kind: 'entity', name: 'meter', label: 'Meter', fields: { name: { type: 'text' } } };
    const refused = await server.post('/api/meta/apply', [reading(parsed), other]);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: '/entity/reading/fields/value/expression', code: 'D3030', message: expect.stringContaining(`stored record ${bad}: `) })]);
    const zh = await server.put('/api/meta/entities/reading', reading(parsed), { 'accept-language': 'zh' });
    expect(zh.status).toBe(400);
    expect(zh.body.error.details).toEqual([expect.objectContaining({ path: '/entity/reading/fields/value/expression', message: expect.stringMatching(new RegExp(`^已存储的记录 ${bad}：无法把值转换为数字`)) })]);
    expect((await server.get('/api/meta/entities/meter')).status).toBe(404);
    expect((await server.get('/api/meta/entities/reading')).body.fields).not.toHaveProperty('value');
  });

  it('is located in its document by the dry run, and the record\'s impact says where and why', async () => {
    const dry = await server.post('/api/meta/validate', { documents: [reading(parsed)] });
    expect(dry.body.valid).toBe(false);
    expect(dry.body.issues).toEqual([expect.objectContaining({ kind: 'entity', name: 'reading', path: '/fields/value/expression', code: 'D3030' })]);
    expect(dry.body.impact[0].examples).toEqual([{ id: bad, issues: [expect.objectContaining({ path: '/fields/value/expression', code: 'D3030', message: expect.stringContaining('n/a') })] }]);
  });
});
