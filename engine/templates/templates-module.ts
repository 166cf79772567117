// Plugs the template lifecycle into the server: its system collection and /api/templates.

import path from 'node:path';
import type { EngineModule } from '../capability/engine-module.ts';
import { configurationApi } from './configuration-openapi.ts';
import { configurationRoutes } from './configuration-routes.ts';
import { templatesCollection } from './installed-templates.ts';
import { templateApi } from './template-openapi.ts';
import { templateRoutes } from './template-routes.ts';
import { TemplateService } from './template-service.ts';

export const templatesModule: EngineModule = {
  name: 'templates',
  collections: [templatesCollection],
  start(engine) {
    const service = new TemplateService({
      store: engine.store, runtime: engine.runtime, clock: engine.clock, settings: engine.settings,
      ...(engine.dataDir ? { uploadsDir: path.join(engine.dataDir, 'template-uploads') } : {}),
    });
    // The policy and authenticator are read per request: a module started later may replace them.
    const deps = () => ({ runtime: engine.runtime, clock: engine.clock, policy: engine.policy, authenticate: engine.authenticate });
    return {
      routes: [
        { path: '/api/templates', router: templateRoutes(service, deps) },
        // The configuration bundle and the admin's overlays, beside the generic metadata routes.
        { path: '/api/meta', router: configurationRoutes({ store: engine.store, runtime: engine.runtime, deps }) },
      ],
      openapi: { paths: { ...templateApi.paths, ...configurationApi.paths }, schemas: { ...templateApi.schemas, ...configurationApi.schemas } },
    };
  },
};
