// Plugs event subscriptions into the server: the outbox collections, the in-transaction listener
// that records events with the change (maintenance writers' too: merges, cleansing, their undos),
// the delivery job on the workflow module's scheduler (so retries follow the same clock, leases and
// backoff), a sweep that queues a job wherever events wait without one, and the admin routes.

import { mailServiceFor } from '../mail/mail-service.ts';
import type { EngineModule } from '../capability/engine-module.ts';
import { deliveriesCollection } from '../webhooks/deliveries.ts';
import { findWorkflowRuntime } from '../workflow/workflow-module.ts';
import { subscriptionsOf } from './compile-subscriptions.ts';
import { pumpJobHandler } from './deliver-outbox.ts';
import { loadState, outboxCollection, pendingRows, subscriptionStateCollection } from './outbox.ts';
import { ensurePump, outboxListener } from './record-outbox.ts';
import { pumpJobKind, type SubscriptionDeps } from './subscription-deps.ts';
import { subscriptionApi } from './subscription-openapi.ts';
import { subscriptionRoutes } from './subscription-routes.ts';

export const subscriptionsModule: EngineModule = {
  name: 'subscriptions',
  collections: [outboxCollection, subscriptionStateCollection, deliveriesCollection],
  start(services) {
    const runtime = findWorkflowRuntime(services);
    if (!runtime) throw new Error('the subscriptions module needs the workflow module (its scheduler) started before it');
    const deps: SubscriptionDeps = { store: services.store, runtime: services.runtime, clock: services.clock, scheduler: runtime.scheduler, env: services.env, policy: () => services.policy, mail: mailServiceFor(services) };
    runtime.scheduler.register(pumpJobKind, pumpJobHandler(deps));
    runtime.scheduler.onBeforeRun(async () => {
      for (const subscription of subscriptionsOf(services.runtime.model).values()) {
        const state = await loadState(services.store, subscription.name);
        if (state.pumpScheduled || state.paused || (await pendingRows(services.store, subscription.name, 1)).length === 0) continue;
        await services.store.transaction((tx) => ensurePump(deps, tx, subscription.name));
      }
    });
    const unsubscribe = services.records.events.subscribeInTransaction(outboxListener(deps), { maintenance: true });
    const contextDeps = () => ({ runtime: services.runtime, clock: services.clock, policy: services.policy, authenticate: services.authenticate });
    return { routes: [{ path: '/api/subscriptions', router: subscriptionRoutes(deps, contextDeps) }], openapi: subscriptionApi, stop: unsubscribe };
  },
};
