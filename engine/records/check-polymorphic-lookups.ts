// Polymorphic lookups on a write: each value set or changed must point at an existing record, of
// one of the field's entities, that the caller may read (as for a plain lookup).

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { andFilters, internalField } from '../filter/filter-tree.ts';
import { type IssueDetail, pointer, localizedDetail } from '../kernel/errors.ts';
import type { StoreReader } from '../store/store-port.ts';
import type { RecordValues } from './record-shape.ts';
import type { RequestContext } from './request-context.ts';

export async function checkPolymorphicLookups(args: { entity: CompiledEntity; values: RecordValues; previous?: RecordValues; reader: Pick<StoreReader, 'count'>; ctx: RequestContext }): Promise<IssueDetail[]> {
  const issues: IssueDetail[] = [];
  for (const field of args.entity.fields.values()) {
    if (field.definition.type !== 'polymorphicLookup') continue;
    const value = args.values[field.name] as { entity?: unknown; id?: unknown } | undefined;
    if (typeof value?.entity !== 'string' || typeof value.id !== 'string') continue;
    if (JSON.stringify(value) === JSON.stringify(args.previous?.[field.name])) continue;
    const target = args.ctx.model.entities.get(value.entity);
    const scope = target ? args.ctx.policy.scopeFilter(args.ctx.principal, target, 'read') : undefined;
    const found = target && field.definition.to.includes(value.entity) ? await args.reader.count(target.name, andFilters({ kind: 'compare', field: internalField('id'), op: '$eq', value: value.id }, scope)) : 0;
    if (found === 0) {
      issues.push(localizedDetail({ path: pointer(field.name, 'id'), code: 'LOOKUP_MISSING', text: { en: `refers to a ${value.entity} record that does not exist`, zh: `引用的 ${value.entity} 记录不存在` } }, args.ctx.locale));
    }
  }
  return issues;
}
