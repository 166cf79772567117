// studio/: what the web app needs from the server beyond the generic API — the caller's menu
// (GET /api/studio/navigation). The built app itself is served by api/ (studio-assets.ts).

import { Router } from 'express';
import { checkQueryParameters } from '../http/http-helpers.ts';
import { contextFor } from '../http/http-context.ts';
import type { EngineModule } from '../capability/engine-module.ts';
import { loadNavigation } from './navigation.ts';
import { studioApi } from './studio-openapi.ts';

export const studioModule: EngineModule = {
  name: 'studio',
  start(engine) {
    const deps = () => ({ runtime: engine.runtime, clock: engine.clock, policy: engine.policy, authenticate: engine.authenticate });
    const router = Router();
    router.get('/navigation', async (req, res) => {
      const ctx = await contextFor(req, res, deps());
      checkQueryParameters(req, []);
      if (ctx.principal.kind === 'anonymous' && !ctx.principal.admin) ctx.policy.assertAdmin(ctx.principal);
      res.json(await loadNavigation(engine.store, ctx, engine.settings.currency));
    });
    return { routes: [{ path: '/api/studio', router }], openapi: studioApi };
  },
};
