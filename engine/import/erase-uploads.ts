// import/erase-uploads: an erased person's row also sits in the file an import read it from — the
// upload kept in the data folder for its job's resume and report. Once a record an import created
// or updated is erased (privacy/), that file is the last whole copy of the person's row and goes.
// Only uploads go: a file `crm import` read where it lies is the admin's own, not the server's.

import { rm } from 'node:fs/promises';
import path from 'node:path';
import { where } from '../filter/filter-tree.ts';
import { log } from '../kernel/log.ts';
import { pagesById } from '../store/read-pages.ts';
import type { Store, StoreReader } from '../store/store-port.ts';
import { importChangesCollection, importJobsCollection, type ImportChange, type ImportJob } from './import-store.ts';

/** Where uploads are kept (import-service.ts writes them there). */
export const uploadsFolder = (dataDir: string) => path.join(dataDir, 'imports');

/** The import jobs whose change log names one of `records` (ids by entity): the ones that created or updated them. */
export async function jobsThatWrote(reader: StoreReader, records: ReadonlyMap<string, ReadonlySet<string>>): Promise<Set<string>> {
  const jobs = new Set<string>();
  for (const [entity, ids] of records) {
    for (const recordId of ids) {
      for (const row of await reader.find(importChangesCollection.name, { filter: where({ entity, recordId }), sort: [], limit: 1000 })) jobs.add(String(row.data['job']));
    }
    // Creates are logged a run of ids to a row (run-import.ts), not indexed by id: read by entity.
    for await (const page of pagesById(reader, importChangesCollection.name, where({ entity, action: 'created' }), 500)) {
      for (const row of page) {
        const change = row.data as unknown as ImportChange;
        if (change.recordIds?.some((id) => ids.has(id))) jobs.add(change.job);
      }
    }
  }
  return jobs;
}

/**
 * Deletes the uploads of `jobs` and marks each job's file removed (`file.removed`, the instant).
 * A running job keeps its file (it still reads it): said in the log, for an erasure then leaves a copy.
 * Returns the jobs whose file went.
 */
export async function eraseUploads(store: Store, dataDir: string, jobs: Iterable<string>, at: string): Promise<string[]> {
  const folder = path.resolve(uploadsFolder(dataDir));
  const removed: string[] = [];
  for (const id of jobs) {
    const row = await store.get(importJobsCollection.name, id);
    if (!row) continue;
    const job = row.data as unknown as ImportJob;
    if (job.file.removed) continue;
    const file = path.resolve(job.file.path);
    if (path.dirname(file) !== folder) continue;
    if (job.status === 'running') {
      log.warn(`[privacy] import job ${id} is running: its upload ${path.basename(file)} is kept though it holds an erased record's row`);
      continue;
    }
    await rm(file, { force: true });
    await rm(`${file}.name`, { force: true });
    await store.transaction(async (tx) => {
      const current = await tx.get(importJobsCollection.name, id);
      if (!current) return;
      const data = current.data as unknown as ImportJob;
      await tx.replace(importJobsCollection.name, { ...current, version: current.version + 1, data: { ...data, file: { ...data.file, removed: at } } as unknown as Record<string, unknown> }, current.version);
    });
    removed.push(id);
  }
  return removed;
}
