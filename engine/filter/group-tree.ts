// filter/group-tree: the typed grouping query — what a user's aggregation JSON becomes after it is
// checked against an entity's fields and the caller's permissions. Stores compile it (to SQL
// GROUP BY, to one MongoDB aggregation pipeline); like the filter tree, nothing downstream sees
// the user's raw JSON.

import type { FilterableField, FilterNode, ScalarValue } from './filter-tree.ts';

/** Calendar buckets of a date or datetime field. Weeks start on Monday (ISO). */
export const dateBuckets = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type DateBucket = (typeof dateBuckets)[number];

/** Measures over the records of a group. count counts records; the others skip absent values. */
export const measureOps = ['count', 'countDistinct', 'sum', 'avg', 'min', 'max'] as const;
export type MeasureOp = (typeof measureOps)[number];

/**
 * One grouping key. Its value per group is the field's value (null when absent), or for a date
 * bucket a label that sorts in time order: day `2024-03-31`, week `2024-03-25` (its Monday),
 * month `2024-03`, quarter `2024-Q1`, year `2024` — in `timeZone` for datetime fields.
 */
export interface GroupKey {
  /** The key's name in each result row (`stage`, `account.industry`), unique among keys and measures. */
  name: string;
  field: FilterableField;
  bucket?: DateBucket;
  /** IANA zone for datetime buckets; date fields are calendar days already and ignore it. */
  timeZone?: string;
}

export interface Measure {
  /** The measure's name in each result row, unique among keys and measures. */
  name: string;
  op: MeasureOp;
  /** The field measured; absent for count. */
  field?: FilterableField;
}

export interface GroupOrder {
  /** A key or measure name. */
  name: string;
  direction: 1 | -1;
}

export interface GroupQuery {
  filter: FilterNode;
  /** No keys: one row over every matching record (when any match, as MongoDB's $group does). */
  keys: readonly GroupKey[];
  measures: readonly Measure[];
  /**
   * A filter over the result rows: its fields are keys and measures, path `[name]` (built with
   * outputField). Applied after grouping, before sort and limit.
   */
  having?: FilterNode;
  /** Sort terms; the keys in order (ascending) always follow as tie-breakers. */
  sort: readonly GroupOrder[];
  /** At most this many rows (top N after sort). */
  limit?: number;
}

export interface GroupRow {
  key: Record<string, ScalarValue>;
  values: Record<string, ScalarValue>;
}

/** What a measure yields, for `having` filters and for checking values downstream. */
export function measureValueType(measure: Measure): FilterableField['valueType'] {
  if (measure.op === 'count' || measure.op === 'countDistinct' || measure.op === 'sum' || measure.op === 'avg') return 'number';
  return measure.field?.valueType ?? 'number';
}

/** The FilterableField through which a `having` filter names a key or measure. */
export function outputField(name: string, valueType: FilterableField['valueType']): FilterableField {
  return { path: [name], valueType, array: false, operators: ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$not'], sortable: true };
}

/** What a key's values are: a bucket label is a string, otherwise the field's own type. */
export function keyValueType(key: GroupKey): FilterableField['valueType'] {
  return key.bucket === undefined ? key.field.valueType : 'string';
}

/**
 * Stores name result columns by position (keys first, then measures), so a name may be any text;
 * `having` and `sort` name them, and this finds the position.
 */
export function outputColumnOf(query: GroupQuery, name: string): number {
  const index = [...query.keys, ...query.measures].findIndex((output) => output.name === name);
  if (index < 0) throw new Error(`"${name}" is neither a key nor a measure of this grouping`);
  return index;
}

/** The having tree with each output name replaced by what `rename` gives (a store's column name). */
export function renameOutputs(node: FilterNode, rename: (name: string) => string): FilterNode {
  switch (node.kind) {
    case 'true':
      return node;
    case 'and':
    case 'or':
      return { kind: node.kind, children: node.children.map((child) => renameOutputs(child, rename)) };
    case 'not':
      return { kind: 'not', child: renameOutputs(node.child, rename) };
    default:
      return { ...node, field: { ...node.field, path: [rename(node.field.path.join('.'))] } };
  }
}

export const groupLimits = { maxKeys: 3, maxMeasures: 12, maxRows: 10_000 } as const;
