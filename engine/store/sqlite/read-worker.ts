// store/sqlite/read-worker: one off-loop reader (a worker thread of store/sqlite/read-pool.ts). It
// holds its own read-only connection to the store's file — WAL lets it read committed data while
// the main thread writes — and runs the statements it is sent, one at a time. The pool cancels a
// statement that runs over its budget by terminating this thread.

import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { isMissingTable, SqliteConnection } from './sqlite-connection.ts';
import type { SqlValue } from './sql-fragments.ts';

export interface ReadJob {
  id: number;
  text: string;
  params: readonly SqlValue[];
  mode: 'all' | 'get';
  /** An index build (a thread with a write connection): these statements in one transaction. */
  script?: { text: string; params: readonly SqlValue[] }[];
}

export type ReadReply = { id: number; ok: true; rows: unknown } | { id: number; ok: false; message: string; missingTable: boolean } | { ready: true };

const data = workerData as { file: string; write?: boolean };

/**
 * A slow read yields the CPU to the event loop whenever both want it: on Linux, where a thread has
 * a scheduling priority of its own (its id is the last part of /proc/thread-self), this thread is
 * given the lowest (nice 19). A request on the main thread then preempts a scan at once instead of
 * sharing the core with it. Elsewhere, or when refused, the thread keeps the process's priority.
 */
function yieldToTheEventLoop(): void {
  if (process.platform !== 'linux') return;
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, constants.priority.PRIORITY_LOW);
  } catch {
    // no /proc, or not allowed: run at the process's priority
  }
}

// Reads only: an index build holds the store's write lock, so it keeps the normal priority.
if (!data.write) yieldToTheEventLoop();
const connection = new SqliteConnection(data.file, { role: data.write ? 'writer' : 'worker' });

parentPort!.on('message', (job: ReadJob) => {
  let reply: ReadReply;
  try {
    if (job.script) {
      const script = job.script;
      connection.db.transaction(() => {
        for (const statement of script) connection.run(statement);
      }).immediate();
      reply = { id: job.id, ok: true, rows: [] };
    } else {
      const statement = { text: job.text, params: job.params };
      reply = { id: job.id, ok: true, rows: job.mode === 'all' ? connection.all(statement) : connection.get(statement) };
    }
  } catch (error) {
    reply = { id: job.id, ok: false, message: error instanceof Error ? error.message : String(error), missingTable: isMissingTable(error) };
  }
  parentPort!.postMessage(reply);
});

parentPort!.postMessage({ ready: true } satisfies ReadReply);
