// A mock ERP for the inbound tests and the SDK example: it owns a seeded list of sales orders with
// lines and pushes them to the CRM's inbound endpoint in batches, as an ERP's outbound interface would.

import { seededRandom } from '../../support/seeded-random.ts';

export interface ErpLine { line: number; sku: string; qty: number; price: number }
export interface ErpOrder { number: string; revision: number; customer: string; lines: ErpLine[] }

export function erpOrders(count: number, seed = 15): ErpOrder[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, n) => ({
    number: `SO-${String(n + 1).padStart(6, '0')}`,
    revision: 1,
    customer: `C-${1 + Math.floor(random() * 200)}`,
    lines: Array.from({ length: 1 + Math.floor(random() * 3) }, (_, l) => ({ line: l + 1, sku: `SKU-${Math.floor(random() * 500)}`, qty: 1 + Math.floor(random() * 9), price: Math.round(random() * 10_000) / 100 })),
  }));
}

/** POSTs the orders in batches; returns each batch's answer. */
export async function pushOrders(args: { url: string; token: string; orders: ErpOrder[]; batchSize?: number }): Promise<{ status: number; body: any }[]> {
  const answers = [];
  const size = args.batchSize ?? 250;
  for (let start = 0; start < args.orders.length; start += size) {
    const response = await fetch(args.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${args.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'mock-erp', orders: args.orders.slice(start, start + size) }),
    });
    answers.push({ status: response.status, body: await response.json() });
  }
  return answers;
}

/** The metadata of sdk/examples: the sales-order entity the ERP's orders sync into, and the sync's role. */
export const salesOrderMetadata = [
  { kind: 'entity', name: 'salesOrder', label: 'Sales order', fields: { number: { type: 'text', required: true, unique: true }, customer: { type: 'text' }, total: { type: 'number' } } },
  { kind: 'role', name: 'erpSync', label: 'ERP sync', permissions: { salesOrder: { create: true, read: 'all', update: 'all' } } },
];
