// Evaluates a compiled expression for one call: clock functions from the caller's clock, errors
// turned into CrmError with the expression's location, the input never mutated.

import { CrmError, localizedDetail } from '../kernel/errors.ts';
import { jsonataErrorText, type JsonataErrorFields } from './expression-messages.ts';
import { timeZoneOf, type Clock } from '../kernel/clock.ts';
import { localDate } from '../kernel/time-zones.ts';
import { checkResultSize } from './bounded-functions.ts';
import type { CompiledExpression } from './compile-expression.ts';

export interface EvaluationContext {
  clock: Clock;
  /** Extra variables, e.g. `{ user: {...}, previous: {...} }` → `$user`, `$previous`. */
  bindings?: Record<string, unknown>;
  /** Where the expression sits in metadata, for error messages: `/fields/weighted/expression`. */
  origin: string;
}

export async function evaluateExpression(expression: CompiledExpression, input: unknown, context: EvaluationContext): Promise<unknown> {
  const now = context.clock.now();
  const bindings = {
    ...context.bindings,
    now: () => now.toISOString(),
    millis: () => now.getTime(),
    today: (days?: unknown) => today(now, timeZoneOf(context.clock), days),
  };
  try {
    const result = await expression.compiled.evaluate(input, bindings);
    checkResultSize(result);
    return normalizeResult(result);
  } catch (error) {
    const failure = error as JsonataErrorFields;
    const code = failure.code;
    // D1011 stack depth, D1012 timeout, D2015 sequence size: the guardrails tripped.
    // D2014 range too large; EXPR_REGEX a regex input over its limit; EXPR_SIZE a string over maxStringLength.
    const timedOut = code === 'D1011' || code === 'D1012' || code === 'D2015' || code === 'D2014' || code === 'EXPR_REGEX' || code === 'EXPR_SIZE';
    throw new CrmError(timedOut ? 'EXPR_TIMEOUT' : 'EXPR_ERROR', undefined, [
      localizedDetail({ path: context.origin, code: code ?? 'EXPR_ERROR', text: jsonataErrorText({ ...failure, message: failure.message, position: undefined }, { en: 'expression failed', zh: '表达式求值失败' }) }, 'en'),
    ]);
  }
}

/**
 * `$today()`: the clock's day as YYYY-MM-DD in the clock's zone (CRM_TIME_ZONE) — the day a view's
 * `$today` filter variable reads too; `$today(n)` is n days later (negative: earlier). A
 * non-integer offset is an error.
 */
function today(now: Date, zone: string, days: unknown): string {
  if (days !== undefined && !Number.isInteger(days)) throw Object.assign(new Error('$today takes a whole number of days'), { code: 'EXPR_ERROR', zh: '$today 只接受整数天数' });
  return localDate(now, zone, (days as number | undefined) ?? 0);
}

/** JSONata returns sequences as arrays with a `sequence` flag; give callers plain JSON. */
function normalizeResult(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return undefined;
  return JSON.parse(JSON.stringify(value)) as unknown;
}
