// filter/: the typed filter tree — what a user's JSON query becomes after it is parsed and checked
// against an entity's fields and the caller's permissions. Stores compile this tree (to SQL, to a
// MongoDB query); nothing downstream ever sees the user's raw JSON.

/** A value a filter compares with. Dates and datetimes travel as ISO strings. */
export type ScalarValue = string | number | boolean | null;

/** How a field's values compare, decided by its field type. */
export type ValueType = 'string' | 'number' | 'boolean' | 'date' | 'datetime';

/** The operators a user may write. Anything else is refused. */
export const comparisonOperators = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte'] as const;
export const filterOperators = [
  ...comparisonOperators,
  '$in',
  '$nin',
  '$exists',
  '$regex',
  '$not',
] as const;
export type ComparisonOperator = (typeof comparisonOperators)[number];
export type FilterOperator = (typeof filterOperators)[number];

/**
 * One step of a lookup path (`account.industry`): the stored id at `localPath` of the current
 * document names a document of `collection`, which counts only when it passes `scope` (the
 * caller's read scope on the target — a record the caller cannot read yields nothing).
 */
export interface LookupHop {
  collection: string;
  localPath: readonly string[];
  scope: FilterNode;
}

/**
 * What a filter or sort may refer to: a stored field (or a part of a composite field).
 * `path` is the location in the stored document: `['amount']`, `['address', 'city']`.
 * `id`, `version` and `revision` are columns, not document properties; stores map them.
 * With `via`, `path` lies in the document reached through those lookups (at most two hops): the
 * value is absent when a hop's id is absent, dangling or out of scope — a left join.
 */
export interface FilterableField {
  via?: readonly LookupHop[];
  path: readonly string[];
  valueType: ValueType;
  /** True for multi-valued fields (multipicklist): operators match any element. */
  array: boolean;
  /**
   * For a multi-valued field whose elements may be objects (a multiLookup with link attributes:
   * `{ id, role }`): operators compare this property of an object element; a plain element
   * compares itself. Presence tests (`$exists`, null) still test the field.
   */
  elementKey?: string;
  /** Operators this field accepts (a subset of filterOperators). */
  operators: readonly FilterOperator[];
  /** Whether the field may be sorted on. */
  sortable: boolean;
}

/** Finds a filterable field by its dotted path (`amount`, `address.city`); undefined when unknown or not permitted. */
export type FieldResolver = (dottedPath: string) => FilterableField | undefined;

/**
 * A validated filter. Stored documents never hold `null`: absent and null are the same thing, so
 * `$eq: null` means "absent" and `$exists: true` means "present".
 * Semantics follow MongoDB's query language (mingo is the reference in differential tests):
 * comparisons on an absent field are false; `$ne`/`$nin`/`not` match absent fields.
 */
export type FilterNode =
  | { kind: 'true' }
  | { kind: 'and'; children: readonly FilterNode[] }
  | { kind: 'or'; children: readonly FilterNode[] }
  /** Logical negation: matches exactly the records the child does not match. */
  | { kind: 'not'; child: FilterNode }
  | { kind: 'compare'; field: FilterableField; op: ComparisonOperator; value: ScalarValue }
  | { kind: 'in'; field: FilterableField; values: readonly ScalarValue[]; negate: boolean }
  | { kind: 'exists'; field: FilterableField; exists: boolean }
  | { kind: 'regex'; field: FilterableField; pattern: string; flags: string };

export interface SortKey {
  field: FilterableField;
  direction: 1 | -1;
}

/** The position after which the next page starts: the last row's sort values, then its id. */
export interface KeysetPosition {
  values: readonly ScalarValue[];
  id: string;
}

export const matchAll: FilterNode = Object.freeze({ kind: 'true' });

/** Combine filters with AND, dropping trivially true parts. */
export function andFilters(...nodes: (FilterNode | undefined)[]): FilterNode {
  const parts = nodes.filter((n): n is FilterNode => n !== undefined && n.kind !== 'true');
  if (parts.length === 0) return matchAll;
  if (parts.length === 1) return parts[0]!;
  return { kind: 'and', children: parts };
}

/** System columns every stored record has. */
export const systemColumns = ['id', 'version', 'revision'] as const;

/** Builds a FilterableField for engine-internal queries on system collections. */
export function internalField(path: string | readonly string[], valueType: ValueType = 'string', array = false): FilterableField {
  return {
    path: typeof path === 'string' ? path.split('.') : path,
    valueType,
    array,
    operators: ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$regex', '$not'],
    sortable: !array,
  };
}

/** Shorthand for engine-internal equality filters: `where({ entity: 'x', recordId: id })`. */
export function where(equalities: Record<string, ScalarValue>): FilterNode {
  return andFilters(
    ...Object.entries(equalities).map(
      ([path, value]): FilterNode => ({ kind: 'compare', field: internalField(path, typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string'), op: '$eq', value }),
    ),
  );
}
