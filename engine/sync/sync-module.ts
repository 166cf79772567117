// Plugs record sync support into the server: the tombstones' collection, the in-transaction listener
// that writes one per deleted record (maintenance writers' deletions too: a merge's), and GET /api/sync/{entity}/deleted.

import type { EngineModule } from '../capability/engine-module.ts';
import { deletedRecordsCollection, tombstoneListener } from './deleted-records.ts';
import { syncApi } from './sync-openapi.ts';
import { syncRoutes } from './sync-routes.ts';

export const syncModule: EngineModule = {
  name: 'sync',
  collections: [deletedRecordsCollection],
  start(services) {
    const unsubscribe = services.records.events.subscribeInTransaction(tombstoneListener(services.clock), { maintenance: true });
    const contextDeps = () => ({ runtime: services.runtime, clock: services.clock, policy: services.policy, authenticate: services.authenticate });
    return { routes: [{ path: '/api/sync', router: syncRoutes({ store: services.store, clock: services.clock }, contextDeps) }], openapi: syncApi, stop: unsubscribe };
  },
};
