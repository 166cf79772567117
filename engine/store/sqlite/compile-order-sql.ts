// store/sqlite/compile-order-sql: ORDER BY and the keyset condition "strictly after this row".
// Sort order is MongoDB's: absent/null values come first ascending and last descending (SQLite's
// own NULL placement), and `id` ascending breaks every tie so the order is total.

import type { KeysetPosition, SortKey } from '../../filter/filter-tree.ts';
import { CrmError } from '../../kernel/errors.ts';
import { fieldValueExpression } from './compile-filter-sql.ts';
import { bindValue, joinSql, sql, type Sql } from './sql-fragments.ts';

interface OrderTerm {
  expression: string;
  direction: 1 | -1;
}

/** The sort keys followed by `id` ascending. */
export function orderTerms(sort: readonly SortKey[]): OrderTerm[] {
  return [...sort.map((key) => ({ expression: fieldValueExpression(key.field), direction: key.direction })), { expression: 'id', direction: 1 }];
}

export function compileOrderBy(sort: readonly SortKey[]): string {
  return orderTerms(sort)
    .map((term) => `${term.expression} ${term.direction === 1 ? 'ASC' : 'DESC'}`)
    .join(', ');
}

/**
 * Rows strictly after `after` in the order above: for some key i, every earlier key equals the
 * position's value and key i lies beyond it. NULL placement is decided here, in JavaScript, because
 * the position's values are known while compiling.
 */
export function compileKeysetAfter(sort: readonly SortKey[], after: KeysetPosition): Sql {
  if (after.values.length !== sort.length) {
    throw new CrmError('INVALID_QUERY', 'The cursor does not match the sort', [{ path: '/cursor', message: 'the cursor belongs to a different sort' }]);
  }
  const terms = orderTerms(sort);
  const values = [...after.values, after.id];
  const alternatives: Sql[] = [];
  for (let i = 0; i < terms.length; i += 1) {
    const beyond = strictlyBeyond(terms[i]!, values[i] ?? null);
    if (beyond === undefined) continue;
    const equalities = terms.slice(0, i).map((term, j) => sql(`${term.expression} IS ?`, [bindValue(values[j] ?? null)]));
    alternatives.push(joinSql([...equalities, beyond], ' AND '));
  }
  if (alternatives.length === 0) return sql('0');
  const joined = joinSql(alternatives.map((part) => sql(`(${part.text})`, part.params)), ' OR ');
  return sql(`(${joined.text})`, joined.params);
}

/** Values after `value` in the term's direction; undefined when nothing can be (null, descending). */
function strictlyBeyond(term: OrderTerm, value: string | number | boolean | null): Sql | undefined {
  const { expression, direction } = term;
  if (value === null) return direction === 1 ? sql(`${expression} IS NOT NULL`) : undefined;
  if (direction === 1) return sql(`${expression} > ?`, [bindValue(value)]);
  return sql(`(${expression} < ? OR ${expression} IS NULL)`, [bindValue(value)]);
}
