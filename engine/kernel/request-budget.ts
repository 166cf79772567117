// kernel/request-budget: how long the current request may still take. The HTTP edge opens a budget
// per request (CRM_REQUEST_BUDGET_MS); code far below it — the store's off-loop reads — asks for the
// deadline without a request object being passed down. Work outside any request (jobs, the CLI) has
// no deadline. Deadlines are monotonic (performance.now()), not wall-clock: they bound real work,
// which an injectable test clock does not move.

import { currentScope, runInScope } from './request-scope.ts';

export const defaultRequestBudgetMs = 30_000;

/** Runs `work` (and everything it starts) with a deadline `budgetMs` from now. */
export function withRequestBudget<T>(budgetMs: number, work: () => T): T {
  return runInScope({ ...currentScope(), deadline: performance.now() + budgetMs, budgetMs }, work);
}

/**
 * Runs `work` with the request's whole budget from now: for a response streamed in steps (an
 * export page by page), each step may take the budget, not the whole stream. Outside a request, as is.
 */
export function withFreshBudget<T>(work: () => T): T {
  const budgetMs = currentScope()?.budgetMs;
  return budgetMs !== undefined ? withRequestBudget(budgetMs, work) : work();
}

/** The current request's deadline (performance.now() time), or undefined outside a request. */
export function currentDeadline(): number | undefined {
  return currentScope()?.deadline;
}

/** Reads CRM_REQUEST_BUDGET_MS: a positive whole number of milliseconds; the default when unset. */
export function requestBudgetSetting(value: string | undefined): number {
  if (value === undefined || value === '') return defaultRequestBudgetMs;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`CRM_REQUEST_BUDGET_MS must be a positive whole number of milliseconds, not "${value}"`);
  return ms;
}
