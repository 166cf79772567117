// quality/: data quality beyond single writes — the duplicate scan, merging duplicates (and undoing
// a merge), cleansing jobs over stored records (and their undo), the data quality report. Plugs /api/quality and the merge log into the server.

import type { EngineModule } from '../server/engine-module.ts';
import { cleanseChangesCollection, cleanseJobsCollection } from './cleanse-records.ts';
import { mergeBatchesCollection, mergesCollection } from './merge-records.ts';
import { qualityApi } from './quality-openapi.ts';
import { qualityRoutes } from './quality-routes.ts';

export const qualityModule: EngineModule = {
  name: 'quality',
  collections: [mergesCollection, mergeBatchesCollection, cleanseJobsCollection, cleanseChangesCollection],
  start(engine) {
    const deps = () => ({ runtime: engine.runtime, clock: engine.clock, policy: engine.policy, authenticate: engine.authenticate });
    return { routes: [{ path: '/api/quality', router: qualityRoutes(engine.store, () => engine.records.events, deps) }], openapi: qualityApi };
  },
};
