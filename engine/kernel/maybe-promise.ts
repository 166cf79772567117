// kernel/maybe-promise: a value now, or a promise of it. The hot request paths (authentication, a
// get by id, a list) answer without a promise where nothing waits — credential rows from the cache,
// records from the embedded store, which reads on this thread — because on Node 20 every promise
// made inside a request's AsyncLocalStorage scope pays the async hooks, and a request made dozens.
// Code that may wait (MongoDB, a read sent to a worker thread) still returns a promise.

export type MaybePromise<T> = T | Promise<T>;

/** `next(value)` at once when `value` is not a promise, else once it settles (a rejection passes by `next`). */
export function after<T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
