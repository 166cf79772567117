// multiLookup links on a write: each id newly linked must point at an existing record of the
// field's entity that the caller may read (as for a plain lookup); links kept from before are not
// checked again (a record the caller cannot see may stay linked, as someone else linked it). A field
// with a `filter` holds each newly linked record to it — and every link when the write changes a
// field the filter reads (the deal's account changes: its contacts must be of the new one), as a
// plain lookup is held.

import type { CompiledEntity, CompiledField } from '../compile/compiled-model.ts';
import { linkId, linkIds } from '../fields/link-values.ts';
import { andFilters, internalField } from '../filter/filter-tree.ts';
import { type IssueDetail, pointer, localizedDetail } from '../kernel/errors.ts';
import type { StoreReader } from '../store/store-port.ts';
import type { RecordValues } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';
import { recordFieldsRead } from '../filter/record-references.ts';
import { lookupFilterMessage, lookupFilterNode, lookupFilterOf } from './lookup-filter.ts';

export async function checkMultiLookups(args: { entity: CompiledEntity; values: RecordValues; previous?: RecordValues; reader: Pick<StoreReader, 'find'>; ctx: RequestContext }): Promise<IssueDetail[]> {
  const issues: IssueDetail[] = [];
  for (const field of args.entity.fields.values()) {
    const def = field.definition;
    if (def.type !== 'multiLookup') continue;
    const elements = args.values[field.name];
    if (!Array.isArray(elements)) continue;
    const ids = elements.map(linkId);
    const before = new Set(linkIds(args.previous?.[field.name]));
    const added = ids.filter((id): id is string => id !== undefined && !before.has(id));
    const target = args.ctx.model.entities.get(def.to);
    issues.push(...(await checkLinkFilter({ ...args, field, elements, ids, added, target })));
    if (added.length === 0) continue;
    const scope = target ? args.ctx.policy.scopeFilter(args.ctx.principal, target, 'read') : undefined;
    const found = target ? await args.reader.find(target.name, { filter: andFilters({ kind: 'in', field: internalField('id'), values: added, negate: false }, scope), sort: [], limit: added.length }) : [];
    const present = new Set(found.map((r) => r.id));
    ids.forEach((id, index) => {
      if (id !== undefined && added.includes(id) && !present.has(id)) {
        issues.push(localizedDetail({ path: linkPointer(field.name, elements, index), code: 'LOOKUP_MISSING', text: { en: `refers to a ${def.to} record that does not exist`, zh: `引用的 ${def.to} 记录不存在` } }, args.ctx.locale));
      }
    });
  }
  return issues;
}

/** Where a link's id is in the written value: the element itself, or its `id` when it carries attributes. */
const linkPointer = (field: string, elements: unknown[], index: number) => (typeof elements[index] === 'string' ? pointer(field, index) : pointer(field, index, 'id'));

/**
 * The links the field's filter (bound to this record) does not let through, among those to check:
 * the new ones, or all when a field the filter reads changed. A link to a record that does not
 * exist is left to the existence check. The filter is the administrator's rule: matched over the
 * target's fields whatever the writer may read.
 */
async function checkLinkFilter(args: { entity: CompiledEntity; field: CompiledField; values: RecordValues; previous?: RecordValues; elements: unknown[]; ids: (string | undefined)[]; added: string[]; target: CompiledEntity | undefined; reader: Pick<StoreReader, 'find'>; ctx: RequestContext }): Promise<IssueDetail[]> {
  const { field, values, previous, target, reader, ctx } = args;
  const filter = lookupFilterOf(field);
  if (filter === undefined || !target) return [];
  const readChanged = previous !== undefined && recordFieldsRead(filter).some((name) => JSON.stringify(values[name] ?? null) !== JSON.stringify(previous[name] ?? null));
  const checked = readChanged ? [...new Set(args.ids.filter((id): id is string => id !== undefined))] : args.added;
  if (checked.length === 0) return [];
  const narrowed = lookupFilterNode({ ctx, source: args.entity, field, target, values });
  const among = { kind: 'in' as const, field: internalField('id'), values: checked, negate: false };
  const fit = new Set((await reader.find(target.name, { filter: andFilters(among, narrowed), sort: [], limit: checked.length })).map((r) => r.id));
  const unfit = checked.filter((id) => !fit.has(id));
  if (unfit.length === 0) return [];
  // Only records the writer may read are said not to fit: another is missing to them (the existence
  // check says so of a new link; a kept one stays, as someone else linked it).
  const scope = ctx.policy.scopeFilter(ctx.principal, target, 'read');
  const existing = new Set((await reader.find(target.name, { filter: andFilters({ ...among, values: unfit }, scope), sort: [], limit: unfit.length })).map((r) => r.id));
  const issues: IssueDetail[] = [];
  args.ids.forEach((id, index) => {
    if (id !== undefined && existing.has(id)) issues.push(localizedDetail({ path: linkPointer(field.name, args.elements, index), code: 'LOOKUP_FILTER', text: lookupFilterMessage(field, target.name) }, ctx.locale));
  });
  return issues;
}
