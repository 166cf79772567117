// store/mongodb/compile-order-mongo: sort specification and the keyset condition "strictly after
// this row" as MongoDB queries. MongoDB sorts absent/null first ascending and last descending; the
// keyset condition spells that out, since `$gt: null` means something else.

import type { Sort } from 'mongodb';
import type { KeysetPosition, ScalarValue, SortKey } from '../../filter/filter-tree.ts';
import { CrmError } from '../../kernel/errors.ts';
import { matchNothing, mongoFieldOf, type RecordFilter } from './compile-filter-mongo.ts';

interface OrderTerm {
  field: string;
  direction: 1 | -1;
}

/** Sort keys then `_id` ascending; a field sorted twice keeps its first direction, as in SQL. */
export function orderTerms(sort: readonly SortKey[]): OrderTerm[] {
  return [...sort.map((key) => ({ field: mongoFieldOf(key.field), direction: key.direction })), { field: '_id', direction: 1 }];
}

export function compileSortMongo(sort: readonly SortKey[]): Sort {
  const spec: Record<string, 1 | -1> = {};
  for (const term of orderTerms(sort)) if (!(term.field in spec)) spec[term.field] = term.direction;
  return spec;
}

export function compileKeysetAfterMongo(sort: readonly SortKey[], after: KeysetPosition): RecordFilter {
  if (after.values.length !== sort.length) {
    throw new CrmError('INVALID_QUERY', 'The cursor does not match the sort', [{ path: '/cursor', message: 'the cursor belongs to a different sort' }]);
  }
  const terms = orderTerms(sort);
  const values: ScalarValue[] = [...after.values, after.id];
  const alternatives: RecordFilter[] = [];
  for (let i = 0; i < terms.length; i += 1) {
    const beyond = strictlyBeyond(terms[i]!, values[i] ?? null);
    if (beyond === undefined) continue;
    const equalities = terms.slice(0, i).map((term, j): RecordFilter => ({ [term.field]: { $eq: values[j] ?? null } }));
    alternatives.push(equalities.length === 0 ? beyond : { $and: [...equalities, beyond] });
  }
  return alternatives.length === 0 ? matchNothing : { $or: alternatives };
}

function strictlyBeyond(term: OrderTerm, value: ScalarValue): RecordFilter | undefined {
  const { field, direction } = term;
  if (value === null) return direction === 1 ? { [field]: { $ne: null } } : undefined;
  if (direction === 1) return { [field]: { $gt: value } };
  return { $or: [{ [field]: { $lt: value } }, { [field]: { $eq: null } }] };
}
