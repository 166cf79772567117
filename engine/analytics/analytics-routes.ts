// The HTTP face of analytics: GET /api/aggregate/{entity}?spec=<JSON>, the dashboards and the segments.

import { Router } from 'express';
import { metadataViewer, narrowDocument } from '../access/narrow-metadata.ts';
import type { ContextDeps } from '../http/http-context.ts';
import { contextFor } from '../http/http-context.ts';
import { checkQueryParameters, parseJsonParameter, parsePositiveInteger } from '../http/http-helpers.ts';
import { andFilters, internalField } from '../filter/filter-tree.ts';
import { getEntityOrThrow } from '../records/entity-lookup.ts';
import type { Store } from '../store/store-port.ts';
import { CrmError } from '../kernel/errors.ts';
import type { DashboardDefinition } from '../metadata/generated/metadata.ts';
import { parseAggregation, runAggregation } from './aggregate-records.ts';
import { adoptionReport } from './adoption.ts';
import { parseDashboardFilters } from './dashboard-filters.ts';
import { addDays, localDate } from '../kernel/time-zones.ts';
import { runDashboard } from './run-dashboard.ts';
import { reportCsv, reportOf, reportXlsx, runReport } from './reports.ts';
import { lastRun, refreshSegment, segmentOf, storedMembers } from '../records/segments.ts';

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
    // As the caller may see it (as /api/meta answers it): a widget over what they cannot read is not
    // run, so neither its name nor its entity reaches them; with no widget left it does not exist.
    const stored = ctx.model.set.get('dashboard', req.params.name);
    const viewer = metadataViewer({ policy: ctx.policy, principal: ctx.principal, model: ctx.model });
    const dashboard = (stored ? narrowDocument(stored, viewer) : undefined) as unknown as DashboardDefinition | undefined;
    if (!dashboard) throw new CrmError('NOT_FOUND', { en: `There is no dashboard "${req.params.name}"`, zh: `不存在仪表板「${req.params.name}」` });
    const values = await parseDashboardFilters({ dashboard, json: parseJsonParameter(q['filters'], 'filters'), reader: deps.store });
    res.json({ ...(await runDashboard({ store: deps.store, ctx, dashboard, values, timeZone: deps.timeZone })), filters: q['filters'] ? JSON.parse(q['filters']) as unknown : {} });
  });

  // Reports: the saved query run with the caller's access, as JSON, CSV or XLSX.
  router.get('/reports/:name', async (req, res) => {
    const ctx = await contextFor(req, res, deps.context());
    const q = checkQueryParameters(req, ['format']);
    const format = q['format'] ?? 'json';
    if (!['json', 'csv', 'xlsx'].includes(format)) throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/format', message: 'expected json, csv or xlsx' }]);
    const report = reportOf(ctx, req.params.name);
    const table = await runReport({ store: deps.store, ctx, report, timeZone: deps.timeZone });
    if (format === 'json') {
      res.json(table);
      return;
    }
    res.setHeader('Content-Disposition', `attachment; filename="${report.name}.${format}"`);
    if (format === 'csv') res.type('text/csv').send(reportCsv(table));
    else res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await reportXlsx(table, report.name));
  });

  // Adoption (administrators): activity per user, role and week from the audit trail; time in state.
  router.get('/adoption', async (req, res) => {
    const ctx = await contextFor(req, res, deps.context());
    const q = checkQueryParameters(req, ['from', 'to']);
    ctx.policy.assertAdmin(ctx.principal);
    const today = localDate(ctx.clock.now(), deps.timeZone);
    const issues = (['from', 'to'] as const).filter((k) => q[k] !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(q[k]!) || Number.isNaN(Date.parse(q[k]!))));
    if (issues.length > 0) throw new CrmError('INVALID_QUERY', undefined, issues.map((k) => ({ path: `/query/${k}`, message: 'expected a date YYYY-MM-DD' })));
    const to = q['to'] ?? today;
    const from = q['from'] ?? addDays(to, -55);
    if (from > to) throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/from', message: '"from" is after "to"' }]);
    res.json(await adoptionReport({ reader: deps.store, model: ctx.model, from, to, timeZone: deps.timeZone, now: ctx.clock.now() }));
  });

  // Segments: recompute now (administrators), and the members the caller may read, with their scores.
  router.post('/segments/:name/refresh', async (req, res) => {
    const ctx = await contextFor(req, res, deps.context());
    checkQueryParameters(req, []);
    ctx.policy.assertAdmin(ctx.principal);
    res.json(await refreshSegment({ store: deps.store, model: ctx.model, name: req.params.name, clock: ctx.clock, timeZone: deps.timeZone }));
  });

  router.get('/segments/:name/members', async (req, res) => {
    const ctx = await contextFor(req, res, deps.context());
    const q = checkQueryParameters(req, ['limit', 'after']);
    const segment = segmentOf(ctx.model, req.params.name);
    if (!segment) throw new CrmError('NOT_FOUND', { en: `There is no segment "${req.params.name}"`, zh: `不存在细分「${req.params.name}」` });
    const entity = getEntityOrThrow(ctx, segment.entity);
    ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
    const limit = parsePositiveInteger(q['limit'], 'limit', 1000) ?? 100;
    const page = await storedMembers(deps.store, segment.name, { limit: limit + 1, ...(q['after'] !== undefined ? { after: q['after'] } : {}) });
    // Only members whose record the caller may read, as the records API would list them.
    const scope = ctx.policy.scopeFilter(ctx.principal, entity, 'read');
    const ids = page.slice(0, limit).map((m) => m.record);
    const readable = scope.kind === 'true' ? new Set(ids) : new Set((await deps.store.find(entity.name, { filter: andFilters({ kind: 'in', field: internalField('id'), values: ids, negate: false }, scope), sort: [], limit })).map((row) => row.id));
    const run = await lastRun(deps.store, segment.name);
    res.json({
      segment: segment.name, entity: entity.name, computedAt: run?.computedAt ?? null,
      // How many in all only for those who see every record: a count across scopes says more than their list.
      ...(scope.kind === 'true' ? { count: run?.count ?? 0 } : {}),
      members: page.slice(0, limit).filter((m) => readable.has(m.record)),
      next: page.length > limit ? page[limit - 1]!.record : null,
    });
  });

  return router;
}
