// store/async-mutex: lets one async task at a time through. The SQLite adapter needs it because a
// transaction spans awaits on a single connection; the MongoDB adapter, because a session
// transaction must not run two operations at once.

export class AsyncMutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` once every task queued before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => task());
    // The queue must move on whether the task fails or not; the caller still sees the failure.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
