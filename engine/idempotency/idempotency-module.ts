// Plugs idempotent writes into the server: the kept keys' collection, the middleware in front of
// every /api route of the modules after it and of the core, and the record-event listener that
// notes, inside each write's transaction, what the request under a key wrote.

import { Router } from 'express';
import { enteredOnlyBy } from '../http/skip-router.ts';
import type { EngineModule } from '../capability/engine-module.ts';
import { findActiveClaim, idempotencyMiddleware } from './idempotency-middleware.ts';
import { idempotencyCollection } from './idempotency-records.ts';

export const idempotencyModule: EngineModule = {
  name: 'idempotency',
  collections: [idempotencyCollection],
  start(services) {
    // Only a POST carrying the header can be acted on: every other request passes the router by.
    const router = enteredOnlyBy(Router(), (req) => req.method === 'POST' && req.headers['idempotency-key'] !== undefined);
    router.use(idempotencyMiddleware({
      store: services.store,
      clock: services.clock,
      records: services.records,
      context: () => ({ runtime: services.runtime, clock: services.clock, policy: services.policy, authenticate: services.authenticate }),
    }));
    const unsubscribe = services.records.events.subscribeInTransaction((_tx, event) => {
      findActiveClaim()?.outcomes.push({ type: event.type, entity: event.entity, id: event.id });
    });
    return { routes: [{ path: '/api', router }], stop: unsubscribe };
  },
};
