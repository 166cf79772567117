// Lookup filters at run time (a lookup or multiLookup field's `filter`, checked on save by kinds/lookup-filters.ts):
// bound to the record being written (`$record.x`) and the caller (`$me`, `$today`, …), then used by
// the write checks (compute-values.ts checkLookups, check-multi-lookups.ts) and by the picker's search
// (`GET /api/data/{target}?lookupFor=entity.field&record={…}`).

import type { CompiledEntity, CompiledField } from '../compile/compiled-model.ts';
import { bindFilterVariables } from '../filter/filter-variables.ts';
import { recordFieldsRead } from '../filter/record-references.ts';
import type { FilterNode } from '../filter/filter-tree.ts';
import { parseFilter } from '../filter/parse-filter.ts';
import { timeZoneOf } from '../kernel/clock.ts';
import { CrmError, pointerSegment, type IssueDetail } from '../kernel/errors.ts';
import { checkFilterValue } from '../filter/filter-values.ts';
import { localize, type LocalizedText } from '../kernel/i18n.ts';
import type { LookupField } from '../metadata/generated/metadata.ts';
import type { ListQuery } from './read-records.ts';
import type { RecordValues } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';


export function lookupFilterOf(field: CompiledField): LookupField['filter'] | undefined {
  return field.definition.type === 'lookup' || field.definition.type === 'multiLookup' ? field.definition.filter : undefined;
}

/** The filter JSON with its variables bound for this record and caller. */
function bindLookupFilter(args: { ctx: RequestContext; source: CompiledEntity; target: CompiledEntity; filter: unknown; values: Readonly<RecordValues> }): unknown {
  const { ctx, source, target } = args;
  const record = { values: args.values, field: (name: string) => source.filterables.get(name) };
  const vars = { me: ctx.principal.id, myTeams: ctx.principal.teams, now: ctx.clock.now(), timeZone: timeZoneOf(ctx.clock), record };
  const bound = bindFilterVariables(args.filter, vars, (path) => target.filterables.get(path));
  if (bound.issues.length > 0) throw new CrmError('INVALID_FILTER', undefined, bound.issues);
  return bound.filter;
}

/**
 * The write check's filter: over the target's own fields whatever the writer may read (the filter
 * is the administrator's rule, not the writer's query).
 */
export function lookupFilterNode(args: { ctx: RequestContext; source: CompiledEntity; field: CompiledField; target: CompiledEntity; values: Readonly<RecordValues> }): FilterNode | undefined {
  const filter = lookupFilterOf(args.field);
  if (filter === undefined) return undefined;
  return parseFilter(bindLookupFilter({ ...args, filter }), (path) => args.target.filterables.get(path));
}

export function lookupFilterMessage(field: CompiledField, target: string): LocalizedText {
  const own = field.definition.type === 'lookup' || field.definition.type === 'multiLookup' ? field.definition.filterMessage : undefined;
  return own ?? { en: `the chosen ${target} record does not fit this field's filter`, zh: `所选的 ${target} 记录不符合此字段的筛选条件` };
}

/**
 * A picker's search for a lookup field: the caller's query over the target, ANDed with the field's
 * filter bound to the form's current values (`record`). The caller's field access applies to the
 * whole filter as to any list (it is parsed by listRecords).
 */
export function applyLookupFilter(args: { ctx: RequestContext; target: CompiledEntity; lookupFor: string; record: unknown; query: ListQuery }): ListQuery {
  const { ctx, target, lookupFor, query } = args;
  const [sourceName, fieldName, ...rest] = lookupFor.split('.');
  const source = sourceName === undefined ? undefined : ctx.model.entities.get(sourceName);
  const field = fieldName === undefined ? undefined : source?.fields.get(fieldName);
  const readable = source && ctx.policy.readableFields(ctx.principal, source);
  const linking = field?.definition.type === 'lookup' || field?.definition.type === 'multiLookup';
  if (!source || !field || rest.length > 0 || !linking || (field.definition as { to: string }).to !== target.name || !readable?.has(field.name)) {
    throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/lookupFor', message: localize({ en: `names no lookup field to ${target.name} you can read (entity.field)`, zh: `没有指向 ${target.name} 且您可读的查找字段（实体.字段）` }, ctx.locale) }]);
  }
  if (args.record !== undefined && (args.record === null || typeof args.record !== 'object' || Array.isArray(args.record))) {
    throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/record', message: localize({ en: 'must be a JSON object of the edited record\'s values', zh: '必须是被编辑记录字段值的 JSON 对象' }, ctx.locale) }]);
  }
  const filter = lookupFilterOf(field);
  if (filter === undefined) return query;
  const values = recordValues({ source, filter, readable, given: (args.record ?? {}) as Record<string, unknown> });
  const bound = bindLookupFilter({ ctx, source, target, filter, values });
  return { ...query, filter: query.filter === undefined ? bound : { $and: [bound, query.filter] } };
}

/**
 * The form's values the filter reads, each checked against its field: a value of another type (or
 * an object, which would be read as operators) is refused at `/query/record/<field>`, not deep in
 * the administrator's filter. Only fields the caller may read stand in for `$record.x`: the others
 * count as empty.
 */
function recordValues(args: { source: CompiledEntity; filter: unknown; readable: ReadonlySet<string>; given: Record<string, unknown> }): RecordValues {
  const { source, readable, given } = args;
  const values: RecordValues = {};
  const issues: IssueDetail[] = [];
  for (const name of recordFieldsRead(args.filter)) {
    // Empty (as $record.x counts it): nothing to check, the condition goes.
    if (!readable.has(name) || !Object.hasOwn(given, name) || given[name] === undefined || given[name] === '') continue;
    const field = source.filterables.get(name);
    if (!field) continue;
    const checked = checkFilterValue(field.valueType, given[name], true);
    if (checked.ok) values[name] = checked.value;
    else issues.push({ path: `/query/record/${pointerSegment(name)}`, message: checked.message });
  }
  if (issues.length > 0) throw new CrmError('INVALID_QUERY', undefined, issues);
  return values;
}
