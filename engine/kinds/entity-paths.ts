// How other kinds see an entity's fields at check time, before anything is compiled: the
// filterable paths its field types declare (`amount`, `address.city`), paths through lookups
// (`account.name`, at most two hops), and expressions checked against those fields.

import { compileExpression, type CompiledExpression } from '../expressions/compile-expression.ts';
import { getFieldType } from '../fields/registry.ts';
import { systemFields, systemFieldNames } from '../fields/system-fields.ts';
import type { FilterableField } from '../filter/filter-tree.ts';
import type { IssueDetail } from '../kernel/errors.ts';
import type { EntityDefinition, FieldDefinition } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';

const filterablesCache = new WeakMap<EntityDefinition, Map<string, FilterableField>>();

/** Dotted path → filterable, as compile derives them (system fields included). */
export function entityFilterables(entity: EntityDefinition): Map<string, FilterableField> {
  let found = filterablesCache.get(entity);
  if (found) return found;
  found = new Map(systemFields.map((f) => [f.name, f.filterable]));
  for (const [name, def] of Object.entries(entity.fields)) {
    for (const f of getFieldType(def.type).filterables(def as never, name)) found.set(f.path.join('.'), f);
  }
  filterablesCache.set(entity, found);
  return found;
}

/** The entity a field points to, when its type holds a reference. */
export function referenceTargetOf(field: FieldDefinition | undefined): string | undefined {
  return field ? getFieldType(field.type).referenceTarget?.(field as never) : undefined;
}

export function hasField(entity: EntityDefinition, name: string): boolean {
  return Object.hasOwn(entity.fields, name) || systemFieldNames.has(name);
}

/** A path of the entity, or through up to `hops` lookups; undefined when it names nothing. */
export function resolveEntityPath(set: MetadataSet, entity: EntityDefinition, path: string, hops = 2): FilterableField | undefined {
  const direct = entityFilterables(entity).get(path);
  if (direct) return direct;
  const dot = path.indexOf('.');
  if (dot < 0 || hops === 0) return undefined;
  const target = referenceTargetOf(entity.fields[path.slice(0, dot)]);
  const targetEntity = target === undefined ? undefined : set.entity(target);
  if (!targetEntity) return undefined;
  const rest = resolveEntityPath(set, targetEntity, path.slice(dot + 1), hops - 1);
  return rest && { ...rest, path: [path.slice(0, dot), ...rest.path] };
}

/** Whether a path names something a record shows (a column, a card field): filterable or not. */
export function isEntityPath(set: MetadataSet, entity: EntityDefinition, path: string, hops = 2): boolean {
  if (resolveEntityPath(set, entity, path, hops)) return true;
  const dot = path.indexOf('.');
  if (dot < 0) return hasField(entity, path);
  const target = referenceTargetOf(entity.fields[path.slice(0, dot)]);
  const targetEntity = target === undefined ? undefined : set.entity(target);
  return hops > 0 && targetEntity !== undefined && isEntityPath(set, targetEntity, path.slice(dot + 1), hops - 1);
}

/**
 * An expression over one record of `entity`: it must parse within the allow-list, read only the
 * entity's fields, and — until formulas can read through lookups — not read through one (it would
 * silently see the record id, not the target's field).
 */
export function checkRecordExpression(entity: EntityDefinition | undefined, source: string | undefined, path: string, options: { throughLookups?: boolean } = {}): IssueDetail[] {
  if (source === undefined) return [];
  const { expression, issues } = compileExpression(source, path);
  if (!expression || !entity) return issues;
  const found: IssueDetail[] = [];
  for (const name of expression.rootReferences) {
    if (!hasField(entity, name)) found.push({ path, code: 'META_UNKNOWN_FIELD', message: `refers to "${name}", which is not a field of ${entity.name}` });
  }
  return options.throughLookups ? found : [...found, ...checkLookupPaths(entity, expression, path)];
}

/** Reading through a lookup would silently see the target's id, not its field: refused until supported. */
export function checkLookupPaths(entity: EntityDefinition, expression: CompiledExpression, path: string): IssueDetail[] {
  const found: IssueDetail[] = [];
  for (const dotted of expression.rootPaths) {
    const [root, next] = dotted.split('.');
    if (next !== undefined && referenceTargetOf(entity.fields[root!]) !== undefined) {
      found.push({ path, code: 'META_LOOKUP_PATH', message: `reads "${dotted}" through the lookup "${root}": expressions see only the record's own fields (the lookup holds the target's id)` });
    }
  }
  return found;
}
