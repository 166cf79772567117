// store/sqlite/compile-filter-sql: the filter tree as a SQL condition with bound parameters, with
// MongoDB's semantics: absent equals null, comparisons only match values of the compared type,
// $ne/$nin/not match absent fields, and multi-valued fields match when any element does.
//
// Positive leaves may evaluate to NULL on absent fields; in a WHERE clause made only of AND and OR
// that reads as "no match", which is what MongoDB means. Negation is where SQL's three-valued logic
// would go wrong, so `not` wraps its child in IFNULL(…, 0) and becomes a plain true/false.

import type { ComparisonOperator, FilterableField, FilterNode, LookupHop, ScalarValue } from '../../filter/filter-tree.ts';
import { CrmError } from '../../kernel/errors.ts';
import { bindValue, joinSql, jsonPathLiteral, jsonTypeExpression, quoteName, sql, valueExpression, type Sql } from './sql-fragments.ts';
import { tableNameOf } from './table-names.ts';

/** The deterministic SQL function the adapter registers to run JavaScript regular expressions. */
export const regexpFunctionName = 'crm_regexp';

const always = sql('1');
const never = sql('0');

/** How a path reads in SQL: its value and its type (NULL when absent). */
export type ColumnReader = (path: readonly string[]) => { value: string; type: string };

const documentReader: ColumnReader = (path) => ({ value: valueExpression(path), type: jsonTypeExpression(path) });

/** The filter as a SQL condition; `read` maps paths to columns (the document's by default, result columns for HAVING). */
export function compileFilterSql(node: FilterNode, read: ColumnReader = documentReader): Sql {
  const recurse = (child: FilterNode): Sql => compileFilterSql(child, read);
  switch (node.kind) {
    case 'true':
      return always;
    case 'and':
      return node.children.length === 0 ? always : wrapEach(node.children.map(recurse), ' AND ');
    case 'or':
      return node.children.length === 0 ? never : wrapEach(node.children.map(recurse), ' OR ');
    case 'not':
      return negate(recurse(node.child));
    default: {
      // Lookup paths only occur in document filters (never in HAVING over result columns).
      if (node.field.via?.length) {
        if (matchesOnlyPresent(node)) return semiJoin(node, node.field.via);
        if (node.field.array) throw new CrmError('INTERNAL', 'A lookup path cannot end at a multi-valued field');
        const value = fieldValueExpression(node.field);
        return scalarLeaf(node, value, value);
      }
      if (node.field.array) return arrayLeaf(node);
      const column = read(node.field.path);
      return scalarLeaf(node, column.value, column.type);
    }
  }
}

/**
 * A leaf that can only hold on a present value (equality, ranges, $in without null, regex,
 * $exists: true) holds exactly when the key is among the in-scope targets where it holds: a
 * semi-join, which walks the lookup's index and an index on the target field instead of
 * evaluating the path for every row.
 */
function matchesOnlyPresent(node: Leaf): boolean {
  switch (node.kind) {
    case 'compare':
      return node.value !== null && node.op !== '$ne';
    case 'in':
      return !node.negate && node.values.length > 0 && !node.values.includes(null);
    case 'exists':
      return node.exists;
    case 'regex':
      return true;
  }
}

function semiJoin(node: Leaf, via: readonly LookupHop[]): Sql {
  const [hop, ...rest] = via;
  const onTarget = compileFilterSql({ ...node, field: { ...node.field, via: rest } } as FilterNode);
  const scope = compileFilterSql(hop!.scope);
  return sql(
    `${valueExpression(hop!.localPath)} IN (SELECT id FROM ${quoteName(tableNameOf(hop!.collection))} WHERE (${onTarget.text}) AND (${scope.text}))`,
    [...onTarget.params, ...scope.params],
  );
}

/** How SQL reads a filterable field's value: a document path, or the end of a lookup path. */
export function fieldValueExpression(field: Pick<FilterableField, 'path' | 'via'>): string {
  return field.via?.length ? lookupPathExpression(field.via, field.path, valueExpression) : valueExpression(field.path);
}

/**
 * A lookup path as one correlated scalar subquery per hop: the target row whose id equals the
 * current row's key and which passes the caller's scope, else NULL (a left join). The target is
 * wrapped in a derived table exposing only `k` and `v`, so an unqualified `doc` in the key
 * resolves to the row one level out — no aliases to thread through. The scope is inlined as
 * literals so the expression stays plain text, usable in ORDER BY and keyset conditions alike.
 */
function lookupPathExpression(hops: readonly LookupHop[], path: readonly string[], keyExpression: (path: readonly string[]) => string): string {
  const [hop, ...rest] = hops;
  if (hop === undefined) return valueExpression(path);
  const inner = rest.length === 0 ? valueExpression(path) : lookupPathExpression(rest, path, valueExpression);
  const scope = inlineParams(compileFilterSql(hop.scope));
  const target = `SELECT id AS k, ${inner} AS v FROM ${quoteName(tableNameOf(hop.collection))} WHERE ${scope}`;
  return `(SELECT v FROM (${target}) WHERE k = ${keyExpression(hop.localPath)})`;
}

/** Generated SQL text holds `?` only as placeholders (paths are identifiers), so each takes its literal in turn. */
function inlineParams(fragment: Sql): string {
  let index = 0;
  return fragment.text.replace(/\?/g, () => literal(fragment.params[index++] ?? null));
}

function literal(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CrmError('INTERNAL', 'A scope value is not a finite number');
    return String(value);
  }
  return `'${value.replace(/'/g, "''")}'`;
}

type Leaf = Extract<FilterNode, { field: FilterableField }>;

/** A leaf on a single-valued field; `value` is the SQL expression of the field's value. */
function scalarLeaf(node: Leaf, value: string, type: string): Sql {
  switch (node.kind) {
    case 'compare':
      return comparison(value, node.op, node.value);
    case 'in':
      return node.negate ? negate(inList(value, node.values)) : inList(value, node.values);
    case 'exists':
      return sql(`${type} IS ${node.exists ? 'NOT ' : ''}NULL`);
    case 'regex':
      return sql(`${regexpFunctionName}(?, ?, ${value})`, [node.pattern, node.flags]);
  }
}

/**
 * A leaf on a multi-valued field: true when any element matches; $ne and $nin hold when no element
 * matches; null tests presence of the field itself (an empty array is present, as in MongoDB).
 */
function arrayLeaf(node: Leaf): Sql {
  const path = node.field.path;
  const presence = jsonTypeExpression(path);
  // json_each's `value` is the element; an object element (a link with attributes) compares its key.
  const key = node.field.elementKey;
  const element = key === undefined ? 'value' : `(CASE WHEN type = 'object' THEN json_extract(value, ${jsonPathLiteral([key])}) ELSE value END)`;
  const anyElement = (condition: Sql): Sql =>
    sql(`EXISTS (SELECT 1 FROM json_each(doc,${jsonPathLiteral(path)}) WHERE ${condition.text})`, condition.params);
  switch (node.kind) {
    case 'exists':
      return sql(`${presence} IS ${node.exists ? 'NOT ' : ''}NULL`);
    case 'regex':
      return anyElement(sql(`${regexpFunctionName}(?, ?, ${element})`, [node.pattern, node.flags]));
    case 'compare': {
      if (node.value === null && (node.op === '$eq' || node.op === '$ne')) return sql(`${presence} IS ${node.op === '$ne' ? 'NOT ' : ''}NULL`);
      if (node.op === '$ne') return negate(anyElement(comparison(element, '$eq', node.value)));
      return anyElement(comparison(element, node.op, node.value));
    }
    case 'in': {
      const nonNull = node.values.filter((v) => v !== null);
      const parts = [anyElement(inList(element, nonNull))];
      if (nonNull.length < node.values.length) parts.push(sql(`${presence} IS NULL`));
      const matches = wrapEach(parts, ' OR ');
      return node.negate ? negate(matches) : matches;
    }
  }
}

function comparison(value: string, op: ComparisonOperator, operand: ScalarValue): Sql {
  if (operand === null) {
    if (op === '$eq') return sql(`${value} IS NULL`);
    if (op === '$ne') return sql(`${value} IS NOT NULL`);
    throw new CrmError('INTERNAL', `${op} cannot compare with null`);
  }
  const bound = bindValue(operand);
  if (op === '$eq') return sql(`${value} = ?`, [bound]);
  if (op === '$ne') return sql(`${value} IS NOT ?`, [bound]);
  // MongoDB compares only within a type: SQLite orders every number before every text, so a
  // second bound keeps the range inside the operand's type (and an index can use both bounds).
  const sameType = typeof operand === 'string' ? `${value} >= ''` : `${value} < ''`;
  const symbol = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[op];
  return sql(`${value} ${symbol} ? AND ${sameType}`, [bound]);
}

/** Longer $in lists are bound as one JSON array. */
const maxInlineInValues = 500;

function inList(value: string, values: readonly ScalarValue[]): Sql {
  const nonNull = values.filter((v) => v !== null);
  const parts: Sql[] = [];
  if (nonNull.length > maxInlineInValues) {
    // One JSON parameter instead of one per value: SQLite refuses more than 32,766 parameters (a large segment's members).
    parts.push(sql(`${value} IN (SELECT listed.value FROM json_each(?) AS listed)`, [JSON.stringify(nonNull.map(bindValue))]));
  } else if (nonNull.length > 0) parts.push(sql(`${value} IN (${nonNull.map(() => '?').join(', ')})`, nonNull.map(bindValue)));
  if (nonNull.length < values.length) parts.push(sql(`${value} IS NULL`));
  return parts.length === 0 ? never : wrapEach(parts, ' OR ');
}

function negate(condition: Sql): Sql {
  return sql(`NOT IFNULL((${condition.text}), 0)`, condition.params);
}

function wrapEach(parts: readonly Sql[], separator: string): Sql {
  if (parts.length === 1) return parts[0]!;
  const joined = joinSql(parts.map((part) => sql(`(${part.text})`, part.params)), separator);
  return sql(`(${joined.text})`, joined.params);
}
