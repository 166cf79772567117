// kernel/request-scope: what code far below the HTTP edge knows about the request it serves — its id
// (on every log line, kernel/log.ts) and its deadline (kernel/request-budget.ts) — in one
// AsyncLocalStorage. One store rather than one per concern: on Node 20 every promise created while
// any AsyncLocalStorage is in use pays for each of them, and a request creates dozens.

import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  readonly requestId?: string;
  /** performance.now() time after which the request's off-loop reads are cancelled. */
  readonly deadline?: number;
  /** The whole budget, for work that starts it afresh (a streamed response's next step). */
  readonly budgetMs?: number;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** Runs `work` (and everything it starts) within `value`; `args` are passed to it (no closure needed to carry them). */
export function runInScope<T>(value: RequestScope, work: () => T): T;
export function runInScope<A extends unknown[], T>(value: RequestScope, work: (...args: A) => T, ...args: A): T;
export function runInScope<A extends unknown[], T>(value: RequestScope, work: (...args: A) => T, ...args: A): T {
  return scope.run(value, work, ...args);
}

/** The scope of the code running now, if any. */
export function currentScope(): RequestScope | undefined {
  return scope.getStore();
}
