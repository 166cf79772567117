// Example: keep the CRM's sales orders in step with an ERP. Pulls the ERP's orders, upserts each
// into the CRM by its number through the typed SDK (Idempotency-Key on creates, If-Match on
// updates), pages through what the CRM holds with the cursor helper, and reports the CRM ids back.
// Needs entities salesOrder { number (unique), customer, total } on the instance.

import { createCrmClient, CrmApiError } from '../src/index.ts';

export interface SyncSummary {
  created: number;
  updated: number;
  unchanged: number;
  inCrm: number;
}

interface ErpOrder { number: string; customer: string; lines: { qty: number; price: number }[] }

export async function syncOrders(args: { crmUrl: string; token: string; erpUrl: string }): Promise<SyncSummary> {
  const crm = createCrmClient({ baseUrl: args.crmUrl, token: args.token });
  const orders = crm.records('salesOrder');
  const erpOrders = (await (await fetch(`${args.erpUrl}/orders`)).json()) as ErpOrder[];
  const summary: SyncSummary = { created: 0, updated: 0, unchanged: 0, inCrm: 0 };
  for (const erp of erpOrders) {
    const total = Math.round(erp.lines.reduce((sum, l) => sum + l.qty * l.price, 0) * 100) / 100;
    const found = await orders.list({ filter: { number: erp.number }, limit: 1 });
    const current = found.items[0];
    if (!current) {
      await orders.create({ number: erp.number, customer: erp.customer, total }, { idempotencyKey: `erp-sync-${erp.number}` });
      summary.created++;
    } else if (current.customer !== erp.customer || current.total !== total) {
      const { etag } = await orders.get(current.id);
      try {
        await orders.update(current.id, { customer: erp.customer, total }, { ifMatch: etag });
        summary.updated++;
      } catch (error) {
        // Someone changed it meanwhile: the next run picks it up again.
        if (!(error instanceof CrmApiError && error.code === 'STALE_VERSION')) throw error;
      }
    } else summary.unchanged++;
  }
  const ids: { number: string; id: string }[] = [];
  for await (const order of orders.all({ filter: { number: { $regex: '^SO-' } }, sort: 'number', limit: 20, fields: ['id', 'number'] })) ids.push({ number: order.number, id: order.id });
  summary.inCrm = ids.length;
  await fetch(`${args.erpUrl}/crm-ids`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ids) });
  return summary;
}
