// import/map-worker-pool: the import's map thread (map-worker.ts) kept between jobs. A thread started
// for a job takes ~0.3 s to be ready and then maps in V8's interpreter for a while: a small file is
// done before it pays off, so small files were read on the writing thread alone. A thread kept from
// the job before is ready at once with its code compiled, so the next import has both cores from its
// first batch. One thread is kept (~30–50 MB), for `keepIdleMs` after its last job; none is started
// ahead of the first import.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MapWorkerMessage, MapWorkerRequest } from './map-worker.ts';

/** How long a thread is kept after its last job by default. */
export const defaultKeepIdleMs = 10 * 60_000;

/** The worker's module next to this one, with this file's extension (.ts under tsx, .js compiled) — as store/sqlite/read-pool.ts starts its threads. */
function startWorker(): Worker {
  const extension = /\.[cm]?[jt]s$/.exec(new URL(import.meta.url).pathname)?.[0] ?? '.js';
  const url = new URL(`./map-worker${extension}`, import.meta.url);
  let worker: Worker;
  if (!url.pathname.endsWith('.ts')) worker = new Worker(url, { execArgv: [] });
  else {
    const tsxApi = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
    worker = new Worker(bootstrap, { eval: true, execArgv: [] });
  }
  // For the thread's whole life, kept or ending included: an 'error' event no one listens to (the
  // thread out of memory) would end the server. A job's own listener reports one during the job.
  worker.on('error', () => {});
  return worker;
}

export class MapWorkerPool {
  private kept: { worker: Worker; expiry: NodeJS.Timeout; onExit: () => void } | undefined;
  private closed = false;
  /** Threads skipping the rest of a job they were not handed (see `keepAfterDone`), and who waits for them. */
  private readonly draining = new Set<Worker>();
  private drained: (() => void)[] = [];
  /** Threads started so far, and jobs served (a kept thread serves several). */
  started = 0;
  taken = 0;

  constructor(private readonly keepIdleMs = defaultKeepIdleMs) {}

  /** Whether a job taken now gets a thread that ran a job before (ready at once, its code compiled). */
  get warm(): boolean {
    return this.kept !== undefined;
  }

  /** A thread for one job: the kept one, or a new one. */
  take(): Worker {
    this.taken++;
    const kept = this.kept;
    if (kept) {
      this.kept = undefined;
      clearTimeout(kept.expiry);
      kept.worker.off('exit', kept.onExit);
      kept.worker.ref();
      return kept.worker;
    }
    this.started++;
    return startWorker();
  }

  /**
   * A thread whose job ended with its `done` (nothing of the job left in flight): kept for the next
   * job unless one is kept already. A thread whose job was abandoned or failed is ended instead
   * (`end`): it may still be reading the file.
   */
  giveBack(worker: Worker): void {
    if (this.closed || this.kept || this.keepIdleMs <= 0) {
      void worker.terminate();
      return;
    }
    // Unreferenced: a kept thread never holds a CLI process open.
    worker.unref();
    const expiry = setTimeout(() => {
      if (this.kept?.worker !== worker) return;
      this.kept = undefined;
      void worker.terminate();
    }, this.keepIdleMs);
    expiry.unref();
    // A kept thread that dies (out of memory) is forgotten, not handed to the next job.
    const onExit = () => {
      if (this.kept?.worker !== worker) return;
      clearTimeout(this.kept.expiry);
      this.kept = undefined;
    };
    worker.once('exit', onExit);
    this.kept = { worker, expiry, onExit };
  }

  /**
   * A healthy thread whose job was never handed to it (the writing thread read the whole file, or
   * left before): told to skip the file, it is kept once it says `done` — not ended, for it was
   * idle and warm.
   */
  keepAfterDone(worker: Worker): void {
    this.draining.add(worker);
    const settle = (keep: boolean) => {
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      this.draining.delete(worker);
      if (keep) this.giveBack(worker);
      else void worker.terminate();
      if (this.draining.size === 0) for (const resolve of this.drained.splice(0)) resolve();
    };
    const onMessage = (message: MapWorkerMessage) => {
      if ('done' in message) settle(true);
      else if ('error' in message) settle(false);
    };
    const onExit = () => settle(false);
    worker.on('message', onMessage);
    worker.on('exit', onExit);
    worker.postMessage({ start: { after: Number.MAX_SAFE_INTEGER, batchSize: 1 } } satisfies MapWorkerRequest);
  }

  /** Resolves once no thread is skipping a job (tests; close). */
  settled(): Promise<void> {
    return this.draining.size === 0 ? Promise.resolve() : new Promise((resolve) => this.drained.push(resolve));
  }

  end(worker: Worker): void {
    // Not awaited: tearing the thread's heap down took ~50 ms that the job's end need not wait for.
    void worker.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.draining].map((worker) => worker.terminate()));
    const kept = this.kept;
    this.kept = undefined;
    if (kept) {
      clearTimeout(kept.expiry);
      await kept.worker.terminate();
    }
  }
}
