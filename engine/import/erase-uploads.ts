// import/erase-uploads: an erased person's row also sits in the file an import read it from — the
// upload kept in the data folder for its job's resume and report. Once a record an import created
// or updated is erased (privacy/), that file is the last whole copy of the person's row and goes.
// Only uploads go: a file `crm import` read where it lies is the admin's own, not the server's.

import { rm } from 'node:fs/promises';
import path from 'node:path';
import { internalField, where, type FilterNode } from '../filter/filter-tree.ts';
import { log } from '../kernel/log.ts';
import { pagesById } from '../store/read-pages.ts';
import type { Store, StoreReader } from '../store/store-port.ts';
import { importChangesCollection, importJobsCollection, type ImportChange, type ImportJob } from './import-store.ts';

/** Where uploads are kept (import-service.ts writes them there). */
export const uploadsFolder = (dataDir: string) => path.join(dataDir, 'imports');

/** An entity's runs of creates in the import change log. */
export const createdRunsOf = (entity: string): FilterNode => where({ entity, action: 'created' });

/** The import jobs whose change log names one of `records` (ids by entity): the ones that created or updated them. */
export async function jobsThatWrote(reader: StoreReader, records: ReadonlyMap<string, ReadonlySet<string>>): Promise<Set<string>> {
  const jobs = new Set<string>();
  for (const [entity, ids] of records) {
    for (const recordId of ids) {
      // Every row: a nightly sync updates the same records for years.
      for await (const page of pagesById(reader, importChangesCollection.name, where({ entity, recordId }), 500)) for (const row of page) jobs.add(String(row.data['job']));
    }
    // Creates are logged a run of ids to a row (run-import.ts), not indexed by id: read by entity.
    for await (const page of pagesById(reader, importChangesCollection.name, createdRunsOf(entity), 500)) {
      for (const row of page) {
        const change = row.data as unknown as ImportChange;
        if (change.recordIds?.some((id) => ids.has(id))) jobs.add(change.job);
      }
    }
  }
  return jobs;
}

/** An upload's name on disk (import-service.ts makes it): an id and the format, nothing an admin names. */
export const uploadIdPattern = /^[0-9A-HJKMNP-TV-Z]{26}\.(csv|txt|jsonl|ndjson|xlsx)$/;

/** An upload an erasure could not delete: its jobs still name it (`file.removalFailed` when the removal failed), for an admin to remove. */
export interface KeptUpload {
  upload: string;
  jobs: string[];
  /** running: a job still reads it (or will, on its resume); removalFailed: the file system refused (logged with its reason). */
  reason: 'running' | 'removalFailed';
}

/**
 * Deletes the uploads of `jobs` and marks every job that read one removed (`file.removed`, the
 * instant): a dry run and the real run share one upload. An upload a job still runs on is kept (it
 * still reads it, or will on its resume), and one the file system refuses to delete (permissions)
 * too: both are logged and returned as kept — the erasure has committed, and says what it did —
 * and a refused one is marked on its jobs (`file.removalFailed`), where an admin finds it.
 */
export async function eraseUploads(store: Store, dataDir: string, jobs: Iterable<string>, at: string): Promise<{ removed: string[]; kept: KeptUpload[] }> {
  const folder = path.resolve(uploadsFolder(dataDir));
  const uploads = new Set<string>();
  const stored = new Set<string>();
  for (const id of jobs) {
    const job = (await store.get(importJobsCollection.name, id))?.data as unknown as ImportJob | undefined;
    if (!job || job.file.removed) continue;
    const file = path.resolve(job.file.path);
    // Only the server's own uploads: a file the command line read where it lies is the admin's.
    if (path.dirname(file) !== folder || !uploadIdPattern.test(path.basename(file))) continue;
    uploads.add(file);
    stored.add(job.file.path);
  }
  if (uploads.size === 0) return { removed: [], kept: [] };
  // Every job of each upload, whoever started it (the API's jobs of one upload keep one path).
  const readers = new Map<string, { id: string; job: ImportJob }[]>();
  const sharing: FilterNode = { kind: 'in', field: internalField('file.path'), values: [...stored], negate: false };
  for await (const page of pagesById(store, importJobsCollection.name, sharing, 200)) {
    for (const row of page) {
      const job = row.data as unknown as ImportJob;
      const file = path.resolve(job.file.path);
      if (uploads.has(file)) readers.set(file, [...(readers.get(file) ?? []), { id: row.id, job }]);
    }
  }
  const removed: string[] = [];
  const kept: KeptUpload[] = [];
  for (const file of uploads) {
    const of = readers.get(file) ?? [];
    const jobIds = of.map((r) => r.id);
    const running = of.find((r) => r.job.status === 'running');
    if (running) {
      log.warn(`[privacy] import job ${running.id} is running: its upload ${path.basename(file)} is kept though it holds an erased record's row`);
      kept.push({ upload: path.basename(file), jobs: jobIds, reason: 'running' });
      continue;
    }
    try {
      await rm(file, { force: true });
    } catch (error) {
      log.error(`[privacy] the upload ${file} holds an erased record's row and could not be deleted (${(error as NodeJS.ErrnoException).code ?? String(error)}): remove it by hand; its import jobs ${jobIds.join(', ')} say so (file.removalFailed)`);
      await markJobs(store, jobIds, (data) => ({ ...data.file, removalFailed: at }));
      kept.push({ upload: path.basename(file), jobs: jobIds, reason: 'removalFailed' });
      continue;
    }
    // The side file holds the name the file was uploaded under, no row: a failure there is only logged.
    await rm(`${file}.name`, { force: true }).catch((error: NodeJS.ErrnoException) => log.warn(`[privacy] ${file}.name could not be deleted (${error.code ?? String(error)})`));
    await markJobs(store, jobIds, (data) => {
      const { removalFailed: _failed, ...file } = data.file;
      return { ...file, removed: at };
    });
    removed.push(path.basename(file));
  }
  return { removed, kept };
}

/** Rewrites the `file` of each job not yet marked removed. */
async function markJobs(store: Store, ids: readonly string[], file: (job: ImportJob) => ImportJob['file']): Promise<void> {
  await store.transaction(async (tx) => {
    for (const id of ids) {
      const current = await tx.get(importJobsCollection.name, id);
      if (!current) continue;
      const data = current.data as unknown as ImportJob;
      if (data.file.removed) continue;
      await tx.replace(importJobsCollection.name, { ...current, version: current.version + 1, data: { ...data, file: file(data) } as unknown as Record<string, unknown> }, current.version);
    }
  });
}
