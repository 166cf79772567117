// store/sqlite/read-pool: reads that may be slow run here, off the event loop — a few worker threads,
// each with its own read-only connection (store/sqlite/read-worker.ts), so that a scan of a million
// records holds up no other request. Each read carries the deadline of the request it serves
// (kernel/request-budget.ts): when the deadline passes — waiting for a free worker or running — the
// read is answered QUERY_TIMEOUT (503) at once and, if running, its worker is terminated and replaced.
// better-sqlite3 cannot interrupt a statement, so a terminated thread may finish its current step
// before it exits; until it has, its slot stays taken, which bounds how many such threads exist.

import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CrmError } from '../../kernel/errors.ts';
import { log } from '../../kernel/log.ts';
import type { ReadJob, ReadReply } from './read-worker.ts';
import type { Sql } from './sql-fragments.ts';

interface Pending {
  job: ReadJob;
  deadline: number | undefined;
  resolve: (rows: unknown) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
  slot?: Slot;
  settled?: boolean;
}

interface Slot {
  worker: Worker;
  /** Its connection is open: reads are sent only to ready threads. */
  ready: boolean;
  busy?: Pending;
  /** Terminated (a cancelled read): the slot is free again once the thread has exited. */
  dying: boolean;
}

/** The worker's module: next to this file, with this file's extension (.ts under tsx, .js when compiled). */
function workerUrl(): URL {
  const extension = /\.[cm]?[jt]s$/.exec(new URL(import.meta.url).pathname)?.[0] ?? '.js';
  return new URL(`./read-worker${extension}`, import.meta.url);
}

/**
 * Starts the worker thread. Compiled, it is the .js file itself; as TypeScript (development, tests)
 * a two-line bootstrap registers tsx's loader in the thread first — Node 20 does not apply
 * `--import` to workers, and the loader is named by its absolute URL, not resolved from the cwd.
 */
function startWorker(url: URL, workerData: unknown): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData, execArgv: [] });
  const tsxApi = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, execArgv: [] });
}

/** One core fewer than the machine has, 1 to 4. */
export function defaultReadWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export function timeoutError(): CrmError {
  return new CrmError('QUERY_TIMEOUT');
}

export class ReadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly url = workerUrl();

  /**
   * `size` threads: one core fewer than the machine has (1 to 4) — the event loop keeps a core of
   * its own however many slow reads run; further slow reads queue (within their time budget).
   */
  constructor(private readonly file: string, readonly size: number = defaultReadWorkers()) {}

  /** Runs one statement on a worker; rows of `all`, the row of `get`; rejects QUERY_TIMEOUT past `deadline`. */
  run<T>(statement: Sql, mode: 'all' | 'get', deadline: number | undefined): Promise<T> {
    if (this.closed) return Promise.reject(new CrmError('UNAVAILABLE', 'The store is closed'));
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = { job: { id: this.nextId++, text: statement.text, params: statement.params, mode }, deadline, resolve: resolve as (rows: unknown) => void, reject };
      if (deadline !== undefined) {
        const left = deadline - performance.now();
        if (left <= 0) {
          reject(timeoutError());
          return;
        }
        pending.timer = setTimeout(() => this.expire(pending), left);
      }
      this.queue.push(pending);
      this.dispatch();
    });
  }

  private readyWaiters: (() => void)[] = [];

  /**
   * Runs `statements` in one write transaction on a thread of its own with a write connection (an
   * index build on a large table): the main thread goes on serving reads meanwhile. The caller holds
   * the store's write mutex, so no write of this process competes for SQLite's lock.
   */
  async build(statements: Sql[]): Promise<void> {
    if (this.closed) throw new CrmError('UNAVAILABLE', 'The store is closed');
    const worker = startWorker(this.url, { file: this.file, write: true });
    try {
      await new Promise<void>((resolve, reject) => {
        worker.on('message', (reply: ReadReply) => {
          if ('ready' in reply) worker.postMessage({ id: 0, text: '', params: [], mode: 'all', script: statements.map((s) => ({ text: s.text, params: s.params })) } satisfies ReadJob);
          else if (reply.ok) resolve();
          else reject(new Error(reply.message));
        });
        worker.on('error', reject);
        worker.on('exit', () => reject(new Error('the index build thread stopped')));
      });
    } finally {
      await worker.terminate();
    }
  }

  /** Starts the threads now (not on the first slow read); resolves when all of them can take reads. */
  warm(): Promise<void> {
    if (this.closed) return Promise.resolve();
    while (this.slots.length < this.size) this.spawn();
    if (this.allReady()) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** True once threads were started (by warm() or a first slow read). */
  get started(): boolean {
    return this.slots.length > 0;
  }

  private allReady(): boolean {
    return this.slots.length >= this.size && this.slots.every((s) => s.ready && !s.dying);
  }

  private notifyReady(): void {
    if (!this.allReady()) return;
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) this.settle(pending, new CrmError('UNAVAILABLE', 'The store is closed'));
    for (const resolve of this.readyWaiters.splice(0)) resolve();
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
    this.slots.length = 0;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      // Started together on the first slow read and replaced as soon as one exits: a thread's start
      // (loading its modules, opening its connection) is not paid by the reads that follow.
      while (this.slots.length < this.size) this.spawn();
      const slot = this.slots.find((s) => s.ready && !s.busy && !s.dying);
      if (!slot) return;
      const pending = this.queue.shift()!;
      pending.slot = slot;
      slot.busy = pending;
      slot.worker.postMessage(pending.job);
    }
  }

  private spawn(): Slot {
    const worker = startWorker(this.url, { file: this.file });
    worker.unref();
    const slot: Slot = { worker, ready: false, dying: false };
    worker.on('message', (reply: ReadReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        this.notifyReady();
        this.dispatch();
        return;
      }
      const pending = slot.busy;
      if (!pending || pending.job.id !== reply.id) return;
      slot.busy = undefined;
      if (reply.ok) this.settle(pending, undefined, reply.rows);
      else this.settle(pending, Object.assign(new Error(reply.message), { missingTable: reply.missingTable }));
      this.dispatch();
    });
    worker.on('error', (error) => {
      log.error('[store] read worker failed:', error.message);
      if (slot.busy) this.settle(slot.busy, error);
      slot.busy = undefined;
      slot.dying = true;
    });
    worker.on('exit', () => {
      const at = this.slots.indexOf(slot);
      if (at >= 0) this.slots.splice(at, 1);
      if (slot.busy) this.settle(slot.busy, new CrmError('UNAVAILABLE', 'A read worker stopped'));
      slot.busy = undefined;
      if (!this.closed) {
        this.spawn();
        this.dispatch();
      }
    });
    this.slots.push(slot);
    return slot;
  }

  /** The deadline passed: answer now; a running read's worker is terminated (its slot frees on exit). */
  private expire(pending: Pending): void {
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = pending.slot;
    if (slot && slot.busy === pending) {
      slot.busy = undefined;
      slot.dying = true;
      void slot.worker.terminate();
    }
    this.settle(pending, timeoutError());
  }

  private settle(pending: Pending, error: Error | undefined, rows?: unknown): void {
    if (pending.settled) return;
    pending.settled = true;
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = undefined;
    if (error) pending.reject(error);
    else pending.resolve(rows);
  }
}
