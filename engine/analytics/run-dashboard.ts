// Runs a dashboard for one viewer: every widget's figures in one answer, each computed within the
// viewer's access (scope and readable fields), narrowed by the dashboard filters that apply to
// it, and each figure with the drill-down filter that lists its records. A widget the viewer
// cannot compute (an entity or field they cannot read) answers with its error; the others still run.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { ScalarValue } from '../filter/filter-tree.ts';
import { bindFilterVariables } from '../filter/filter-variables.ts';
import type { GroupRow } from '../filter/group-tree.ts';
import { timeZoneOf } from '../kernel/clock.ts';
import { CrmError, isCrmError } from '../kernel/errors.ts';
import type { DashboardDefinition, DashboardWidget } from '../metadata/generated/metadata.ts';
import { widgetGroupSpec, widgetKeys } from '../kinds/dashboard-widgets.ts';
import { getEntityOrThrow } from '../records/entity-lookup.ts';
import { listRecords } from '../records/read-records.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { Store } from '../store/store-port.ts';
import { workflowsOf } from '../workflow/compile-workflow.ts';
import { summarizeStays } from '../workflow/sla-report.ts';
import { staysOfWorkflow } from '../workflow/state-history.ts';
import { parseAggregation, readableResolver, runAggregation } from './aggregate-records.ts';
import { previousPeriod, widgetFilterJson, type FilterValues } from './dashboard-filters.ts';
import { drillFilter, type DrillKey } from './drill-down.ts';
import { qualityReport } from '../quality/quality-cache.ts';
import { defaultStaleDays, readableDuplicateRules } from '../quality/quality-report.ts';
import { parseFilter } from '../filter/parse-filter.ts';
import { andFilters } from '../filter/filter-tree.ts';

/** One figure of a widget: its keys, its value(s) and the filter listing its records. */
export interface WidgetRow extends GroupRow {
  drill: Record<string, unknown>;
}

export interface WidgetResult {
  type: DashboardWidget['type'];
  entity: string;
  /** Names of the dashboard filters that narrowed this widget. */
  filters: string[];
  [part: string]: unknown;
}

interface WidgetRun {
  store: Store;
  ctx: RequestContext;
  dashboard: DashboardDefinition;
  values: FilterValues;
  timeZone: string;
}

export async function runDashboard(args: WidgetRun): Promise<Record<string, unknown>> {
  const widgets: Record<string, unknown> = {};
  for (const [name, widget] of Object.entries(args.dashboard.widgets)) {
    try {
      widgets[name] = await runWidget(args, widget);
    } catch (error) {
      if (!isCrmError(error)) throw error;
      widgets[name] = { type: widget.type, entity: widget.entity, error: { code: error.code, message: error.localizedMessage(args.ctx.locale), details: error.details } };
    }
  }
  return { name: args.dashboard.name, title: args.dashboard.title, timeZone: args.timeZone, widgets };
}

async function runWidget(run: WidgetRun, saved: DashboardWidget): Promise<WidgetResult> {
  const { ctx } = run;
  const entity = getEntityOrThrow(ctx, saved.entity);
  ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
  const resolve = readableResolver(ctx, entity);
  // The widget's own filter may use $me, $myTeams, $today and $now: bound for this viewer, now.
  let widget = saved;
  if (saved.filter !== undefined) {
    const bound = bindFilterVariables(saved.filter, { me: ctx.principal.id, myTeams: ctx.principal.teams, now: ctx.clock.now(), timeZone: timeZoneOf(ctx.clock) }, resolve);
    if (bound.issues.length > 0) throw new CrmError('INVALID_QUERY', undefined, bound.issues.map((i) => ({ ...i, path: `/filter${i.path}` })));
    widget = { ...saved, filter: bound.filter as DashboardWidget['filter'] };
  }
  const scoped = (override?: { from?: string; to?: string }) =>
    widgetFilterJson({ dashboard: run.dashboard, widget, values: run.values, entity, timeZone: run.timeZone, resolve, ...(override ? { rangeOverride: override } : {}) });
  const base = scoped();
  const head = { type: widget.type, entity: entity.name, filters: base.applied };
  if (widget.type === 'table') {
    const page = await listRecords(run.store, ctx, entity.name, { filter: base.filter, ...(widget.sort ? { sort: widget.sort } : {}), limit: widget.limit ?? 10, fields: widget.columns });
    return { ...head, columns: widget.columns, items: page.items, drill: base.filter };
  }
  if (widget.type === 'sla') return { ...head, ...(await slaOf(run, widget.workflow, entity)) };
  if (widget.type === 'quality') return { ...head, ...(await qualityOf(run, entity, base.filter, widget.staleDays ?? defaultStaleDays)), drill: base.filter };
  const stateField = widget.type === 'funnel' ? workflowsOf(ctx.model).get(widget.workflow)?.field : undefined;
  const keys = widgetKeys(widget, stateField);
  const drillKeys: DrillKey[] = keys.map((key) => {
    const field = typeof key.definition === 'string' ? key.definition : key.definition.field;
    const bucket = typeof key.definition === 'string' ? undefined : key.definition.bucket;
    return { name: key.name, field, ...(bucket ? { bucket } : {}), datetime: resolve(field)?.valueType === 'datetime' };
  });
  const rows = (filter: Record<string, unknown>, subset = keys) => groupRows(run, entity, widget, subset, filter);
  const withDrill = (found: GroupRow[], subset: readonly DrillKey[]): WidgetRow[] =>
    found.map((row) => ({ ...row, drill: drillFilter({ base: base.filter, keys: subset, key: row.key, timeZone: run.timeZone }) }));

  if (widget.type === 'metric') {
    const value = (await rows(base.filter))[0]?.values['value'] ?? (widget.measure.op === 'count' || widget.measure.op === 'sum' ? 0 : null);
    const result: WidgetResult = { ...head, value, drill: base.filter };
    const previousRange = widget.compare && base.dateRange ? previousPeriod(base.dateRange.range) : undefined;
    if (previousRange) {
      const before = scoped(previousRange);
      const previous = (await rows(before.filter))[0]?.values['value'] ?? (widget.measure.op === 'count' || widget.measure.op === 'sum' ? 0 : null);
      result['previous'] = previous;
      result['previousPeriod'] = previousRange;
      result['change'] = typeof value === 'number' && typeof previous === 'number' && previous !== 0 ? (value - previous) / Math.abs(previous) : null;
    }
    return result;
  }
  if (widget.type === 'pivot') {
    const [rowKey, columnKey] = [drillKeys[0]!, drillKeys[1]!];
    const cells = await rows(base.filter);
    // Counts, sums and extremes add up from the cells; averages and distinct counts do not.
    const foldable = !('ratio' in widget && widget.ratio) && ['count', 'sum', 'min', 'max'].includes(widget.measure.op);
    const totals = (name: string): GroupRow[] => foldTotals(cells, name, widget.measure.op);
    return {
      ...head,
      cells: withDrill(cells, drillKeys),
      rowTotals: withDrill(foldable ? totals('row') : await rows(base.filter, [keys[0]!]), [rowKey]),
      columnTotals: withDrill(foldable ? totals('column') : await rows(base.filter, [keys[1]!]), [columnKey]),
      total: (foldable ? totals('')[0]?.values['value'] : (await rows(base.filter, []))[0]?.values['value']) ?? 0,
    };
  }
  let groups = withDrill(await rows(base.filter), drillKeys);
  if (widget.type === 'funnel') {
    const workflow = workflowsOf(ctx.model).get(widget.workflow);
    if (!workflow) throw new CrmError('NOT_FOUND', { en: `No workflow "${widget.workflow}"`, zh: `没有流程「${widget.workflow}」` });
    const byState = new Map(groups.map((g) => [g.key['key'], g]));
    groups = [...workflow.states.keys()].map((state) => byState.get(state) ?? { key: { key: state }, values: { value: 0 }, drill: drillFilter({ base: base.filter, keys: drillKeys, key: { key: state }, timeZone: run.timeZone }) });
  }
  return { ...head, groups };
}

/** Runs one grouping of a widget; with `ratio`, each value is the share that also matches it. */
async function groupRows(run: WidgetRun, entity: CompiledEntity, widget: DashboardWidget, keys: ReturnType<typeof widgetKeys>, filter: Record<string, unknown>): Promise<GroupRow[]> {
  const run1 = async (json: unknown): Promise<GroupRow[]> => {
    const spec = widgetGroupSpec({ widget, keys, filter: json, timeZone: run.timeZone });
    const { query } = parseAggregation({ ctx: run.ctx, entityName: entity.name, spec, defaultTimeZone: run.timeZone });
    return (await runAggregation({ store: run.store, ctx: run.ctx, entity, query })).groups;
  };
  const all = await run1(filter);
  const ratio = 'ratio' in widget ? widget.ratio : undefined;
  if (!ratio) return all;
  const part = await run1({ $and: [filter, ratio.filter] });
  const partByKey = new Map(part.map((row) => [JSON.stringify(row.key), row.values['value']]));
  return all.map((row) => {
    const whole = row.values['value'];
    const share = partByKey.get(JSON.stringify(row.key)) ?? 0;
    const value: ScalarValue = typeof whole === 'number' && whole !== 0 && typeof share === 'number' ? share / whole : null;
    return { key: row.key, values: { value, numerator: share, denominator: whole ?? null } };
  });
}

/** Time in state per state of a workflow: like GET /api/workflows/{name}/sla, for those who read every record. */
async function slaOf(run: WidgetRun, workflowName: string, entity: CompiledEntity): Promise<Record<string, unknown>> {
  const workflow = workflowsOf(run.ctx.model).get(workflowName);
  if (!workflow?.field) throw new CrmError('NOT_FOUND', { en: `No workflow "${workflowName}" with states`, zh: `没有带状态的流程「${workflowName}」` });
  if (run.ctx.policy.scopeFilter(run.ctx.principal, entity, 'read').kind !== 'true') run.ctx.policy.assertAdmin(run.ctx.principal);
  const now = run.ctx.clock.now();
  return { workflow: workflow.name, at: now.toISOString(), states: summarizeStays(workflow, await staysOfWorkflow(run.store, workflow.name), now) };
}

/** Subtotals of pivot cells by one key (`''`: the grand total), in the store's key order (null, numbers, text). */
function foldTotals(cells: readonly GroupRow[], name: string, op: string): GroupRow[] {
  const byKey = new Map<string, GroupRow>();
  for (const cell of cells) {
    const keyValue = name === '' ? undefined : (cell.key[name] ?? null);
    const id = JSON.stringify(keyValue ?? null);
    const value = cell.values['value'] ?? null;
    const found = byKey.get(id);
    if (!found) {
      byKey.set(id, { key: name === '' ? {} : { [name]: keyValue ?? null }, values: { value } });
      continue;
    }
    const before = found.values['value'] ?? null;
    if (op === 'count' || op === 'sum') found.values['value'] = (typeof before === 'number' ? before : 0) + (typeof value === 'number' ? value : 0);
    else if (value !== null && (before === null || (op === 'min' ? compareScalars(value, before) < 0 : compareScalars(value, before) > 0))) found.values['value'] = value;
  }
  return [...byKey.values()].sort((a, b) => compareScalars(a.key[name] ?? null, b.key[name] ?? null));
}

function compareScalars(a: ScalarValue, b: ScalarValue): number {
  const rank = (v: ScalarValue) => (v === null ? 0 : typeof v === 'string' ? 2 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a === null || b === null) return 0;
  const [x, y] = [typeof a === 'boolean' ? Number(a) : a, typeof b === 'boolean' ? Number(b) : b];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The quality report's figures over the records the widget counts (its filter and the dashboard's,
 * within the viewer's scope), for the fields the viewer may read; the clusters themselves stay on
 * the data quality page.
 */
async function qualityOf(run: WidgetRun, entity: CompiledEntity, filter: unknown, staleDays: number): Promise<Record<string, unknown>> {
  const { ctx } = run;
  const scope = andFilters(ctx.policy.scopeFilter(ctx.principal, entity, 'read'), parseFilter(filter, readableResolver(ctx, entity)));
  const readable = ctx.policy.readableFields(ctx.principal, entity);
  const report = await qualityReport({ reader: run.store, entity, scope, now: ctx.clock.now(), clock: ctx.clock, staleDays, locale: ctx.locale, rules: readableDuplicateRules(ctx, entity), fields: readable });
  const completeness = Object.entries(report.completeness).filter(([field]) => readable.has(field)).sort((a, b) => a[1] - b[1]);
  return {
    score: report.score,
    records: report.records,
    completeness: Object.fromEntries(completeness),
    invalid: Object.fromEntries(Object.entries(report.invalid).filter(([field]) => readable.has(field))),
    invalidRecords: report.invalidRecords,
    duplicates: { clusters: report.duplicates.clusters, records: report.duplicates.records },
    stale: report.stale,
  };
}
