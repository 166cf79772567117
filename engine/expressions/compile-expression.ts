// expressions/: JSONata as the metadata language's expression language — parsed and checked once
// when metadata is saved, compiled once per distinct source, evaluated with guardrails on every
// call. Per-call data travels as bindings; a compiled expression is never mutated (no assign()).

import jsonata from 'jsonata';
import { localizedDetail, type IssueDetail } from '../kernel/errors.ts';
import { expressionCheckText, jsonataErrorText, type JsonataErrorFields } from './expression-messages.ts';
import { boundedFunctions } from './bounded-functions.ts';
import { boundedRegexEngine, isSafePattern } from './bounded-regex.ts';
import { expressionFunctionsAllowed, refusedFunctions } from './function-allow-list.ts';

/**
 * Limits applied to every evaluation (jsonata's own guardrails). The timeout is wall-clock time, so
 * it must leave room for a loaded machine (GC pauses, other requests between awaits): 100 ms refused
 * ordinary rules during bulk loads on 2 busy cores. Runaway work is caught earlier by the stack,
 * sequence and string-size bounds.
 */
export const expressionBounds = Object.freeze({ timeoutMs: 1000, stackDepth: 200, sequenceSize: 10_000 });

export type JsonataExpression = ReturnType<typeof jsonata>;

export interface CompiledExpression {
  readonly source: string;
  readonly compiled: JsonataExpression;
  /** Top-level names the expression reads from its input record (field references). */
  readonly rootReferences: ReadonlySet<string>;
  /** The same references with the name steps that follow them (`account.name`, `address.city`). */
  readonly rootPaths: ReadonlySet<string>;
}

interface AstNode {
  type: string;
  value?: unknown;
  position?: number;
  steps?: AstNode[];
  procedure?: AstNode;
  [key: string]: unknown;
}

const cache = new Map<string, CompiledExpression>();

/**
 * Parses a JSONata source and checks it against the allow-list of functions. Never throws: returns
 * the compiled expression, or issues whose paths are `basePath` (the location of the expression
 * in its metadata document) with the character position in the message.
 */
export function compileExpression(source: string, basePath: string): { expression?: CompiledExpression; issues: IssueDetail[] } {
  const cached = cache.get(source);
  if (cached) return { expression: cached, issues: [] };
  let compiled: JsonataExpression;
  try {
    compiled = jsonata(source, {
      timeout: expressionBounds.timeoutMs,
      stack: expressionBounds.stackDepth,
      sequence: expressionBounds.sequenceSize,
      RegexEngine: boundedRegexEngine,
    } as Parameters<typeof jsonata>[1]);
  } catch (error) {
    const failure = error as JsonataErrorFields;
    const text = jsonataErrorText({ ...failure, message: failure.message, position: failure.position ?? 0 }, { en: 'syntax error', zh: '语法错误' });
    return { issues: [localizedDetail({ path: basePath, code: 'EXPR_SYNTAX', text }, 'en')] };
  }
  // String builders with size limits replace the built-ins (once, here: never per evaluation).
  for (const f of boundedFunctions) compiled.registerFunction(f.name, f.implementation as never, f.signature);
  const ast = compiled.ast() as unknown as AstNode;
  const issues = checkAst(ast, basePath);
  if (issues.length > 0) return { issues };
  const rootPaths = new Set<string>();
  const expression: CompiledExpression = Object.freeze({ source, compiled, rootReferences: collectRootReferences(ast, rootPaths), rootPaths });
  if (cache.size > 10_000) cache.clear();
  cache.set(source, expression);
  return { expression, issues: [] };
}

/**
 * How deep an expression may nest (parentheses, operators, arrays, calls): evaluation recurses per
 * level and stops at the stack bound, so a deeper expression could never run. Refused on save
 * (like bodies nested deeper than 64 levels) — measured without recursion, so no depth overflows.
 */
export const maxExpressionDepth = 64;

function astDepth(ast: AstNode): number {
  let max = 0;
  const stack: [unknown, number][] = [[ast, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    const list = Array.isArray(node);
    if (!list) max = Math.max(max, depth);
    if (max > maxExpressionDepth) return max;
    for (const [key, child] of Object.entries(node)) if (child && typeof child === 'object' && key !== 'value') stack.push([child, list ? depth : depth + 1]);
  }
  return max;
}

function checkAst(ast: AstNode, basePath: string): IssueDetail[] {
  if (astDepth(ast) > maxExpressionDepth) return [localizedDetail({ path: basePath, code: 'EXPR_DEPTH', text: expressionCheckText.depth(maxExpressionDepth) }, 'en')];
  const issues: IssueDetail[] = [];
  visit(ast, (node) => {
    if (node.type === 'regex' && node.value instanceof RegExp && !isSafePattern(node.value.source, node.value.flags)) {
      issues.push(localizedDetail({ path: basePath, code: 'EXPR_REGEX', text: expressionCheckText.regex(node.value.source, node.position ?? 0) }, 'en'));
    }
    if (node.type === 'function' && node.procedure?.type === 'variable') {
      const name = String(node.procedure.value);
      if (refusedFunctions.has(name) || (!expressionFunctionsAllowed.has(name) && !name.startsWith('_'))) {
        // Lambdas bound with := are user functions; only built-ins are checked by name.
        if (!isUserBound(ast, name)) {
          issues.push(localizedDetail({ path: basePath, code: 'EXPR_FUNCTION', text: expressionCheckText.function(name, node.procedure.position ?? 0) }, 'en'));
        }
      }
    }
  });
  return issues;
}

function isUserBound(ast: AstNode, name: string): boolean {
  let bound = false;
  visit(ast, (node) => {
    if (node.type === 'bind' && (node.lhs as AstNode | undefined)?.value === name) bound = true;
  });
  return bound;
}

/** Names read from the root record: the first step of paths outside filters, predicates and later steps. */
function collectRootReferences(ast: AstNode, paths: Set<string>): Set<string> {
  const names = new Set<string>();
  const walk = (node: unknown, relative: boolean): void => {
    if (Array.isArray(node)) return node.forEach((child) => walk(child, relative));
    if (!node || typeof node !== 'object') return;
    const n = node as AstNode;
    if (n.type === 'path' && Array.isArray(n.steps)) {
      n.steps.forEach((step, index) => {
        const first = index === 0 || (index === 1 && n.steps![0]!.type === 'variable' && n.steps![0]!.value === '');
        if (!relative && first && step.type === 'name') {
          names.add(String(step.value));
          const chain: string[] = [];
          for (const next of n.steps!.slice(index)) {
            if (next.type !== 'name') break;
            chain.push(String(next.value));
          }
          paths.add(chain.join('.'));
        }
        for (const [key, value] of Object.entries(step)) if (key !== 'value') walk(value, true);
      });
      return;
    }
    for (const [key, value] of Object.entries(n)) {
      if (key === 'stages' || key === 'predicate' || key === 'group') walk(value, true);
      else if (typeof value === 'object') walk(value, relative);
    }
  };
  walk(ast, false);
  return names;
}

function visit(node: unknown, fn: (node: AstNode) => void): void {
  if (Array.isArray(node)) return node.forEach((child) => visit(child, fn));
  if (!node || typeof node !== 'object') return;
  fn(node as AstNode);
  for (const value of Object.values(node)) if (typeof value === 'object') visit(value, fn);
}
