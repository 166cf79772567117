// POST /api/inbound/{name}: a batch from another system. Only an API token of the endpoint's role
// may post; each item is applied on its own (applyInboundItem), and answered on its own — applied,
// unchanged (its key was applied already with the same content) or failed with its JSON pointer
// into the payload and the reason — while the other items land.

import { Router } from 'express';
import { evaluateExpression } from '../expressions/evaluate-expression.ts';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import { checkQueryParameters } from '../http/http-helpers.ts';
import { CrmError, defaultMessage } from '../kernel/errors.ts';
import { localize } from '../kernel/i18n.ts';
import type { RecordEvent, RecordEvents } from '../records/record-events.ts';
import type { Store } from '../store/store-port.ts';
import { applyInboundItem, type ItemOutcome } from './apply-inbound-item.ts';
import { inboundEndpointsOf } from './compile-inbound.ts';
import { log } from '../kernel/log.ts';
import { publicDetails } from '../kernel/detail-text.ts';

export const maxInboundItems = 10_000;

export function inboundRoutes(deps: { store: Store; events: RecordEvents }, contextDeps: () => ContextDeps): Router {
  const router = Router();
  router.post('/:name', async (req, res) => {
    const ctx = await contextFor(req, res, contextDeps());
    checkQueryParameters(req, []);
    const endpoint = inboundEndpointsOf(ctx.model).get(req.params.name);
    if (!endpoint) throw new CrmError('NOT_FOUND', { en: `No inbound endpoint ${req.params.name}`, zh: `没有接入端点 ${req.params.name}` });
    const role = endpoint.definition.role;
    if (ctx.principal.via?.kind !== 'token' || !ctx.principal.roles.includes(role)) {
      throw new CrmError('FORBIDDEN', { en: `Only an API token of role ${role} may post here`, zh: `只有角色 ${role} 的 API 令牌可以调用` });
    }
    const payload: unknown = req.body;
    const selected = endpoint.items ? await evaluateExpression(endpoint.items, payload, { clock: ctx.clock, origin: '/items' }) : payload;
    // Nothing where the endpoint reads its items (a payload of another shape, a renamed key): said so,
    // rather than answered 200 with nothing received. An empty list (or null) there is an empty batch.
    if (endpoint.items && selected === undefined) {
      const where = endpoint.definition.items!.trim();
      throw new CrmError('BAD_REQUEST', { en: `The payload has no items where this endpoint reads them (${where})`, zh: `请求体中在本端点读取的位置（${where}）没有任何项` }, [{ path: endpoint.itemsPointer ?? '', message: localize({ en: `no items found by ${where}`, zh: `按 ${where} 没有找到项` }, ctx.locale) }]);
    }
    const list: unknown[] = selected === undefined || selected === null ? [] : Array.isArray(selected) ? selected : [selected];
    if (list.length > maxInboundItems) throw new CrmError('BAD_REQUEST', { en: `At most ${maxInboundItems} items per batch`, zh: `每批最多 ${maxInboundItems} 项` }, [{ path: endpoint.itemsPointer ?? '', message: 'too many items' }]);
    const base = endpoint.itemsPointer === '' && !Array.isArray(selected) ? undefined : endpoint.itemsPointer;
    const results = [];
    const counts = { applied: 0, unchanged: 0, failed: 0 };
    for (const [index, item] of list.entries()) {
      // Where the item sits in the payload; relative to the items list when `items` is more than a path.
      const pointer = base === undefined ? (Array.isArray(selected) ? `/${index}` : '') : `${base}/${index}`;
      let key: unknown;
      try {
        key = await evaluateExpression(endpoint.key, item, { clock: ctx.clock, origin: '/key' });
        if ((typeof key !== 'string' || key === '') && typeof key !== 'number') {
          throw new CrmError('BAD_REQUEST', { en: 'The item has no idempotency key', zh: '该项缺少幂等键' }, [{ path: pointer, message: 'the key expression gave no string or number' }]);
        }
        const collected: RecordEvent[] = [];
        const outcome: ItemOutcome = await applyInboundItem({ store: deps.store, ctx, events: deps.events, endpoint: endpoint.definition.name, targets: endpoint.targets, item, key: String(key), collected });
        await deps.events.publish(collected);
        counts[outcome.status]++;
        results.push({ index, pointer, key: String(key), ...outcome });
      } catch (error) {
        counts.failed++;
        const known = error instanceof CrmError;
        if (!known) log.error(`[inbound] ${endpoint.definition.name} item ${index} failed:`, (error as Error).message);
        results.push({
          index, pointer, ...(typeof key === 'string' || typeof key === 'number' ? { key: String(key) } : {}), status: 'failed',
          error: known
            ? { code: error.code, message: error.localizedMessage(ctx.locale), details: publicDetails(error.details, ctx.locale) }
            : { code: 'INTERNAL', message: defaultMessage('INTERNAL', ctx.locale), details: [] },
        });
      }
    }
    res.json({ endpoint: endpoint.definition.name, received: list.length, ...counts, items: results });
  });
  return router;
}
