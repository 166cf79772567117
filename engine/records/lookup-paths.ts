// Lookup paths (`account.industry`, `account.owner.name` — at most two hops) as callers see them:
// resolved for filters, sorts and `fields=` only through lookups, entities and fields the caller
// may read, each hop carrying the caller's read scope on its target, so that a path through a
// record or field they cannot read yields nothing and cannot be filtered on. The stores compile
// the hops (SQL subqueries, MongoDB $lookup); values for `fields=` and keyset cursors are read here.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { andFilters, internalField, type FilterableField, type LookupHop, type ScalarValue } from '../filter/filter-tree.ts';
import type { StoreReader, StoredRecord } from '../store/store-port.ts';
import type { RequestContext } from './request-context.ts';

export const maxLookupHops = 2;

/** A filterable field of `entity` or, failing that, a lookup path from it; undefined when unknown or not readable. */
export function resolveFieldOrPath(ctx: RequestContext, entity: CompiledEntity, dotted: string): FilterableField | undefined {
  const readable = ctx.policy.readableFields(ctx.principal, entity);
  if (readable.has(dotted.split('.')[0]!)) {
    const direct = entity.filterables.get(dotted);
    if (direct) return direct;
  }
  return resolveLookupPath(ctx, entity, dotted);
}

/** `lookupField.rest` through at most two hops; only scalar ends (a path never fans out). */
export function resolveLookupPath(ctx: RequestContext, entity: CompiledEntity, dotted: string, hops: readonly LookupHop[] = []): FilterableField | undefined {
  if (hops.length >= maxLookupHops) return undefined;
  const [head, ...rest] = dotted.split('.');
  if (head === undefined || rest.length === 0) return undefined;
  const target = lookupTarget(ctx, entity, head);
  if (!target) return undefined;
  const via = [...hops, { collection: target.name, localPath: [head], scope: ctx.policy.scopeFilter(ctx.principal, target, 'read') }];
  const remainder = rest.join('.');
  const readable = ctx.policy.readableFields(ctx.principal, target);
  const direct = readable.has(rest[0]!) ? target.filterables.get(remainder) : undefined;
  if (direct && !direct.array) return { ...direct, via };
  return resolveLookupPath(ctx, target, remainder, via);
}

/** The entity a readable lookup field points at, when the caller may read that entity too. */
function lookupTarget(ctx: RequestContext, entity: CompiledEntity, fieldName: string): CompiledEntity | undefined {
  const field = entity.fields.get(fieldName);
  if (field?.definition.type !== 'lookup' || !ctx.policy.readableFields(ctx.principal, entity).has(fieldName)) return undefined;
  const target = ctx.model.entities.get(field.definition.to);
  if (!target) return undefined;
  try {
    ctx.policy.assertEntityAction(ctx.principal, target, 'read');
  } catch {
    return undefined;
  }
  return target;
}

/** The value a (non-path) filterable reads from a stored record. */
export function storedValueAt(row: StoredRecord, path: readonly string[]): ScalarValue {
  if (path.length === 1 && (path[0] === 'id' || path[0] === 'version' || path[0] === 'revision')) return row[path[0]];
  let value: unknown = row.data;
  for (const part of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  return value === undefined || typeof value === 'object' ? null : (value as ScalarValue);
}

/**
 * For each row, the value of each path field (null when any hop yields nothing): one query per hop
 * and chain for the whole page, through the same scopes the filters use.
 */
export async function loadPathValues(reader: StoreReader, rows: readonly StoredRecord[], fields: readonly FilterableField[]): Promise<Map<StoredRecord, ScalarValue[]>> {
  const targetsByChain = new Map<string, Map<string, StoredRecord>>();
  const targetsOf = async (via: readonly LookupHop[]): Promise<Map<string, StoredRecord>> => {
    const key = JSON.stringify(via.map((hop) => [hop.collection, hop.localPath]));
    let targets = targetsByChain.get(key);
    if (targets) return targets;
    const sources = via.length === 1 ? rows : [...(await targetsOf(via.slice(0, -1))).values()];
    const hop = via[via.length - 1]!;
    const ids = [...new Set(sources.map((row) => storedValueAt(row, hop.localPath)).filter((id): id is string => typeof id === 'string'))];
    const found = ids.length === 0 ? [] : await reader.find(hop.collection, { filter: andFilters({ kind: 'in', field: internalField('id'), values: ids, negate: false }, hop.scope), sort: [], limit: ids.length });
    targets = new Map(found.map((row) => [row.id, row]));
    targetsByChain.set(key, targets);
    return targets;
  };
  const out = new Map<StoredRecord, ScalarValue[]>(rows.map((row) => [row, []]));
  for (const field of fields) {
    const via = field.via ?? [];
    const chainTargets: Map<string, StoredRecord>[] = [];
    for (let index = 0; index < via.length; index += 1) chainTargets.push(await targetsOf(via.slice(0, index + 1)));
    for (const row of rows) {
      let current: StoredRecord | undefined = row;
      for (const [index, hop] of via.entries()) {
        const id: ScalarValue = current ? storedValueAt(current, hop.localPath) : null;
        current = typeof id === 'string' ? chainTargets[index]!.get(id) : undefined;
      }
      out.get(row)!.push(current ? storedValueAt(current, field.path) : null);
    }
  }
  return out;
}
