// store/mongodb/compile-filter-mongo: the filter tree as a MongoDB query. The query is built from
// the tree's checked parts only — operators from a fixed list, field names from validated paths,
// scalar values — so a user's JSON never reaches the server. MongoDB's own semantics are the
// reference the SQLite adapter imitates, so this mapping is one-to-one; `not` becomes `$nor`,
// which, unlike field-level `$not`, negates any expression.

import type { Filter } from 'mongodb';
import type { FilterNode } from '../../filter/filter-tree.ts';
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
      return { [mongoFieldName(node.field.path)]: { [node.op]: node.value } };
    case 'in':
      return { [mongoFieldName(node.field.path)]: { [node.negate ? '$nin' : '$in']: [...node.values] } };
    case 'exists':
      return { [mongoFieldName(node.field.path)]: { $exists: node.exists } };
    case 'regex':
      return { [mongoFieldName(node.field.path)]: { $regex: node.pattern, $options: node.flags } };
  }
}
