// import/pipeline-source: the main thread's side of the import pipeline — batches of rows read, and
// mapped for each plain target (no `when`, lookup or transform), on a worker thread (map-worker.ts)
// a batch or two ahead of the batch being written, so that the two cores of a small server both
// work on one import. Small files are read and mapped on this thread.

import { CrmError } from '../kernel/errors.ts';
import { log } from '../kernel/log.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import type { MapWorkerPool } from './map-worker-pool.ts';
import type { MappedRow, RowIssue } from './map-row.ts';
import type { MapWorkerInput, MapWorkerMessage, MapWorkerRequest, MappedBatch, WireMapping } from './map-worker.ts';
import type { RecordValues } from '../records/record-shape.ts';
import { readOptionsOf, readRows, type SourceInfo, type SourceRow } from './read-rows.ts';
import { writerWaited } from './writer-share.ts';

/** The fewest rows a local batch is cut at when the worker becomes ready. */
const minimumCut = 250;

/** A batch of rows, with each plain target's mapping of each row (by target index, then row index). */
export interface PipelinedBatch {
  rows: SourceRow[];
  /** Absent for a batch read on this thread: the caller maps it, as it maps the rows the worker left unmapped. */
  premapped?: Map<number, (MappedRow | undefined)[]>;
}

/** A row read by the worker: its values parsed when first asked (most rows are written from their mapping alone). */
class ShippedRow {
  private parsed: Record<string, unknown> | undefined;
  constructor(readonly line: number, private readonly text: string) {}
  get values(): Record<string, unknown> {
    return (this.parsed ??= JSON.parse(this.text) as Record<string, unknown>);
  }
}

// A checked mapping had no issue, no history values and was not skipped: these are shared, never changed.
const noIssues: RowIssue[] = Object.freeze([]) as unknown as RowIssue[];
const noHistory: MappedRow['history'] = Object.freeze({});

/** The MappedRow a lean wire mapping stands for (map-worker.ts). */
function mappedRow(wire: WireMapping): MappedRow {
  if (!('checked' in wire) || 'issues' in wire) return wire;
  const { checked, given, defaulted, cleared } = wire;
  const values: RecordValues = {};
  for (const key in checked) if (!defaulted?.includes(key)) values[key] = checked[key];
  if (given) for (const key in given) values[key] = given[key];
  return { values, issues: noIssues, history: noHistory, skipped: false, checked, ...(cleared ? { cleared } : {}) };
}

/**
 * Batches read and mapped by a worker thread — but the first ones read here (and mapped by the
 * caller, as without the pipeline: `premapped` absent) while the worker starts, which takes a
 * second or two under tsx, ~0.4–0.8 s compiled. Once it is ready, the batch being read ends at the
 * row read last, the worker is told to take over after it, and maps its own next batch while this
 * thread writes that one. `localBatches` caps the batches read here (tests make the hand-over
 * deterministic with it); should the worker fail to start, this thread reads the whole file. `info`
 * is filled once the file is read. The worker comes from `workers` (a kept one is ready at once) and
 * goes back there once it has sent the file's end; left before that (a failed batch), it is ended.
 */
export async function* pipelinedBatches(args: Omit<MapWorkerInput, 'documents' | 'revision'> & { set: MetadataSet; revision: number; info: SourceInfo; checkpoint: number; firstBatchSize: number; localBatches?: number; workers: MapWorkerPool }): AsyncGenerator<PipelinedBatch> {
  const { set, info, checkpoint, firstBatchSize, localBatches = Number.POSITIVE_INFINITY, workers, ...rest } = args;
  const worker = workers.take();
  const inbox: MapWorkerMessage[] = [];
  let ready = false;
  let handedOver = false;
  let finished = false;
  let failure: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  const onMessage = (message: MapWorkerMessage) => {
    if ('ready' in message) ready = true;
    else if (handedOver || !('error' in message)) inbox.push(message);
    else {
      // Before the hand-over: this thread goes on alone — said, for the import is then slower and a broken build would otherwise go unseen.
      failure = message.text !== undefined ? new CrmError('BAD_REQUEST', message.text) : new Error(message.error);
      if (message.text === undefined) log.warn(`the import's map worker failed before it took over (${message.error}); this thread reads and maps the whole file`);
    }
    wake?.();
  };
  const onError = (error: Error) => {
    if (!handedOver) log.warn(`the import's map worker failed to start (${error.message}); this thread reads and maps the whole file`);
    failure = error;
    wake?.();
  };
  const onExit = () => {
    exited = true;
    wake?.();
  };
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);
  worker.postMessage({ job: { ...rest, documents: set.all() } } satisfies MapWorkerRequest);
  const settled = () => ready || failure !== undefined || exited;
  const handOver = (after: number, batchSize: number): boolean => {
    if (!ready || failure || exited) return false;
    worker.postMessage({ start: { after, batchSize } } satisfies MapWorkerRequest);
    return (handedOver = true);
  };
  try {
    let batchSize = firstBatchSize;
    if (localBatches <= 0) {
      while (!settled()) await new Promise<void>((resolve) => (wake = resolve));
      handOver(checkpoint, batchSize);
    }
    if (!handedOver) {
      let rows: SourceRow[] = [];
      let read = 0;
      for await (const row of readRows({ file: rest.file, format: rest.format, info, ...readOptionsOf(rest) })) {
        if (row.line <= checkpoint) continue;
        rows.push(row);
        // Once the worker is ready the batch ends where reading is: mapping a full batch here first
        // took the main thread ~0.3 s (4,000 rows) that the worker does meanwhile for the next one.
        // (Not below a few hundred rows: a worker ready just after a batch began would make a one-row transaction.)
        const cut = ready && !failure && !exited && rows.length >= minimumCut;
        if (rows.length < batchSize && !cut) continue;
        const full = rows;
        rows = [];
        // The worker's first batch no larger than this one, so that it is mapped while this one is written.
        batchSize = cut ? Math.max(full.length, firstBatchSize) : Math.min(batchSize * 2, rest.maxBatchSize);
        if (++read >= localBatches) while (!settled()) await new Promise<void>((resolve) => (wake = resolve));
        // Told before this batch is written, the worker maps its first batch meanwhile.
        const last = handOver(full[full.length - 1]!.line, batchSize);
        yield { rows: full };
        if (last) break;
      }
      if (!handedOver) {
        if (rows.length > 0) yield { rows };
        return;
      }
    }
    // When the last batch was handed to the writer: the time since is what writing it took.
    let handedBack = performance.now();
    for (;;) {
      const asked = performance.now();
      while (inbox.length === 0 && !failure && !exited) await new Promise<void>((resolve) => (wake = resolve));
      const waited = writerWaited(performance.now() - asked, asked - handedBack);
      wake = undefined;
      const message = inbox.shift();
      if (!message) throw failure ?? new Error('the import reader stopped before the end of the file');
      if ('error' in message) throw message.text !== undefined ? new CrmError('BAD_REQUEST', message.text) : new Error(message.error);
      if ('ready' in message) continue;
      if ('done' in message) {
        Object.assign(info, message.info);
        finished = true;
        return;
      }
      worker.postMessage({ more: { waited } } satisfies MapWorkerRequest);
      const batch = JSON.parse(message.batch) as MappedBatch;
      const premapped = new Map<number, (MappedRow | undefined)[]>();
      batch.mapped.forEach((rows, t) => (rows ? premapped.set(t, rows.map((m) => (m ? mappedRow(m) : undefined))) : undefined));
      const rows = batch.rows.map((row) => (Array.isArray(row) ? new ShippedRow(row[0], row[1]) : row));
      handedBack = performance.now();
      yield { rows, premapped };
    }
  } finally {
    worker.off('message', onMessage);
    worker.off('error', onError);
    worker.off('exit', onExit);
    // A thread that said `done` is idle; one never handed the job waits for where to start. One left
    // mid-file (a failed batch) may still be reading, so it is ended.
    if (finished && !failure && !exited) workers.giveBack(worker);
    else if (!handedOver && !failure && !exited) workers.keepAfterDone(worker);
    else workers.end(worker);
  }
}
