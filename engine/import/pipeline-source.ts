// import/pipeline-source: the main thread's side of the import pipeline — batches of rows read, and
// mapped for each plain target (no `when`, lookup or transform), on a worker thread (map-worker.ts)
// a batch or two ahead of the batch being written, so that the two cores of a small server both
// work on one import. Small files are read and mapped on this thread.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import type { MappedRow } from './map-row.ts';
import type { MapWorkerInput, MapWorkerMessage, MappedBatch } from './map-worker.ts';
import type { SourceInfo, SourceRow } from './read-rows.ts';

/** A batch of rows, with each plain target's mapping of each row (by target index, then row index). */
export interface PipelinedBatch {
  rows: SourceRow[];
  premapped: Map<number, (MappedRow | undefined)[]>;
}

/** The worker's module next to this one, with this file's extension (.ts under tsx, .js compiled) — as store/sqlite/read-pool.ts starts its threads. */
function startWorker(workerData: MapWorkerInput): Worker {
  const extension = /\.[cm]?[jt]s$/.exec(new URL(import.meta.url).pathname)?.[0] ?? '.js';
  const url = new URL(`./map-worker${extension}`, import.meta.url);
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData, execArgv: [] });
  const tsxApi = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, execArgv: [] });
}

/**
 * Batches read and mapped by a worker thread. `info` is filled once the file is read. The worker
 * stops when the generator is left (a failed batch, a finished job) or the file ends.
 */
export async function* pipelinedBatches(args: Omit<MapWorkerInput, 'documents' | 'revision'> & { set: MetadataSet; revision: number; info: SourceInfo }): AsyncGenerator<PipelinedBatch> {
  const { set, info, ...rest } = args;
  const worker = startWorker({ ...rest, documents: set.all() });
  const inbox: MapWorkerMessage[] = [];
  let failure: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  worker.on('message', (message: MapWorkerMessage) => {
    inbox.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    failure = error;
    wake?.();
  });
  worker.on('exit', () => {
    exited = true;
    wake?.();
  });
  try {
    for (;;) {
      while (inbox.length === 0 && !failure && !exited) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      const message = inbox.shift();
      if (!message) throw failure ?? new Error('the import reader stopped before the end of the file');
      if ('error' in message) throw new Error(message.error);
      if ('done' in message) {
        Object.assign(info, message.info);
        return;
      }
      worker.postMessage('more');
      const batch = JSON.parse(message.batch) as MappedBatch;
      const premapped = new Map<number, (MappedRow | undefined)[]>();
      batch.mapped.forEach((rows, t) => (rows ? premapped.set(t, rows.map((m) => m ?? undefined)) : undefined));
      yield { rows: batch.rows, premapped };
    }
  } finally {
    await worker.terminate();
  }
}
