// import/writer-share: how much of each batch the map worker leaves for the writing thread to map
// (pipeline-source.ts, map-worker.ts). Reading and mapping a row on the worker cost more than checking
// and writing it on the writer (a phone number's parsing alone ~12 µs): with nothing shared, the
// writer idled a third of a 100k-row import. The share follows which thread waits for the other.

const shareStep = 0.1;
export const maxWriterShare = 0.6;

/** The next batch's share: a step up when the writer waited for the batch it took, a step down when that batch was waiting for it. */
export function nextWriterShare(share: number, writerWaited: boolean): number {
  return writerWaited ? Math.min(share + shareStep, maxWriterShare) : Math.max(share - shareStep, 0);
}

/** How many rows of a batch the worker maps itself: the first ones; the writer maps the rest. */
export function rowsMappedByWorker(rows: number, share: number): number {
  return rows - Math.round(rows * share);
}

/**
 * Whether the writer waited for a batch: longer than a message the worker had already sent takes to
 * be delivered after a batch's synchronous writes (counting that drove the share up while the worker idled).
 */
export function writerWaited(waitMs: number, writingMs: number): boolean {
  return waitMs > Math.max(2, 0.05 * writingMs);
}
