// Plugs imports into the server: the job, report, change-log and mapping collections, /api/import,
// and jobs a killed process left running resumed once the server listens.

import path from 'node:path';
import type { EngineModule } from '../capability/engine-module.ts';
import { bundledRoots } from '../templates/template-sources.ts';
import { ImportService } from './import-service.ts';
import { MapWorkerPool } from './map-worker-pool.ts';
import { importChangesCollection, importJobsCollection, importMappingsCollection, importRowsCollection } from './import-store.ts';
import { importRoutes } from './import-routes.ts';
import { importApi } from './import-openapi.ts';
import { exportRoutes } from './export-routes.ts';

/** The import service of the running engine (the CLI and tests reach it through this). */
export const importServices = new WeakMap<object, ImportService>();

export const importModule: EngineModule = {
  name: 'import',
  collections: [importJobsCollection, importRowsCollection, importChangesCollection, importMappingsCollection],
  start(engine) {
    const service = new ImportService({
      store: engine.store,
      clock: engine.clock,
      get policy() {
        return engine.policy;
      },
      events: engine.records.events,
      model: () => engine.runtime.model,
      dataDir: engine.dataDir ?? path.resolve('data'),
      templateRoots: bundledRoots(engine.settings),
      timeZone: engine.settings.timeZone,
      mapWorkers: new MapWorkerPool(),
    });
    importServices.set(engine, service);
    const deps = () => ({ runtime: engine.runtime, clock: engine.clock, policy: engine.policy, authenticate: engine.authenticate });
    return {
      routes: [
        { path: '/api/import', router: importRoutes(service, engine.store, deps) },
        { path: '/api/export', router: exportRoutes({ records: engine.records, store: engine.store, timeZone: engine.settings.timeZone, currency: engine.settings.currency, context: deps }) },
      ],
      openapi: importApi,
      afterListen: async () => {
        await service.resumeInterrupted();
      },
      stop: () => service.close(),
    };
  },
};
