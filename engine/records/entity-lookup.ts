// Finding an entity in the request's model, and the one record a caller may act on.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { EntityAction } from '../access/policy.ts';
import { andFilters, internalField } from '../filter/filter-tree.ts';
import { CrmError } from '../kernel/errors.ts';
import type { StoreReader, StoredRecord } from '../store/store-port.ts';
import type { RequestContext } from './request-context.ts';

export function getEntityOrThrow(ctx: RequestContext, name: string): CompiledEntity {
  const entity = ctx.model.entities.get(name);
  if (!entity) throw new CrmError('UNKNOWN_ENTITY', { en: `There is no entity "${name}"`, zh: `不存在实体「${name}」` });
  return entity;
}

/** The record when it exists and lies in the caller's scope for the action; 404 otherwise (never 403: nothing may be inferred). */
export async function getRecordInScopeOrThrow(args: { reader: StoreReader; ctx: RequestContext; entity: CompiledEntity; id: string; action: EntityAction }): Promise<StoredRecord> {
  const { reader, ctx, entity, id, action } = args;
  const scope = ctx.policy.scopeFilter(ctx.principal, entity, action);
  const [found] =
    scope.kind === 'true'
      ? [await reader.get(entity.name, id)].filter((r): r is StoredRecord => r !== undefined)
      : await reader.find(entity.name, { filter: andFilters({ kind: 'compare', field: internalField('id'), op: '$eq', value: id }, scope), sort: [], limit: 1 });
  if (!found) throw new CrmError('NOT_FOUND', { en: `No ${entity.name} record ${id}`, zh: `找不到 ${entity.name} 记录 ${id}` });
  return found;
}
