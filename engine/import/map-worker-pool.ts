// import/map-worker-pool: the import's map thread (map-worker.ts) kept between jobs. A thread started
// for a job takes ~0.3 s to be ready and then maps in V8's interpreter for a while: a small file is
// done before it pays off, so small files were read on the writing thread alone. A thread kept from
// the job before is ready at once with its code compiled, so the next import has both cores from its
// first batch. One thread is kept (~30–50 MB), for `keepIdleMs` after its last job; none is started
// ahead of the first import.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** How long a thread is kept after its last job by default. */
export const defaultKeepIdleMs = 10 * 60_000;

/** The worker's module next to this one, with this file's extension (.ts under tsx, .js compiled) — as store/sqlite/read-pool.ts starts its threads. */
function startWorker(): Worker {
  const extension = /\.[cm]?[jt]s$/.exec(new URL(import.meta.url).pathname)?.[0] ?? '.js';
  const url = new URL(`./map-worker${extension}`, import.meta.url);
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { execArgv: [] });
  const tsxApi = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: [] });
}

export class MapWorkerPool {
  private kept: { worker: Worker; expiry: NodeJS.Timeout; onExit: () => void } | undefined;
  private closed = false;
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

  end(worker: Worker): void {
    // Not awaited: tearing the thread's heap down took ~50 ms that the job's end need not wait for.
    void worker.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    const kept = this.kept;
    this.kept = undefined;
    if (kept) {
      clearTimeout(kept.expiry);
      await kept.worker.terminate();
    }
  }
}
