// The HTTP face of analytics: GET /api/aggregate/{entity}?spec=<JSON> and the dashboards.

import { Router } from 'express';
import type { ContextDeps } from '../http/http-context.ts';
import { contextFor } from '../http/http-context.ts';
import { checkQueryParameters, parseJsonParameter } from '../http/http-helpers.ts';
import type { Store } from '../store/store-port.ts';
import { CrmError } from '../kernel/errors.ts';
import type { DashboardDefinition } from '../metadata/generated/metadata.ts';
import { parseAggregation, runAggregation } from './aggregate-records.ts';
import { parseDashboardFilters } from './dashboard-filters.ts';
import { runDashboard } from './run-dashboard.ts';

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

  // Every widget's figures in one answer; `filters` sets the dashboard's declared filters.
  router.get('/dashboards/:name', async (req, res) => {
    const ctx = await contextFor(req, res, deps.context());
    const q = checkQueryParameters(req, ['filters']);
    const dashboard = ctx.model.set.get('dashboard', req.params.name) as unknown as DashboardDefinition | undefined;
    if (!dashboard) throw new CrmError('NOT_FOUND', { en: `There is no dashboard "${req.params.name}"`, zh: `不存在仪表板「${req.params.name}」` });
    const values = await parseDashboardFilters({ dashboard, json: parseJsonParameter(q['filters'], 'filters'), reader: deps.store });
    res.json({ ...(await runDashboard({ store: deps.store, ctx, dashboard, values, timeZone: deps.timeZone })), filters: q['filters'] ? JSON.parse(q['filters']) as unknown : {} });
  });

  return router;
}
