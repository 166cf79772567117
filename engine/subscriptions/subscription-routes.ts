// Administrators' view of subscriptions: their delivery state, the delivery log, the recorded
// events, replay (one event or a time range) and resume after an automatic pause.

import { Router } from 'express';
import { CrmError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { contextFor, type ContextDeps } from '../http/http-context.ts';
import { checkQueryParameters, isoInstantPattern, parsePositiveInteger } from '../http/http-helpers.ts';
import { listDeliveries } from '../webhooks/deliveries.ts';
import { subscriptionsOf } from './compile-subscriptions.ts';
import { asEntry, loadState, outboxCollection, pendingRows, replaceRow, rowsBetween, saveState, type OutboxRow } from './outbox.ts';
import { ensurePump } from './record-outbox.ts';
import type { SubscriptionDeps } from './subscription-deps.ts';

const maxReplay = 10_000;

export function subscriptionRoutes(deps: SubscriptionDeps, contextDeps: () => ContextDeps): Router {
  const router = Router();
  const adminContext = async (req: Parameters<typeof contextFor>[0], res: Parameters<typeof contextFor>[1]) => {
    const ctx = await contextFor(req, res, contextDeps());
    ctx.policy.assertAdmin(ctx.principal);
    const raw = (req.params as Record<string, unknown>)['name'];
    const name = typeof raw === 'string' ? raw : undefined;
    if (name !== undefined && !subscriptionsOf(ctx.model).has(name)) throw new CrmError('NOT_FOUND', { en: `No subscription ${name}`, zh: `没有订阅 ${name}` });
    return { ctx, name: name ?? '' };
  };

  router.get('/', async (req, res) => {
    const { ctx } = await adminContext(req, res);
    checkQueryParameters(req, []);
    const items = [];
    for (const subscription of subscriptionsOf(ctx.model).values()) {
      const state = await loadState(deps.store, subscription.name);
      items.push({ name: subscription.name, entity: subscription.definition.entity, active: subscription.definition.active !== false, paused: state.paused, ...(state.pausedAt ? { pausedAt: state.pausedAt } : {}), failedRounds: state.failedRounds, pending: (await pendingRows(deps.store, subscription.name, 1000)).length });
    }
    res.json({ items });
  });

  router.get('/:name/deliveries', async (req, res) => {
    const { name } = await adminContext(req, res);
    const q = checkQueryParameters(req, ['limit']);
    res.json({ items: await listDeliveries(deps.store, { subscription: name, limit: parsePositiveInteger(q['limit'], 'limit', 1000) ?? 100 }) });
  });

  router.get('/:name/events', async (req, res) => {
    const { name } = await adminContext(req, res);
    const q = checkQueryParameters(req, ['limit', 'from', 'to']);
    for (const key of ['from', 'to']) if (q[key] !== undefined && !isoInstantPattern.test(q[key]!)) throw new CrmError('INVALID_QUERY', undefined, [{ path: `/query/${key}`, message: 'must be an ISO instant in UTC (2026-03-01T09:00:00Z)' }]);
    const rows = await rowsBetween(deps.store, { subscription: name, ...(q['from'] ? { from: q['from'] } : {}), ...(q['to'] ? { to: q['to'] } : {}), limit: parsePositiveInteger(q['limit'], 'limit', 1000) ?? 100 });
    res.json({ items: rows.map(({ body: _body, version: _version, ...row }) => row) });
  });

  router.post('/:name/replay', async (req, res) => {
    const { name } = await adminContext(req, res);
    checkQueryParameters(req, []);
    const body = (req.body ?? {}) as { event?: unknown; from?: unknown; to?: unknown };
    const unknownKeys = Object.keys(body).filter((key) => !['event', 'from', 'to'].includes(key));
    const issues = unknownKeys.map((key) => ({ path: `/${key}`, message: 'is not a known property here' }));
    if (body.event !== undefined && typeof body.event !== 'string') issues.push({ path: '/event', message: 'must be an event id' });
    for (const key of ['from', 'to'] as const) if (body[key] !== undefined && (typeof body[key] !== 'string' || !isoInstantPattern.test(body[key]))) issues.push({ path: `/${key}`, message: 'must be an ISO instant in UTC' });
    if (body.event === undefined && (body.from === undefined || body.to === undefined)) issues.push({ path: '', message: 'give an event id, or from and to' });
    if (issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, issues);
    let originals;
    if (typeof body.event === 'string') {
      const row = await deps.store.get(outboxCollection.name, body.event);
      if (!row || asEntry(row).subscription !== name) throw new CrmError('NOT_FOUND', { en: `No event ${body.event} of ${name}`, zh: `订阅 ${name} 没有事件 ${body.event}` }, [{ path: '/event', message: 'no such event' }]);
      originals = [asEntry(row)];
    } else {
      originals = await rowsBetween(deps.store, { subscription: name, from: body.from as string, to: body.to as string, limit: maxReplay + 1 });
      if (originals.length > maxReplay) throw new CrmError('BAD_REQUEST', { en: `At most ${maxReplay} events per replay`, zh: `每次最多重放 ${maxReplay} 个事件` }, [{ path: '/from', message: 'the range holds too many events' }]);
    }
    const jobs: string[] = [];
    const ids: string[] = [];
    await deps.store.transaction(async (tx) => {
      const at = deps.clock.now().toISOString();
      for (const original of originals.filter((o) => o.replayOf === undefined || typeof body.event === 'string')) {
        const seq = await tx.nextSequence(`subscription.${name}`);
        const copy: OutboxRow = {
          subscription: name, event: original.event, entity: original.entity, recordId: original.recordId, seq, at, body: original.body,
          state: 'pending', attempts: 0, nextAttemptAt: at, replayOf: original.replayOf ?? original.id,
        };
        const id = newId();
        await tx.insert(outboxCollection.name, { id, version: 1, revision: 0, data: copy as unknown as Record<string, unknown> });
        ids.push(id);
      }
      const job = ids.length > 0 ? await ensurePump(deps, tx, name) : undefined;
      if (job) jobs.push(job);
    });
    deps.scheduler.runSoon(jobs);
    res.status(202).json({ replayed: ids.length, events: ids });
  });

  router.post('/:name/resume', async (req, res) => {
    const { name } = await adminContext(req, res);
    checkQueryParameters(req, []);
    const jobs: string[] = [];
    await deps.store.transaction(async (tx) => {
      const state = await loadState(tx, name);
      await saveState(tx, name, { ...state, paused: false, failedRounds: 0, pumpScheduled: false });
      // Rows waiting out a long backoff go now.
      const now = deps.clock.now().toISOString();
      for (const row of await pendingRows(tx, name, 100_000)) if (row.nextAttemptAt > now) await replaceRow(tx, row, { nextAttemptAt: now });
      const job = await ensurePump(deps, tx, name);
      if (job) jobs.push(job);
    });
    deps.scheduler.runSoon(jobs);
    res.json({ name, paused: false });
  });

  return router;
}
