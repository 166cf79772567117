// Plugs inbound endpoints into the server: the applied-keys collection and the route.

import type { EngineModule } from '../capability/engine-module.ts';
import { inboundKeysCollection } from './apply-inbound-item.ts';
import { inboundApi } from './inbound-openapi.ts';
import { inboundRoutes } from './inbound-routes.ts';

export const inboundModule: EngineModule = {
  name: 'inbound',
  collections: [inboundKeysCollection],
  start(services) {
    const contextDeps = () => ({ runtime: services.runtime, clock: services.clock, policy: services.policy, authenticate: services.authenticate });
    return { routes: [{ path: '/api/inbound', router: inboundRoutes({ store: services.store, events: services.records.events }, contextDeps) }], openapi: inboundApi };
  },
};
