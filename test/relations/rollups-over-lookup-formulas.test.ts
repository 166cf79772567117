// A rollup over a formula that reads through a lookup: an order's total sums its lines'
// `quantity * product.price`. A change of the product recomputes the lines (formulas through
// lookups), and the orders' totals over those lines must follow in the same transaction — they
// stayed at the old sum before. And formulas and rollups that read each other round a circle
// across records (a rollup over a formula reading the rollup back) are refused on save, in en and zh.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [
    { kind: 'entity', name: 'product', label: 'Product', fields: { name: { type: 'text' }, price: { type: 'number' } } },
    {
      kind: 'entity', name: 'salesOrder', label: 'Order',
      fields: {
        name: { type: 'text' }, limit: { type: 'number' },
        total: { type: 'rollup', from: 'orderLine', via: 'salesOrder', op: 'sum', field: 'lineTotal' },
        // A formula over the rollup, and a rule over it: derived values follow, the rule does not refuse a product's change.
        overLimit: { type: 'formula', returns: 'boolean', expression: 'total > limit' },
      },
      rules: { creditLimit: { when: 'total > limit', message: { en: 'Over the credit limit', zh: '超出信用额度' } } },
    },
    {
      kind: 'entity', name: 'orderLine', label: 'Line',
      fields: {
        salesOrder: { type: 'lookup', to: 'salesOrder' }, product: { type: 'lookup', to: 'product' }, quantity: { type: 'integer' },
        lineTotal: { type: 'formula', returns: 'number', expression: 'quantity * product.price' },
      },
    },
  ]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  ids.tea = (await server.post('/api/data/product', { name: 'Tea', price: 2 })).body.id;
  ids.cup = (await server.post('/api/data/product', { name: 'Cup', price: 5 })).body.id;
  ids.order = (await server.post('/api/data/salesOrder', { name: 'o1', limit: 1000 })).body.id;
  for (const [product, quantity] of [[ids.tea, 10], [ids.cup, 3]] as const) {
    const line = await server.post('/api/data/orderLine', { salesOrder: ids.order, product, quantity });
    expect(line.status, JSON.stringify(line.body)).toBe(201);
  }
});
afterAll(async () => server.close());

const order = async () => (await server.get(`/api/data/salesOrder/${ids.order}`)).body;

describe('a rollup over a formula read through a lookup', () => {
  it('follows a change of the record the formula reads, keeping the parent\'s version', async () => {
    const before = await order();
    expect(before).toMatchObject({ total: 35, overLimit: false });
    expect((await server.patch(`/api/data/product/${ids.tea}`, { price: 3 })).status).toBe(200);
    const lines = (await server.get(`/api/data/orderLine?filter=${encodeURIComponent(JSON.stringify({ salesOrder: ids.order }))}`)).body.items;
    expect(lines.map((line: { lineTotal: number }) => line.lineTotal).sort()).toEqual([15, 30]);
    expect(await order()).toMatchObject({ total: 45, overLimit: false, version: before.version });
  });

  it('moves past the parent\'s rule without refusing the product\'s change, as formulas through lookups do', async () => {
    const changed = await server.patch(`/api/data/product/${ids.cup}`, { price: 400 });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(await order()).toMatchObject({ total: 1230, overLimit: true });
  });
});

describe('formulas and rollups reading each other round a circle across records', () => {
  const circle = [
    { kind: 'entity', name: 'pool', label: 'Pool', fields: { name: { type: 'text' }, shares: { type: 'rollup', from: 'member', via: 'pool', op: 'sum', field: 'share' } } },
    { kind: 'entity', name: 'member', label: 'Member', fields: { pool: { type: 'lookup', to: 'pool' }, share: { type: 'formula', returns: 'number', expression: 'pool.shares / 10 + 1' } } },
  ];

  it('are refused on save at each field of the circle, naming it, in English and Chinese', async () => {
    const refused = await server.post('/api/meta/apply', circle);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: '/entity/pool/fields/shares/field', code: 'META_COMPUTED_CYCLE', message: expect.stringContaining('pool.shares → member.share → pool.shares') }),
      expect.objectContaining({ path: '/entity/member/fields/share/expression', code: 'META_COMPUTED_CYCLE' }),
    ]));
    const zh = await server.post('/api/meta/apply', circle, { 'accept-language': 'zh' });
    expect(zh.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/entity/pool/fields/shares/field', message: expect.stringContaining('循环') })]));
    expect((await server.get('/api/meta/entities/pool')).status).toBe(404);
  });

  it('are refused when the second half of the circle comes later', async () => {
    const first = await server.post('/api/meta/apply', [circle[0], { ...circle[1], fields: { ...circle[1]!.fields, share: { type: 'number' } } }]);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const closing = await server.put('/api/meta/entities/member', circle[1]);
    expect(closing.status).toBe(400);
    expect(closing.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/entity/member/fields/share/expression', code: 'META_COMPUTED_CYCLE' })]));
  });
});

describe('a rollup summing a formula', () => {
  const pair = (op: string, returns: string) => [
    { kind: 'entity', name: 'project', label: 'Project', fields: { name: { type: 'text' }, agg: { type: 'rollup', from: 'milestone', via: 'project', op, field: 'due' } } },
    { kind: 'entity', name: 'milestone', label: 'Milestone', fields: { project: { type: 'lookup', to: 'project' }, day: { type: 'date' }, due: { type: 'formula', returns, expression: { date: 'day', datetime: '$now()', number: '1' }[returns]! } } },
  ];

  it('is refused when the formula returns a date or datetime, as over a date field (it summed to 0 and averaged to nothing)', async () => {
    for (const [op, returns] of [['sum', 'date'], ['avg', 'datetime']]) {
      const refused = await server.post('/api/meta/validate', { documents: pair(op!, returns!) });
      expect(refused.body.issues, `${op} over ${returns}`).toEqual([expect.objectContaining({ name: 'project', path: '/fields/agg/field', message: `${op} needs a numeric field` })]);
    }
    const zh = await server.post('/api/meta/apply', pair('sum', 'date'), { 'accept-language': 'zh' });
    expect(zh.status).toBe(400);
    expect(zh.body.error.details).toEqual([expect.objectContaining({ path: '/entity/project/fields/agg/field', message: 'sum 需要数值字段' })]);
  });

  it('takes max of a date formula, and sum of a number formula', async () => {
    for (const [op, returns] of [['max', 'date'], ['sum', 'number']]) {
      const checked = await server.post('/api/meta/validate', { documents: pair(op!, returns!) });
      expect(checked.body, `${op} over ${returns}`).toMatchObject({ valid: true, issues: [] });
    }
  });
});
