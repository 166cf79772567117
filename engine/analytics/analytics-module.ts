// Plugs analytics into the server: aggregation and dashboard routes. Environment: CRM_TIME_ZONE
// (IANA name; default UTC), the zone of date buckets and dashboard date ranges.

import { CrmError } from '../kernel/errors.ts';
import { isTimeZone } from '../kernel/time-zones.ts';
import type { EngineModule } from '../server/engine-module.ts';
import { analyticsApi } from './analytics-openapi.ts';
import { analyticsRoutes } from './analytics-routes.ts';

export const analyticsModule: EngineModule = {
  name: 'analytics',
  start(services) {
    const timeZone = services.env['CRM_TIME_ZONE'] || 'UTC';
    if (!isTimeZone(timeZone)) throw new CrmError('INTERNAL', `CRM_TIME_ZONE "${timeZone}" is not an IANA time zone`);
    const context = () => ({ runtime: services.runtime, clock: services.clock, policy: services.policy, authenticate: services.authenticate });
    return { routes: [{ path: '/api', router: analyticsRoutes({ store: services.store, timeZone, context }) }], openapi: analyticsApi };
  },
};
