// Inbound endpoints over real HTTP: a mock ERP pushes 1,000 sales orders with their lines; each
// order lands with its lines in one transaction; the same batch twice changes nothing; a malformed
// item is answered with its JSON pointer while the others land; only the role's API token may post.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../support/test-server.ts';
import { erpOrders, pushOrders, type ErpOrder } from './support/mock-erp.ts';

let t: TestServer;
let erpUser: TestUser;
let token: string;

export const inboundMetadata = [
  { kind: 'entity', name: 'salesOrder', label: 'Sales order', fields: { number: { type: 'text', required: true, unique: true }, customer: { type: 'text' }, total: { type: 'number' } } },
  { kind: 'entity', name: 'orderLine', label: 'Order line', fields: { ref: { type: 'text', required: true, unique: true }, order: { type: 'lookup', to: 'salesOrder', required: true }, sku: { type: 'text' }, qty: { type: 'integer', min: 1 }, price: { type: 'number' } } },
  { kind: 'role', name: 'erp', label: 'ERP', permissions: { salesOrder: { create: true, read: 'all', update: 'all' }, orderLine: { create: true, read: 'all', update: 'all' } } },
  {
    kind: 'inbound', name: 'erpOrders', label: 'ERP orders', role: 'erp', items: 'orders', key: "number & '@' & $string(revision)",
    targets: {
      order: { entity: 'salesOrder', match: 'number', map: '{ "number": number, "customer": customer, "total": $round($sum(lines.(qty * price)), 2) }' },
      lines: { entity: 'orderLine', match: 'ref', parent: 'order', parentField: 'order', map: '( $n := number; lines.{ "ref": $n & "-" & $string(line), "sku": sku, "qty": qty, "price": price } )' },
    },
  },
];

const url = () => `${t.url}/api/inbound/erpOrders`;
const total = async (entity: string, filter?: unknown) => (await t.get(`/api/data/${entity}?total=1&limit=1${filter ? `&filter=${encodeURIComponent(JSON.stringify(filter))}` : ''}`)).body.total as number;

beforeAll(async () => {
  t = await startTestServer();
  const applied = await t.post('/api/meta/apply', inboundMetadata);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  erpUser = await t.createUser({ roles: ['erp'] });
  token = (await erpUser.client.post('/api/auth/tokens', { name: 'erp push', role: 'erp' })).body.token;
});

afterAll(async () => {
  await t?.close();
});

describe('inbound endpoint', () => {
  const orders = erpOrders(1000);
  const lineCount = orders.reduce((sum, o) => sum + o.lines.length, 0);

  it('upserts 1,000 orders with their lines from a mock ERP', async () => {
    const answers = await pushOrders({ url: url(), token, orders });
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body).slice(0, 500)).toBe(200);
    expect(answers.reduce((sum, a) => sum + a.body.applied, 0)).toBe(1000);
    expect(answers.every((a) => a.body.failed === 0)).toBe(true);
    expect(await total('salesOrder')).toBe(1000);
    expect(await total('orderLine')).toBe(lineCount);
    const sample = orders[417]!;
    const stored = (await t.get(`/api/data/salesOrder?filter=${encodeURIComponent(JSON.stringify({ number: sample.number }))}`)).body.items[0];
    expect(stored).toMatchObject({ customer: sample.customer, total: Math.round(sample.lines.reduce((s, l) => s + l.qty * l.price, 0) * 100) / 100 });
    const lines = (await t.get(`/api/data/orderLine?sort=ref&filter=${encodeURIComponent(JSON.stringify({ order: stored.id }))}`)).body.items;
    expect(lines.map((l: { ref: string; qty: number }) => [l.ref, l.qty])).toEqual(sample.lines.map((l) => [`${sample.number}-${l.line}`, l.qty]));
  });

  it('the same batch twice changes nothing', async () => {
    const sample = orders[3]!;
    const before = (await t.get(`/api/data/salesOrder?filter=${encodeURIComponent(JSON.stringify({ number: sample.number }))}`)).body.items[0];
    const answers = await pushOrders({ url: url(), token, orders: orders.slice(0, 500) });
    expect(answers.reduce((sum, a) => sum + a.body.unchanged, 0)).toBe(500);
    expect(answers.every((a) => a.body.applied === 0 && a.body.failed === 0)).toBe(true);
    const after = (await t.get(`/api/data/salesOrder/${before.id}`)).body;
    expect(after.version).toBe(before.version);
    expect((await t.get(`/api/data/salesOrder/${before.id}/history`)).body.items).toHaveLength(1);
    expect(await total('salesOrder')).toBe(1000);
    expect(await total('orderLine')).toBe(lineCount);
  });

  it('a malformed item is answered with its pointer while the others land, and lands not even in part', async () => {
    const fresh = erpOrders(3, 99).map((o, i) => ({ ...o, number: `SO-X${i}` }));
    const broken: ErpOrder = { ...fresh[1]!, lines: [{ line: 1, sku: 'ok', qty: 2, price: 1 }, { line: 2, sku: 'bad', qty: 0, price: 1 }] };
    const [answer] = await pushOrders({ url: url(), token, orders: [fresh[0]!, broken, fresh[2]!] });
    expect(answer!.status).toBe(200);
    expect(answer!.body).toMatchObject({ received: 3, applied: 2, failed: 1 });
    const failed = answer!.body.items[1];
    expect(failed).toMatchObject({ index: 1, pointer: '/orders/1', key: 'SO-X1@1', status: 'failed', error: { code: 'INVALID_RECORD' } });
    expect(failed.error.details.map((d: { path: string }) => d.path)).toEqual(['/targets/lines/1/qty']);
    expect(await total('salesOrder', { number: 'SO-X1' })).toBe(0); // its order did not land without its lines
    expect(await total('orderLine', { ref: 'SO-X1-1' })).toBe(0);
    expect(await total('salesOrder', { number: { $in: ['SO-X0', 'SO-X2'] } })).toBe(2);
    // Fixed and sent again, it lands.
    const [again] = await pushOrders({ url: url(), token, orders: [{ ...broken, lines: [{ line: 1, sku: 'ok', qty: 2, price: 1 }] }] });
    expect(again!.body.applied).toBe(1);
  });

  it('a new revision of an order updates it and its lines', async () => {
    const order = { ...orders[10]!, revision: 2, lines: orders[10]!.lines.map((l) => ({ ...l, qty: l.qty + 1 })) };
    const [answer] = await pushOrders({ url: url(), token, orders: [order] });
    expect(answer!.body.items[0].records.order[0].action).toBe('updated');
    expect(answer!.body.items[0].records.lines.every((l: { action: string }) => l.action === 'updated')).toBe(true);
  });

  it('a payload with nothing where the items are read is refused at that pointer; an empty list is an empty batch', async () => {
    const post = (body: unknown, locale = 'en') => fetch(url(), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': locale }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const renamed = await post({ salesOrders: orders.slice(0, 2) });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.code).toBe('BAD_REQUEST');
    expect(renamed.body.error.details).toEqual([{ path: '/orders', message: 'no items found by orders' }]);
    const zh = await post({ salesOrders: [] }, 'zh-CN');
    expect(zh.body.error.details[0].message).toBe('按 orders 没有找到项');
    expect(zh.body.error.message).toContain('没有任何项');
    const empty = await post({ orders: [] });
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ received: 0, applied: 0, failed: 0 });
  });

  it('only an API token of the endpoint role may post', async () => {
    const session = await erpUser.client.post('/api/inbound/erpOrders', { orders: [] });
    expect(session.status).toBe(403);
    const admin = await t.post('/api/inbound/erpOrders', { orders: [] });
    expect(admin.status).toBe(403);
    expect((await t.anonymous.post('/api/inbound/erpOrders', { orders: [] })).status).toBe(401);
    expect((await t.tokenClient(token).post('/api/inbound/nothing', { orders: [] })).status).toBe(404);
  });
});
