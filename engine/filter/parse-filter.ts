// filter/parse-filter: turns a user's MongoDB-style filter JSON into the typed filter tree, checking
// every key, operator and value against the fields the caller may filter on. Nothing is dropped
// silently: every problem becomes one issue with a JSON pointer into the filter.

import { CrmError, type IssueDetail, pointerSegment } from '../kernel/errors.ts';
import { checkRegex } from './filter-regex.ts';
import { andFilters, filterOperators, matchAll } from './filter-tree.ts';
import type { FieldResolver, FilterableField, FilterNode, FilterOperator, ScalarValue } from './filter-tree.ts';
import { checkFilterValue } from './filter-values.ts';
import { forbiddenKeys } from '../kernel/forbidden-keys.ts';

export { parseSort } from './parse-sort.ts';
export { decodeCursor, encodeCursor } from './keyset-cursor.ts';
export type { FieldResolver } from './filter-tree.ts';

export const filterLimits = { maxDepth: 8, maxNodes: 200, maxInList: 500, maxIssues: 50 } as const;

/** Keys that could reach an object's prototype if anything downstream ever used them as properties. */
export { forbiddenKeys };

/** Multi-valued fields only support matching one element against a scalar. */
const arrayFieldOperators: ReadonlySet<string> = new Set(['$eq', '$ne', '$in', '$nin', '$exists', '$not']);
const nullableOperators: ReadonlySet<string> = new Set(['$eq', '$ne', '$in', '$nin']);
const regexStoredTypes: ReadonlySet<string> = new Set(['string', 'date', 'datetime']);

/** Parses and checks a filter; throws CrmError INVALID_FILTER listing every problem found. */
export function parseFilter(json: unknown, resolve: FieldResolver): FilterNode {
  const parser = new FilterParser(resolve);
  let node: FilterNode;
  try {
    node = parser.expression(json, '', 1);
  } catch (error) {
    if (error instanceof TooManyIssues) throw parser.failure();
    throw error;
  }
  if (parser.issues.length > 0) throw parser.failure();
  return node;
}

/** Raised inside the parser to stop early on hostile input; turned into the CrmError above. */
class TooManyIssues extends Error {}

class FilterParser {
  readonly issues: IssueDetail[] = [];
  private nodeCount = 0;

  constructor(private readonly resolve: FieldResolver) {}

  failure(): CrmError {
    return new CrmError('INVALID_FILTER', { en: 'The filter is not valid', zh: '筛选条件无效' }, this.issues);
  }

  /** A filter document: `{ field: condition, $and: [...], ... }`, all parts combined with AND. */
  expression(json: unknown, at: string, depth: number): FilterNode {
    if (!isPlainObject(json)) return this.issue(at, 'expected a filter object', 'WRONG_TYPE');
    if (depth > filterLimits.maxDepth) return this.issue(at, `filters may nest at most ${filterLimits.maxDepth} levels deep`, 'TOO_DEEP');
    const parts: FilterNode[] = [];
    for (const [key, value] of Object.entries(json)) {
      const keyAt = `${at}/${pointerSegment(key)}`;
      if (forbiddenKeys.has(key)) parts.push(this.issue(keyAt, `"${key}" is not allowed as a key`, 'FORBIDDEN_KEY'));
      else if (key === '$and' || key === '$or' || key === '$nor') parts.push(this.logical(key, value, keyAt, depth));
      else if (key.startsWith('$')) parts.push(this.issue(keyAt, `unknown operator ${key}; use $and, $or, $nor or a field name`, 'UNKNOWN_OPERATOR'));
      else parts.push(this.fieldCondition(key, value, keyAt, depth));
    }
    return parts.length > 1 ? this.count({ kind: 'and', children: parts }, at) : andFilters(...parts);
  }

  private logical(op: '$and' | '$or' | '$nor', json: unknown, at: string, depth: number): FilterNode {
    if (!Array.isArray(json) || json.length === 0) return this.issue(at, `${op} expects a non-empty array of filters`, 'WRONG_TYPE');
    const children = json.map((child, index) => this.expression(child, `${at}/${index}`, depth + 1));
    if (op === '$and') return this.count({ kind: 'and', children }, at);
    const anyOf = this.count({ kind: 'or', children }, at);
    return op === '$or' ? anyOf : this.count({ kind: 'not', child: anyOf }, at);
  }

  private fieldCondition(key: string, json: unknown, at: string, depth: number): FilterNode {
    const badSegment = key.split('.').find((segment) => forbiddenKeys.has(segment) || segment === '');
    if (badSegment !== undefined) return this.issue(at, `"${key}" is not a valid field path`, 'FORBIDDEN_KEY');
    const field = this.resolve(key);
    if (field === undefined) return this.issue(at, `unknown field "${key}"`, 'UNKNOWN_FIELD');
    if (isPlainObject(json)) {
      const keys = Object.keys(json);
      if (keys.length === 0) return this.issue(at, 'expected a value or an object of operators, got {}', 'WRONG_TYPE');
      // Forbidden keys are reported by operators() wherever they appear.
      if (keys.every((k) => k.startsWith('$') || forbiddenKeys.has(k))) return this.operators(field, key, json, at, depth, false);
      return this.issue(at, `matching a whole object is not supported; filter on "${key}.<part>" instead`, 'WRONG_TYPE');
    }
    if (Array.isArray(json)) return this.issue(at, 'matching a whole array is not supported; use $in or $eq with one element', 'WRONG_TYPE');
    return this.operator(field, key, '$eq', json, at, depth) ?? matchAll;
  }

  /** An operator object `{ $gt: 1, $lt: 5 }`: every operator must hold. */
  private operators(field: FilterableField, key: string, ops: Record<string, unknown>, at: string, depth: number, insideNot: boolean): FilterNode {
    const parts: FilterNode[] = [];
    for (const [op, value] of Object.entries(ops)) {
      const opAt = `${at}/${pointerSegment(op)}`;
      if (forbiddenKeys.has(op)) parts.push(this.issue(opAt, `"${op}" is not allowed as a key`, 'FORBIDDEN_KEY'));
      else if (op === '$options') {
        if (!('$regex' in ops)) parts.push(this.issue(opAt, '$options needs a $regex beside it', 'UNKNOWN_OPERATOR'));
      } else if (op === '$not' && insideNot) parts.push(this.issue(opAt, '$not cannot contain another $not', 'UNKNOWN_OPERATOR'));
      else {
        const node = op === '$regex' ? this.regex(field, key, ops, at) : this.operator(field, key, op, value, opAt, depth);
        if (node !== undefined) parts.push(node);
      }
    }
    return parts.length > 1 ? this.count({ kind: 'and', children: parts }, at) : (parts[0] ?? matchAll);
  }

  /** One operator on one field; undefined when refused (the issue is recorded). */
  private operator(field: FilterableField, key: string, op: string, value: unknown, at: string, depth: number): FilterNode | undefined {
    if (!isFilterOperator(op)) return this.issue(at, `unknown operator ${op}`, 'UNKNOWN_OPERATOR');
    if (!this.allowed(field, key, op, at)) return undefined;
    switch (op) {
      case '$not': {
        if (!isPlainObject(value) || Object.keys(value).length === 0 || !Object.keys(value).every((k) => k.startsWith('$') || forbiddenKeys.has(k))) {
          return this.issue(at, '$not expects a non-empty object of operators, such as { "$gt": 5 }', 'WRONG_TYPE');
        }
        if (depth + 1 > filterLimits.maxDepth) return this.issue(at, `filters may nest at most ${filterLimits.maxDepth} levels deep`, 'TOO_DEEP');
        return this.count({ kind: 'not', child: this.operators(field, key, value, at, depth + 1, true) }, at);
      }
      case '$exists':
        if (typeof value !== 'boolean') return this.issue(at, '$exists expects true or false', 'WRONG_TYPE');
        return this.count({ kind: 'exists', field, exists: value }, at);
      case '$in':
      case '$nin':
        return this.inList(field, op, value, at);
      case '$regex':
        return this.issue(at, 'internal: $regex is handled with its $options', 'UNKNOWN_OPERATOR');
      default: {
        const checked = this.value(field, value, nullableOperators.has(op), at);
        return checked === undefined ? undefined : this.count({ kind: 'compare', field, op, value: checked.value }, at);
      }
    }
  }

  private inList(field: FilterableField, op: '$in' | '$nin', value: unknown, at: string): FilterNode | undefined {
    if (!Array.isArray(value)) return this.issue(at, `${op} expects an array of values`, 'WRONG_TYPE');
    if (value.length > filterLimits.maxInList) return this.issue(at, `${op} accepts at most ${filterLimits.maxInList} values, got ${value.length}`, 'LIST_TOO_LONG');
    const values: ScalarValue[] = [];
    for (const [index, item] of value.entries()) {
      const checked = this.value(field, item, true, `${at}/${index}`);
      if (checked !== undefined) values.push(checked.value);
    }
    return values.length === value.length ? this.count({ kind: 'in', field, values, negate: op === '$nin' }, at) : undefined;
  }

  private regex(field: FilterableField, key: string, ops: Record<string, unknown>, at: string): FilterNode | undefined {
    if (!this.allowed(field, key, '$regex', `${at}/$regex`)) return undefined;
    if (!regexStoredTypes.has(field.valueType)) return this.issue(`${at}/$regex`, `$regex only applies to text fields; "${key}" holds ${field.valueType} values`, 'OPERATOR_NOT_ALLOWED');
    const checked = checkRegex(ops.$regex, ops.$options);
    if (!checked.ok) return this.issue(`${at}/${checked.operator}`, checked.message, checked.code);
    return this.count({ kind: 'regex', field, pattern: checked.pattern, flags: checked.flags }, at);
  }

  private allowed(field: FilterableField, key: string, op: FilterOperator, at: string): boolean {
    if (!field.operators.includes(op)) {
      this.issue(at, `operator ${op} is not allowed on "${key}"`, 'OPERATOR_NOT_ALLOWED');
      return false;
    }
    if (field.array && !arrayFieldOperators.has(op)) {
      this.issue(at, `"${key}" holds several values; only $eq, $ne, $in, $nin, $exists and $not apply to it`, 'OPERATOR_NOT_ALLOWED');
      return false;
    }
    return true;
  }

  private value(field: FilterableField, value: unknown, allowNull: boolean, at: string): { value: ScalarValue } | undefined {
    const checked = checkFilterValue(field.valueType, value, allowNull);
    if (checked.ok) return { value: checked.value };
    this.issue(at, checked.message, 'WRONG_TYPE');
    return undefined;
  }

  private count<T extends FilterNode>(node: T, at: string): T {
    this.nodeCount += 1;
    if (this.nodeCount === filterLimits.maxNodes + 1) {
      this.issue(at, `a filter may have at most ${filterLimits.maxNodes} conditions`, 'TOO_MANY_NODES');
      throw new TooManyIssues();
    }
    return node;
  }

  /** Records a problem; returns a placeholder node so parsing can go on and report the rest. */
  private issue(path: string, message: string, code: string): FilterNode {
    this.issues.push({ path, message, code });
    if (this.issues.length >= filterLimits.maxIssues) throw new TooManyIssues();
    return matchAll;
  }
}

function isFilterOperator(op: string): op is FilterOperator {
  return (filterOperators as readonly string[]).includes(op);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
