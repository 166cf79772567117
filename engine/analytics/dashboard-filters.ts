// Dashboard filters as the viewer sets them (`?filters={"period":{"from":…,"to":…},"owner":[…]}`),
// checked against the dashboard's declared filters and turned into one records-API filter per
// widget — the same JSON the drill-down link carries, so a figure and the list behind it agree.
// Date ranges are whole local days in the server's zone: a datetime field gets [start of `from`,
// start of the day after `to`) as instants; a date field gets [from, to].

import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { FilterableField } from '../filter/filter-tree.ts';
import { isPlainObject } from '../filter/parse-filter.ts';
import { CrmError, pointer, type IssueDetail } from '../kernel/errors.ts';
import { addDays, startOfLocalDay } from '../kernel/time-zones.ts';
import type { DashboardDefinition, DashboardWidget } from '../metadata/generated/metadata.ts';
import { membersOf, listTeams, teamsBelow } from '../security/user-store.ts';
import type { StoreReader } from '../store/store-port.ts';

export interface DateRange {
  from?: string;
  to?: string;
}

/** Checked filter values, by filter name; team names are already resolved to member ids. */
export type FilterValues = Record<string, { type: 'dateRange'; range: DateRange } | { type: 'owners'; ids: string[] } | { type: 'values'; values: unknown[] }>;

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

export async function parseDashboardFilters(args: { dashboard: DashboardDefinition; json: unknown; reader: StoreReader }): Promise<FilterValues> {
  const { dashboard, json } = args;
  if (json === undefined) return {};
  const issues: IssueDetail[] = [];
  const out: FilterValues = {};
  if (!isPlainObject(json)) throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/filters', message: 'expected an object of filter values by name' }]);
  for (const [name, value] of Object.entries(json)) {
    const at = `/query/filters${pointer(name)}`;
    const declared = Object.hasOwn(dashboard.filters ?? {}, name) ? dashboard.filters![name]! : undefined;
    if (!declared) {
      issues.push({ path: at, message: `is not a filter of this dashboard (known: ${Object.keys(dashboard.filters ?? {}).join(', ') || 'none'})` });
      continue;
    }
    if (value === null) continue;
    if (declared.type === 'dateRange') {
      const range = isPlainObject(value) ? value : undefined;
      const bad = !range || Object.keys(range).some((k) => k !== 'from' && k !== 'to') || [range['from'], range['to']].some((d) => d !== undefined && (typeof d !== 'string' || !datePattern.test(d) || Number.isNaN(Date.parse(d))));
      if (bad) issues.push({ path: at, message: 'expected { "from"?: "YYYY-MM-DD", "to"?: "YYYY-MM-DD" }' });
      else if (range['from'] !== undefined && range['to'] !== undefined && String(range['from']) > String(range['to'])) issues.push({ path: at, message: '"from" is after "to"' });
      else out[name] = { type: 'dateRange', range: range as DateRange };
    } else if (declared.type === 'owner') {
      const ids = Array.isArray(value) ? value : [value];
      if (ids.length === 0 || ids.length > 100 || !ids.every((id) => typeof id === 'string' && id.length > 0 && id.length < 100)) issues.push({ path: at, message: 'expected a user id or a list of up to 100' });
      else out[name] = { type: 'owners', ids: ids as string[] };
    } else if (declared.type === 'team') {
      if (typeof value !== 'string' || value === '') issues.push({ path: at, message: 'expected a team name' });
      else out[name] = { type: 'owners', ids: await membersOf(args.reader, teamsBelow(await listTeams(args.reader), [value])) };
    } else {
      const values = Array.isArray(value) ? value : [value];
      if (values.length === 0 || values.length > 100 || !values.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) issues.push({ path: at, message: 'expected a value or a list of up to 100' });
      else out[name] = { type: 'values', values };
    }
  }
  if (issues.length > 0) throw new CrmError('INVALID_QUERY', { en: 'The dashboard filters are not valid', zh: '仪表板筛选条件无效' }, issues);
  return out;
}

/** The records-API filter a widget runs with: its own filter AND every dashboard filter that applies to it. */
export function widgetFilterJson(args: {
  dashboard: DashboardDefinition; widget: DashboardWidget; values: FilterValues; entity: CompiledEntity; timeZone: string;
  resolve: (path: string) => FilterableField | undefined; rangeOverride?: DateRange;
}): { filter: Record<string, unknown>; applied: string[]; dateRange?: { field: string; range: DateRange; valueType: string } } {
  const { dashboard, widget, values } = args;
  const parts: Record<string, unknown>[] = widget.filter && Object.keys(widget.filter).length > 0 ? [widget.filter] : [];
  const applied: string[] = [];
  let dateRange: { field: string; range: DateRange; valueType: string } | undefined;
  for (const [name, value] of Object.entries(values)) {
    if (widget.ignoreFilters?.includes(name)) continue;
    const declared = dashboard.filters![name]!;
    if (value.type === 'owners') {
      parts.push({ owner: { $in: value.ids } });
      applied.push(name);
      continue;
    }
    const fieldPath = declared.fields?.[args.entity.name];
    if (fieldPath === undefined) continue;
    const field = args.resolve(fieldPath);
    // A field the viewer cannot read is left to the widget's own check: it fails there, visibly.
    if (value.type === 'values') parts.push({ [fieldPath]: { $in: value.values } });
    else {
      const range = args.rangeOverride ?? value.range;
      dateRange = { field: fieldPath, range: value.range, valueType: field?.valueType ?? 'date' };
      parts.push(rangeCondition(fieldPath, range, field?.valueType === 'datetime', args.timeZone));
    }
    applied.push(name);
  }
  return { filter: parts.length === 0 ? {} : parts.length === 1 ? parts[0]! : { $and: parts }, applied, ...(dateRange ? { dateRange } : {}) };
}

export function rangeCondition(field: string, range: DateRange, datetime: boolean, timeZone: string): Record<string, unknown> {
  const condition: Record<string, unknown> = {};
  if (range.from !== undefined) condition['$gte'] = datetime ? startOfLocalDay(range.from, timeZone) : range.from;
  if (range.to !== undefined) {
    if (datetime) condition['$lt'] = startOfLocalDay(addDays(range.to, 1), timeZone);
    else condition['$lte'] = range.to;
  }
  return Object.keys(condition).length === 0 ? {} : { [field]: condition };
}

/** The period of the same length just before `range` (both ends needed). */
export function previousPeriod(range: DateRange): DateRange | undefined {
  if (range.from === undefined || range.to === undefined) return undefined;
  const days = Math.round((Date.parse(range.to) - Date.parse(range.from)) / 86_400_000) + 1;
  return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
}
