// store/mongodb/compile-filter-mongo: the filter tree as a MongoDB query. The query is built from
// the tree's checked parts only — operators from a fixed list, field names from validated paths,
// scalar values — so a user's JSON never reaches the server. MongoDB's own semantics are the
// reference the SQLite adapter imitates, so this mapping is one-to-one; `not` becomes `$nor`,
// which, unlike field-level `$not`, negates any expression.

import type { Filter } from 'mongodb';
import type { FilterableField, FilterNode, LookupHop } from '../../filter/filter-tree.ts';
import { assertDocumentPath, systemColumnOf } from '../store-names.ts';

/** How records are kept: system values at the top, the document under `doc`, ids as strings. */
export interface RecordDocument {
  _id: string;
  version: number;
  revision: number;
  doc: Record<string, unknown>;
}

export type RecordFilter = Filter<RecordDocument>;

/** The stored field a path names: `_id`, `version`, `revision` or `doc.<path>`. */
export function mongoFieldName(path: readonly string[]): string {
  const column = systemColumnOf(path);
  if (column === 'id') return '_id';
  if (column !== undefined) return column;
  assertDocumentPath(path);
  return `doc.${path.join('.')}`;
}

/**
 * Where a pipeline's `$lookup` stage puts the target of a lookup path (one per chain of hops):
 * `_via_account`, `_via_account__region`. Field names are identifiers, so no two chains collide.
 */
export function viaAlias(hops: readonly LookupHop[]): string {
  return `_via_${hops.map((hop) => hop.localPath.join('_')).join('__')}`;
}

/** The stored field a filterable names; through a lookup path, inside the joined target. */
export function mongoFieldOf(field: Pick<FilterableField, 'path' | 'via'>): string {
  return field.via?.length ? `${viaAlias(field.via)}.${mongoFieldName(field.path)}` : mongoFieldName(field.path);
}

/**
 * An element of a list holding plain values or objects (links with attributes) matches: either
 * the element itself or its `key` property (MongoDB reaches into array elements by the dotted path).
 */
function elementMatches(field: FilterableField, key: string, condition: Record<string, unknown>): RecordFilter {
  const name = mongoFieldOf(field);
  return { $or: [{ [name]: condition }, { [`${name}.${key}`]: condition }] };
}

/** Matches nothing: `$or` may not be empty. */
export const matchNothing: RecordFilter = { _id: { $in: [] } };

export function compileFilterMongo(node: FilterNode): RecordFilter {
  switch (node.kind) {
    case 'true':
      return {};
    case 'and':
      return node.children.length === 0 ? {} : { $and: node.children.map(compileFilterMongo) };
    case 'or':
      return node.children.length === 0 ? matchNothing : { $or: node.children.map(compileFilterMongo) };
    case 'not':
      return { $nor: [compileFilterMongo(node.child)] };
    case 'compare':
      if (node.field.elementKey !== undefined && node.value !== null) {
        const equal = elementMatches(node.field, node.field.elementKey, { $eq: node.value });
        if (node.op === '$eq') return equal;
        if (node.op === '$ne') return { $nor: [equal] };
        return elementMatches(node.field, node.field.elementKey, { [node.op]: node.value });
      }
      return { [mongoFieldOf(node.field)]: { [node.op]: node.value } };
    case 'in':
      if (node.field.elementKey !== undefined) {
        const values = node.values.filter((v) => v !== null);
        const parts = [elementMatches(node.field, node.field.elementKey, { $in: values }), ...(values.length < node.values.length ? [{ [mongoFieldOf(node.field)]: null }] : [])];
        const matches: RecordFilter = parts.length === 1 ? parts[0]! : { $or: parts };
        return node.negate ? { $nor: [matches] } : matches;
      }
      return { [mongoFieldOf(node.field)]: { [node.negate ? '$nin' : '$in']: [...node.values] } };
    case 'exists':
      return { [mongoFieldOf(node.field)]: { $exists: node.exists } };
    case 'regex':
      return { [mongoFieldOf(node.field)]: { $regex: node.pattern, $options: node.flags } };
  }
}
