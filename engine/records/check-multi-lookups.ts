// multiLookup links on a write: each id newly linked must point at an existing record of the
// field's entity that the caller may read (as for a plain lookup); links kept from before are not
// checked again (a record the caller cannot see may stay linked, as someone else linked it).

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { linkId, linkIds } from '../fields/link-values.ts';
import { andFilters, internalField } from '../filter/filter-tree.ts';
import { type IssueDetail, pointer, localizedDetail } from '../kernel/errors.ts';
import type { StoreReader } from '../store/store-port.ts';
import type { RecordValues } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';

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
    if (added.length === 0) continue;
    const target = args.ctx.model.entities.get(def.to);
    const scope = target ? args.ctx.policy.scopeFilter(args.ctx.principal, target, 'read') : undefined;
    const found = target ? await args.reader.find(target.name, { filter: andFilters({ kind: 'in', field: internalField('id'), values: added, negate: false }, scope), sort: [], limit: added.length }) : [];
    const present = new Set(found.map((r) => r.id));
    ids.forEach((id, index) => {
      if (id !== undefined && added.includes(id) && !present.has(id)) {
        issues.push(localizedDetail({ path: typeof elements[index] === 'string' ? pointer(field.name, index) : pointer(field.name, index, 'id'), code: 'LOOKUP_MISSING', text: { en: `refers to a ${def.to} record that does not exist`, zh: `引用的 ${def.to} 记录不存在` } }, args.ctx.locale));
      }
    });
  }
  return issues;
}
