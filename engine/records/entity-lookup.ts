// Finding an entity in the request's model, and the one record a caller may act on.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { EntityAction } from '../access/policy.ts';
import { andFilters, internalField } from '../filter/filter-tree.ts';
import { CrmError } from '../kernel/errors.ts';
import { labelsOf } from '../kernel/i18n.ts';
import { after, type MaybePromise } from '../kernel/maybe-promise.ts';
import { findNow, getNow, type StoreReader, type StoredRecord } from '../store/store-port.ts';
import type { RequestContext } from './request-context.ts';

export function getEntityOrThrow(ctx: RequestContext, name: string): CompiledEntity {
  const entity = ctx.model.entities.get(name);
  if (!entity) throw new CrmError('UNKNOWN_ENTITY', { en: `There is no entity "${name}"`, zh: `不存在实体「${name}」` });
  return entity;
}

/** The record when it exists and lies in the caller's scope for the action. Without a promise when the reader answers at once. */
export function findRecordInScope(args: { reader: StoreReader; ctx: RequestContext; entity: CompiledEntity; id: string; action: EntityAction }): MaybePromise<StoredRecord | undefined> {
  const { reader, ctx, entity, id, action } = args;
  const scope = ctx.policy.scopeFilter(ctx.principal, entity, action);
  return scope.kind === 'true'
    ? getNow(reader, entity.name, id)
    : after(findNow(reader, entity.name, { filter: andFilters({ kind: 'compare', field: internalField('id'), op: '$eq', value: id }, scope), sort: [], limit: 1 }), (rows) => rows[0]);
}

/** A 404 naming the entity as its users know it (its label in each language), not by its code. */
export function recordNotFound(entity: CompiledEntity, id: string): CrmError {
  const named = labelsOf(entity.definition.label, entity.name);
  return new CrmError('NOT_FOUND', { en: `No ${named.en} record ${id}`, zh: `找不到${named.zh}记录 ${id}` });
}
