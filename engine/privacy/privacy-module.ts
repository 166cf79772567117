// The privacy module: subject export and erasure over HTTP. Retention (run-retention.ts) has no
// route: the workflow scheduler calls runRetention(services, now).

import type { EngineModule } from '../server/engine-module.ts';
import { privacyRoutes } from './privacy-routes.ts';

export const privacyModule: EngineModule = {
  name: 'privacy',
  start(services) {
    const deps = { runtime: services.runtime, clock: services.clock, policy: services.policy, authenticate: services.authenticate, store: services.store };
    return { routes: [{ path: '/api/privacy', router: privacyRoutes(deps) }] };
  },
};
