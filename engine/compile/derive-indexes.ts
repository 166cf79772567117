// The indexes an entity's metadata asks for: unique fields, lookups, fields marked `index`, the
// entity's declared indexes, and the equality-filter and sort fields of its views.

import type { EntityDefinition } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import type { IndexSpec } from '../store/store-port.ts';

type Key = { path: readonly string[]; direction: 1 | -1 };

const keyOf = (field: string): Key => {
  const descending = field.startsWith('-');
  return { path: field.replace(/^[-+]/, '').split('.'), direction: descending ? -1 : 1 };
};

export function deriveIndexes(entity: EntityDefinition, set: MetadataSet): IndexSpec[] {
  const specs = new Map<string, IndexSpec>();
  const add = (spec: IndexSpec): void => {
    const signature = JSON.stringify([spec.keys, spec.unique]);
    if (![...specs.values()].some((s) => JSON.stringify([s.keys, s.unique]) === signature)) specs.set(spec.name, spec);
  };
  for (const [name, field] of Object.entries(entity.fields)) {
    // Autonumbers are unique by construction; the index makes the store hold that too.
    if (('unique' in field && field.unique) || field.type === 'autonumber') add({ name: `u_${name}`, keys: [keyOf(name)], unique: true });
    if (field.type === 'lookup' || field.type === 'user' || ('index' in field && field.index)) add({ name: `i_${name}`, keys: [keyOf(name)], unique: false });
    if (field.type === 'polymorphicLookup') add({ name: `i_${name}`, keys: [{ path: [name, 'id'], direction: 1 }], unique: false });
  }
  for (const [name, index] of Object.entries(entity.indexes ?? {})) {
    add({ name: `x_${name}`, keys: index.fields.map(keyOf), unique: index.unique ?? false });
  }
  for (const view of set.list('view')) {
    if (view['entity'] === entity.name) {
      const keys = [...equalityFields(view['filter']), ...sortFields(view['sort'])]
        .filter((key) => key.path.length === 1 || entity.fields[key.path[0]!]?.type !== 'lookup')
        .filter((key) => isIndexable(entity, key.path[0]!))
        .slice(0, 5);
      if (keys.length > 0) add({ name: `v_${view.name}`, keys, unique: false });
    }
    // A view elsewhere filtering through a lookup to this entity (`account.industry` on deals)
    // runs as a semi-join: the target's field needs the index (the lookup field has its own).
    const source = set.entity(String(view['entity']));
    for (const key of source ? equalityFields(view['filter']) : []) {
      const lookup = source!.fields[key.path[0]!];
      if (key.path.length === 2 && lookup?.type === 'lookup' && lookup.to === entity.name && isIndexable(entity, key.path[1]!)) {
        add({ name: `p_${view.name}_${key.path[1]}`, keys: [{ path: [key.path[1]!], direction: 1 }], unique: false });
      }
    }
  }
  return [...specs.values()];
}

function isIndexable(entity: EntityDefinition, field: string): boolean {
  const definition = entity.fields[field];
  return definition ? definition.type !== 'multipicklist' : ['createdAt', 'updatedAt', 'owner', 'createdBy'].includes(field);
}

/** Top-level fields a view filters on by equality (or $in): they lead the index. */
function equalityFields(filter: unknown): Key[] {
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) return [];
  return Object.entries(filter)
    .filter(([key, value]) => !key.startsWith('$') && (typeof value !== 'object' || value === null || '$eq' in value || '$in' in value))
    .map(([key]) => keyOf(key));
}

function sortFields(sort: unknown): Key[] {
  return typeof sort === 'string' ? sort.split(',').filter(Boolean).map((s) => keyOf(s.trim())) : [];
}
