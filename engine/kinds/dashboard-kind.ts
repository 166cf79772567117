// The dashboard kind: what a dashboard needs beyond its JSON Schema, checked on save — widgets
// over entities that exist, keys, measures, filters, columns and sorts over real fields (and
// lookup paths through real lookups), a line over a date bucket, funnels and SLAs over a workflow
// of the widget's entity, dashboard filters over fields of the right type, and a grid whose
// widgets fit the 12 columns without overlapping. Field access is the viewer's business at run
// time; here every field counts.

import { getFieldType } from '../fields/registry.ts';
import { systemFields } from '../fields/system-fields.ts';
import type { FilterableField } from '../filter/filter-tree.ts';
import { parseFilter, parseSort, type FieldResolver } from '../filter/parse-filter.ts';
import { bindFilterVariables } from '../filter/filter-variables.ts';
import { parseGroupSpec } from '../filter/parse-group.ts';
import { CrmError, pointer, type IssueDetail } from '../kernel/errors.ts';
import type { DashboardDefinition, DashboardWidget, EntityDefinition, WorkflowDefinition } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import { widgetGroupSpec, widgetKeys, widgetPointer } from './dashboard-widgets.ts';
import type { MetadataKind } from './metadata-kind.ts';
import { sampleVariables } from './saved-filters.ts';

export const dashboardKind: MetadataKind = {
  kind: 'dashboard',
  plural: 'dashboards',
  check: (document, set) => checkDashboard(document as unknown as DashboardDefinition, set),
};

/** Filterable fields of an entity definition, and lookup paths of up to two hops. */
export function definitionResolver(set: MetadataSet, entity: EntityDefinition, hops = 0): FieldResolver {
  const own = new Map<string, FilterableField>(systemFields.map((f) => [f.name, f.filterable]));
  for (const [name, field] of Object.entries(entity.fields)) {
    for (const filterable of getFieldType(field.type).filterables(field as never, name)) own.set(filterable.path.join('.'), filterable);
  }
  return (dotted) => {
    const direct = own.get(dotted);
    if (direct) return direct;
    const [head, ...rest] = dotted.split('.');
    const field = head === undefined ? undefined : entity.fields[head];
    if (hops >= 1 || rest.length === 0 || field?.type !== 'lookup') return undefined;
    const target = set.entity(field.to);
    const found = target ? definitionResolver(set, target, hops + 1)(rest.join('.')) : undefined;
    return found && !found.array ? found : undefined;
  };
}

function checkDashboard(dashboard: DashboardDefinition, set: MetadataSet): IssueDetail[] {
  const issues: IssueDetail[] = [];
  const filterNames = new Set(Object.keys(dashboard.filters ?? {}));
  for (const [name, filter] of Object.entries(dashboard.filters ?? {})) {
    for (const [entityName, fieldPath] of Object.entries(filter.fields ?? {})) {
      const at = pointer('filters', name, 'fields', entityName);
      const entity = set.entity(entityName);
      if (!entity) {
        issues.push({ path: at, message: `refers to entity "${entityName}", which does not exist` });
        continue;
      }
      const field = definitionResolver(set, entity)(fieldPath);
      if (!field) issues.push({ path: at, message: `refers to "${fieldPath}", which is not a field of ${entityName}` });
      else if (filter.type === 'dateRange' && field.valueType !== 'date' && field.valueType !== 'datetime') issues.push({ path: at, message: `"${fieldPath}" is not a date or datetime field` });
    }
  }
  for (const [name, widget] of Object.entries(dashboard.widgets)) {
    const at = pointer('widgets', name);
    for (const ignored of widget.ignoreFilters ?? []) if (!filterNames.has(ignored)) issues.push({ path: `${at}/ignoreFilters`, message: `"${ignored}" is not a filter of this dashboard` });
    issues.push(...checkWidget(widget, set).map((issue) => ({ ...issue, path: `${at}${issue.path}` })));
  }
  issues.push(...checkGrid(dashboard));
  return issues;
}

function checkWidget(widget: DashboardWidget, set: MetadataSet): IssueDetail[] {
  const entity = set.entity(widget.entity);
  if (!entity) return [{ path: '/entity', message: `refers to entity "${widget.entity}", which does not exist` }];
  const resolve = definitionResolver(set, entity);
  const issues: IssueDetail[] = [];
  // Variables ($me, $myTeams, $today - 30 days…) are bound for the viewer when the widget runs.
  if (widget.filter !== undefined) {
    const bound = bindFilterVariables(widget.filter, sampleVariables, resolve);
    issues.push(...bound.issues.map((i) => ({ ...i, path: `/filter${i.path}` })));
    widget = { ...widget, filter: bound.filter as typeof widget.filter };
  }
  let stateField: string | undefined;
  if (widget.type === 'funnel' || widget.type === 'sla') {
    const workflow = set.get('workflow', widget.workflow) as unknown as WorkflowDefinition | undefined;
    const field = (workflow as { field?: string } | undefined)?.field;
    if (!workflow || workflow.entity !== widget.entity || field === undefined) {
      return [{ path: '/workflow', message: `"${widget.workflow}" is not a workflow with states on ${widget.entity}` }];
    }
    stateField = field;
  }
  if (widget.type === 'table') {
    if (widget.filter !== undefined) issues.push(...nestedIssues(() => parseFilter(widget.filter, resolve), '/filter'));
    widget.columns.forEach((column, index) => {
      if (!resolve(column)) issues.push({ path: `/columns/${index}`, message: `refers to "${column}", which is not a field of ${widget.entity}` });
    });
    if (widget.sort) issues.push(...nestedIssues(() => parseSort(widget.sort!, resolve), ''));
    return issues;
  }
  if (widget.type === 'sla') return issues;
  if (widget.type === 'quality') {
    if (widget.filter !== undefined) issues.push(...nestedIssues(() => parseFilter(widget.filter, resolve), '/filter'));
    return issues;
  }
  const keys = widgetKeys(widget, stateField);
  const spec = widgetGroupSpec({ widget, keys, filter: widget.filter ?? {}, timeZone: 'UTC' });
  issues.push(...nestedIssues(() => parseGroupSpec(spec, { resolve, defaultTimeZone: 'UTC' }), '').map((issue) => ({ ...issue, path: widgetPointer(issue.path, keys) })));
  if ('ratio' in widget && widget.ratio) issues.push(...nestedIssues(() => parseFilter(widget.ratio!.filter, resolve), '/ratio/filter'));
  if (widget.type === 'line' && (typeof widget.groupBy === 'string' || widget.groupBy.bucket === undefined)) {
    issues.push({ path: '/groupBy', message: 'a line runs over time: group by a date or datetime field with a bucket' });
  }
  return issues;
}

function nestedIssues(parse: () => unknown, at: string): IssueDetail[] {
  try {
    parse();
    return [];
  } catch (error) {
    if (!(error instanceof CrmError)) throw error;
    return error.details.map((detail) => ({ ...detail, path: `${at}${detail.path}` }));
  }
}

function checkGrid(dashboard: DashboardDefinition): IssueDetail[] {
  const issues: IssueDetail[] = [];
  const placed = Object.entries(dashboard.widgets).map(([name, widget]) => ({ name, ...widget.layout }));
  for (const [index, a] of placed.entries()) {
    if (a.x + a.w > 12) issues.push({ path: pointer('widgets', a.name, 'layout', 'w'), message: `x + w must be at most 12 (the grid's columns), got ${a.x + a.w}` });
    for (const b of placed.slice(index + 1)) {
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
        issues.push({ path: pointer('widgets', b.name, 'layout'), message: `overlaps widget "${a.name}"` });
      }
    }
  }
  return issues;
}
