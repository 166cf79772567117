// The indexes an entity's metadata asks for: unique fields, lookups, fields marked `index`, the
// entity's declared indexes, the equality-filter and sort fields of its views, and what the
// widgets of dashboards group, filter and measure.

import type { DateBucket } from '../filter/group-tree.ts';
import type { EntityDefinition } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import type { IndexSpec } from '../store/store-port.ts';

type Key = { path: readonly string[]; direction: 1 | -1; bucket?: DateBucket };

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
  // Records that carry teams are found by the team scope's $or: owner, or one of the teams.
  if (entity.recordTeams === true) {
    add({ name: 'i_owner', keys: [keyOf('owner')], unique: false });
    add({ name: 'i_teams', keys: [keyOf('teams')], unique: false, elements: true });
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
  for (const dashboard of set.list('dashboard')) {
    for (const [name, widget] of Object.entries((dashboard['widgets'] ?? {}) as Record<string, Record<string, unknown>>)) {
      if (widget['entity'] !== entity.name) continue;
      const keys = widgetIndexKeys(entity, set, dashboard, widget);
      if (keys.length > 0) add({ name: `d_${String(dashboard['name'])}_${name}`, keys, unique: false });
    }
  }
  return [...specs.values()];
}

/**
 * A widget's covering index: what it groups by (date buckets as group() computes them), the
 * fields its own filter and the dashboard's filters test, what it measures, and the owner (the
 * scope of viewers who see their own or their team's records) — so the widget's GROUP BY reads
 * the index alone, not every record's document. A table widget gets a view's index (equality
 * filter, then sort).
 */
function widgetIndexKeys(entity: EntityDefinition, set: MetadataSet, dashboard: Record<string, unknown>, widget: Record<string, unknown>): Key[] {
  const plain = (path: string | undefined): Key[] => (path !== undefined && !path.includes('.') && isIndexable(entity, path) ? [keyOf(path)] : []);
  if (widget['type'] === 'table') return [...equalityFields(widget['filter']), ...sortFields(widget['sort'])].filter((key) => key.path.length === 1 && isIndexable(entity, key.path[0]!)).slice(0, 5);
  if (widget['type'] === 'sla') return [];
  const groupKey = (definition: unknown): Key[] => {
    if (typeof definition === 'string') return plain(definition);
    if (!definition || typeof definition !== 'object') return [];
    const { field, bucket } = definition as { field?: string; bucket?: DateBucket };
    if (!bucket || field === undefined) return plain(field);
    // A date's bucket is the same text in every zone; a datetime's only in UTC (other zones convert first).
    const type = entity.fields[field]?.type ?? (['createdAt', 'updatedAt'].includes(field) ? 'datetime' : undefined);
    return plain(field).map((key) => (type === 'date' ? { ...key, bucket } : key));
  };
  const workflow = widget['type'] === 'funnel' ? set.get('workflow', String(widget['workflow'])) : undefined;
  const dashboardFilters = Object.values((dashboard['filters'] ?? {}) as Record<string, { type?: string; fields?: Record<string, string> }>);
  const fieldsOf = (type: string) => dashboardFilters.filter((filter) => (filter.type === 'dateRange') === (type === 'dateRange')).flatMap((filter) => plain(filter.fields?.[entity.name]));
  // Equality tests lead (a search), then the group keys in order (SQLite then groups while it
  // walks the index, with no sort), then the dashboard's date range.
  const keys: Key[] = [
    ...equalityFields(widget['filter']).filter((key) => key.path.length === 1 && isIndexable(entity, key.path[0]!)),
    ...groupKey(widget['groupBy']), ...groupKey(widget['series']), ...groupKey(widget['rows']), ...groupKey(widget['columns']),
    ...(workflow ? plain(workflow['field'] as string | undefined) : []),
    ...fieldsOf('dateRange'),
    ...[...filterFields(widget['filter']), ...filterFields((widget['ratio'] as { filter?: unknown } | undefined)?.filter)].filter((key) => isIndexable(entity, key.path[0]!)),
    ...fieldsOf('picklist'),
    ...plain((widget['measure'] as { field?: string } | undefined)?.field),
    ...plain('owner'),
  ];
  const seen = new Set<string>();
  return keys.filter((key) => {
    const signature = JSON.stringify([key.path, key.bucket ?? null]);
    if (seen.has(signature)) return false;
    seen.add(signature);
    return true;
  }).slice(0, 10);
}

/** Every top-level field a filter tests, through $and/$or/$nor. */
function filterFields(filter: unknown): Key[] {
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) return [];
  return Object.entries(filter).flatMap(([key, value]) => {
    if (key === '$and' || key === '$or' || key === '$nor') return Array.isArray(value) ? value.flatMap(filterFields) : [];
    return key.startsWith('$') || key.includes('.') ? [] : [keyOf(key)];
  });
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
