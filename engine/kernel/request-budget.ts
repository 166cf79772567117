// kernel/request-budget: how long the current request may still take. The HTTP edge opens a budget
// per request (CRM_REQUEST_BUDGET_MS); code far below it — the store's off-loop reads — asks for the
// deadline without a request object being passed down. Work outside any request (jobs, the CLI) has
// no deadline. Deadlines are monotonic (performance.now()), not wall-clock: they bound real work,
// which an injectable test clock does not move.

import { AsyncLocalStorage } from 'node:async_hooks';

export const defaultRequestBudgetMs = 30_000;

const deadlines = new AsyncLocalStorage<number>();

/** Runs `work` (and everything it starts) with a deadline `budgetMs` from now. */
export function withRequestBudget<T>(budgetMs: number, work: () => T): T {
  return deadlines.run(performance.now() + budgetMs, work);
}

/** The current request's deadline (performance.now() time), or undefined outside a request. */
export function currentDeadline(): number | undefined {
  return deadlines.getStore();
}

/** Reads CRM_REQUEST_BUDGET_MS: a positive whole number of milliseconds; the default when unset. */
export function requestBudgetSetting(value: string | undefined): number {
  if (value === undefined || value === '') return defaultRequestBudgetMs;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`CRM_REQUEST_BUDGET_MS must be a positive whole number of milliseconds, not "${value}"`);
  return ms;
}
