// store/transaction-hooks: lets the code serving one request add writes to every transaction that
// request runs, whatever layer opens it — an idempotency key's record commits with the write it
// protects, so that a crash can never keep one without the other. Adapter-agnostic: it wraps any
// Store and uses AsyncLocalStorage, so outside such a scope a transaction is untouched.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { Store, StoreTransaction } from './store-port.ts';

export interface TransactionHook {
  /** Runs inside each transaction after its work, before it commits; a throw rolls it back. */
  beforeCommit(tx: StoreTransaction): Promise<void>;
}

const scope = new AsyncLocalStorage<TransactionHook>();

/** Runs `work` so that every store transaction it (and what it awaits) opens also runs `hook`. */
export function runWithTransactionHook<T>(hook: TransactionHook, work: () => T): T {
  return scope.run(hook, work);
}

/** Runs `work` outside any hook scope (background work a request starts but does not own). */
export function runWithoutTransactionHook<T>(work: () => T): T {
  return scope.exit(work);
}

export function withTransactionHooks(store: Store): Store {
  const transaction = <T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> => {
    const hook = scope.getStore();
    if (!hook) return store.transaction(work);
    return store.transaction(async (tx) => {
      const result = await work(tx);
      await hook.beforeCommit(tx);
      return result;
    });
  };
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      if (property === 'transaction') return transaction;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let method = bound.get(property);
      if (!method) bound.set(property, (method = (value as (...args: unknown[]) => unknown).bind(target)));
      return method;
    },
  });
}
