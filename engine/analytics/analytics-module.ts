// Plugs analytics into the server: aggregation and dashboard routes. Environment: CRM_TIME_ZONE
// (IANA name; default UTC), the zone of date buckets and dashboard date ranges.

import { CrmError } from '../kernel/errors.ts';
import { isTimeZone } from '../kernel/time-zones.ts';
import type { EngineModule } from '../capability/engine-module.ts';
import { analyticsApi } from './analytics-openapi.ts';
import { analyticsRoutes } from './analytics-routes.ts';
import { ensureScheduledJobs, reportJobHandler, segmentJobHandler } from './scheduled-jobs.ts';
import { mailServiceFor } from '../mail/mail-service.ts';
import { segmentMembersCollection, segmentRunsCollection } from '../records/segments.ts';
import { findWorkflowRuntime } from '../workflow/workflow-module.ts';

export const analyticsModule: EngineModule = {
  name: 'analytics',
  collections: [segmentMembersCollection, segmentRunsCollection],
  start(services) {
    const timeZone = services.settings.timeZone;
    if (!isTimeZone(timeZone)) throw new CrmError('INTERNAL', `CRM_TIME_ZONE "${timeZone}" is not an IANA time zone`);
    const context = () => ({ runtime: services.runtime, clock: services.clock, policy: services.policy, authenticate: services.authenticate });
    // Segments and reports on a schedule run as jobs of the workflow module's scheduler, when it runs.
    const scheduler = findWorkflowRuntime(services)?.scheduler;
    if (scheduler) {
      const deps = { store: services.store, runtime: services.runtime, clock: services.clock, scheduler, timeZone, policy: () => services.policy, mail: () => mailServiceFor(services) };
      scheduler.register('segment', segmentJobHandler(deps));
      scheduler.register('report', reportJobHandler(deps));
      scheduler.onBeforeRun(() => ensureScheduledJobs(deps));
    }
    return { routes: [{ path: '/api', router: analyticsRoutes({ store: services.store, timeZone, context }) }], openapi: analyticsApi };
  },
};
