// expressions/infer-result-type: what kind of value a JSONata expression can give, read from its
// AST without running it — so that a formula declared to return a number but written as text is
// refused on save instead of staying empty on every record. Deliberately partial: only what is
// certain is inferred (literals, field paths, operators, the common functions); everything else
// is "unknown", which every check accepts.

import type { CompiledExpression } from './compile-expression.ts';

/** The kinds of non-empty value an expression can give. Date kinds are strings known to hold one. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'date' | 'datetime' | 'object' | 'array';

/** One possible result; `literal` when the expression can only give that constant. */
export interface Outcome {
  readonly kind: ValueKind;
  readonly literal?: string | number | boolean;
}

/**
 * What an expression gives: 'unknown', or every possible non-empty outcome (an empty list: it only
 * ever gives nothing — null or no value).
 */
export type InferredType = 'unknown' | readonly Outcome[];

/** The type of a plain path from the record (`amount`, `account.industry`); 'unknown' when not known. */
export type PathTypeResolver = (names: readonly string[]) => InferredType;

interface AstNode {
  type?: string;
  value?: unknown;
  [key: string]: unknown;
}

const numberResult: InferredType = [{ kind: 'number' }];
const stringResult: InferredType = [{ kind: 'string' }];
const booleanResult: InferredType = [{ kind: 'boolean' }];

/** Built-in functions whose result kind does not depend on their arguments. */
const functionResults: Readonly<Record<string, InferredType>> = {
  string: stringResult, substring: stringResult, substringBefore: stringResult, substringAfter: stringResult,
  uppercase: stringResult, lowercase: stringResult, trim: stringResult, pad: stringResult, join: stringResult,
  base64encode: stringResult, base64decode: stringResult, encodeUrlComponent: stringResult, encodeUrl: stringResult,
  decodeUrlComponent: stringResult, decodeUrl: stringResult, formatNumber: stringResult, formatBase: stringResult,
  formatInteger: stringResult, type: stringResult,
  number: numberResult, abs: numberResult, floor: numberResult, ceil: numberResult, round: numberResult, power: numberResult,
  sqrt: numberResult, random: numberResult, sum: numberResult, max: numberResult, min: numberResult, average: numberResult,
  count: numberResult, length: numberResult, parseInteger: numberResult, millis: numberResult, toMillis: numberResult,
  boolean: booleanResult, not: booleanResult, exists: booleanResult, contains: booleanResult,
  // The clock is bound to the request's: $now() is always an ISO 8601 instant, whatever its arguments.
  now: [{ kind: 'datetime' }],
  // $today() is the clock's day, YYYY-MM-DD.
  today: [{ kind: 'date' }],
};

/** Infers the result type of a compiled expression. Never throws. */
export function inferResultType(expression: CompiledExpression, resolvePath: PathTypeResolver): InferredType {
  const ast = expression.compiled.ast() as unknown as AstNode;
  // Names bound with := (variables or lambdas) shadow the built-ins: their calls are unknown.
  const bound = new Set<string>();
  collectBindings(ast, bound);
  return infer(ast, { resolvePath, bound });
}

interface Scope {
  resolvePath: PathTypeResolver;
  bound: ReadonlySet<string>;
}

function union(a: InferredType, b: InferredType): InferredType {
  return a === 'unknown' || b === 'unknown' ? 'unknown' : [...a, ...b];
}

function infer(node: AstNode | undefined, scope: Scope): InferredType {
  if (!node || typeof node !== 'object') return [];
  // Anything a step may carry (filters, sorts, groups, focus and index bindings) makes it unknown.
  if (hasStepExtras(node)) return 'unknown';
  switch (node.type) {
    case 'string':
      return [{ kind: 'string', literal: String(node.value) }];
    case 'number':
      return [{ kind: 'number', literal: Number(node.value) }];
    case 'value':
      return typeof node.value === 'boolean' ? [{ kind: 'boolean', literal: node.value }] : [];
    case 'path':
      return inferPath(node, scope);
    case 'unary':
      if (node.value === '-') return numberResult;
      if (node.value === '[') return [{ kind: 'array' }];
      if (node.value === '{') return [{ kind: 'object' }];
      return 'unknown';
    case 'binary':
      return inferBinary(String(node.value));
    case 'condition':
      return union(infer(node['then'] as AstNode, scope), node['else'] === undefined ? [] : infer(node['else'] as AstNode, scope));
    case 'block': {
      const expressions = node['expressions'] as AstNode[] | undefined;
      return expressions && expressions.length > 0 ? infer(expressions.at(-1), scope) : [];
    }
    case 'function':
    case 'apply':
      return inferCall(node, scope);
    default:
      return 'unknown';
  }
}

function hasStepExtras(node: AstNode): boolean {
  return ['stages', 'predicate', 'group', 'focus', 'index', 'tuple', 'keepArray', 'keepSingletonArray'].some((key) => node[key] !== undefined);
}

function inferBinary(operator: string): InferredType {
  if (['+', '-', '*', '/', '%'].includes(operator)) return numberResult;
  if (operator === '&') return stringResult;
  if (['=', '!=', '<', '<=', '>', '>=', 'and', 'or', 'in'].includes(operator)) return booleanResult;
  if (operator === '..') return [{ kind: 'array' }];
  return 'unknown';
}

/** A path of plain names from the record (optionally after `$` or `$$`); anything else is unknown. */
function inferPath(node: AstNode, scope: Scope): InferredType {
  const steps = (node['steps'] as AstNode[] | undefined) ?? [];
  if (hasStepExtras(node)) return 'unknown';
  const names: string[] = [];
  for (const [index, step] of steps.entries()) {
    if (hasStepExtras(step)) return 'unknown';
    if (index === 0 && step.type === 'variable' && (step.value === '' || step.value === '$')) continue;
    if (step.type !== 'name' || typeof step.value !== 'string') return 'unknown';
    names.push(step.value);
  }
  if (names.length === 0) return 'unknown';
  return scope.resolvePath(names);
}

function inferCall(node: AstNode, scope: Scope): InferredType {
  // `x ~> $f(a)` calls $f(x, a): the same result kind as the call on its right.
  const call = node.type === 'apply' ? (node['rhs'] as AstNode | undefined) : node;
  if (!call || call.type !== 'function') return 'unknown';
  const procedure = call['procedure'] as AstNode | undefined;
  if (procedure?.type !== 'variable' || typeof procedure.value !== 'string' || scope.bound.has(procedure.value)) return 'unknown';
  const name = procedure.value;
  const args = (call['arguments'] as AstNode[] | undefined) ?? [];
  const argumentCount = args.length + (node.type === 'apply' ? 1 : 0);
  // $fromMillis(ms) is an ISO 8601 instant; with a picture it is text in that picture.
  if (name === 'fromMillis') return argumentCount <= 1 ? [{ kind: 'datetime' }] : stringResult;
  return functionResults[name] ?? 'unknown';
}

function collectBindings(node: unknown, bound: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((child) => collectBindings(child, bound));
  if (!node || typeof node !== 'object') return;
  const n = node as AstNode;
  if (n.type === 'bind' && typeof (n['lhs'] as AstNode | undefined)?.value === 'string') bound.add((n['lhs'] as AstNode).value as string);
  for (const [key, value] of Object.entries(n)) if (key !== 'value' && typeof value === 'object') collectBindings(value, bound);
}
