// The HTTP face of analytics: GET /api/aggregate/{entity}?spec=<JSON> and the dashboards.

import { Router } from 'express';
import type { ContextDeps } from '../http/http-context.ts';
import { contextFor } from '../http/http-context.ts';
import { checkQueryParameters, parseJsonParameter } from '../http/http-helpers.ts';
import type { Store } from '../store/store-port.ts';
import { parseAggregation, runAggregation } from './aggregate-records.ts';

export interface AnalyticsDeps {
  store: Store;
  /** IANA zone of date buckets and date ranges when a request names none (CRM_TIME_ZONE). */
  timeZone: string;
  context: () => ContextDeps;
}

export function analyticsRoutes(deps: AnalyticsDeps): Router {
  const router = Router();

  router.get('/aggregate/:entity', async (req, res) => {
    const ctx = await contextFor(req, res, deps.context());
    const q = checkQueryParameters(req, ['spec']);
    const { entity, query } = parseAggregation({ ctx, entityName: req.params.entity, spec: parseJsonParameter(q['spec'], 'spec'), defaultTimeZone: deps.timeZone });
    res.json(await runAggregation({ store: deps.store, ctx, entity, query }));
  });

  return router;
}
