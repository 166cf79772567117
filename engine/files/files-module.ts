// Plugs stored files into the server: the `_files` collection, /api/files (list, download, upload),
// and the files' lifecycle. A file leaves with what held it: deleting a record deletes its files
// (the `_files` documents in the delete's transaction, the bytes once it committed), and so does
// taking a file out of its field. A pending upload no record claimed is swept by the scheduler
// once it expired (the injected clock's time) — and so are the files let go where no after-commit
// step can remove bytes: an erased record's, and those a merge kept only for its undo once it can no
// longer be undone (records/release-files.ts, records/merge-log.ts).

import type { FieldOf } from '../fields/field-type.ts';
import { fileIdsOf } from '../fields/types/file-type.ts';
import { where } from '../filter/filter-tree.ts';
import { log } from '../kernel/log.ts';
import type { RecordEvent } from '../records/record-events.ts';
import type { EngineModule } from '../capability/engine-module.ts';
import type { StoreReader } from '../store/store-port.ts';
import { findWorkflowRuntime } from '../workflow/workflow-module.ts';
import { fileBytesFor } from '../file-storage/file-bytes.ts';
import { expiredUploads, filesCollection, type FileStorage } from '../file-storage/file-store.ts';
import { fileRoutes } from './file-routes.ts';
import { filesApi } from './files-openapi.ts';

/** How long an upload no record has claimed is kept. */
export const pendingUploadTtlMs = 24 * 60 * 60 * 1000;

/** The files a record event lets go: all of a deleted record's, those taken out of a field on update. */
async function filesLetGo(reader: StoreReader, event: RecordEvent): Promise<string[]> {
  if (event.type === 'deleted') {
    const rows = await reader.find(filesCollection.name, { filter: where({ entity: event.entity, recordId: event.id }), sort: [], limit: 10_000 });
    return rows.map((r) => r.id);
  }
  if (event.type !== 'updated' || !event.before || !event.after) return [];
  const entity = event.ctx.model.entities.get(event.entity);
  const gone: string[] = [];
  for (const field of entity?.fields.values() ?? []) {
    if ((field.definition as FieldOf<'file'>).type !== 'file') continue;
    const kept = new Set(fileIdsOf(event.after[field.name]));
    for (const id of fileIdsOf(event.before[field.name])) if (!kept.has(id)) gone.push(id);
  }
  return gone;
}

/** Deletes expired pending uploads (documents first, then their bytes). */
export async function sweepExpiredUploads(storage: FileStorage, now: Date): Promise<number> {
  const expired = await expiredUploads(storage.store, now);
  const removed: string[] = [];
  await storage.store.transaction(async (tx) => {
    for (const file of expired) {
      const row = await tx.get(filesCollection.name, file.id);
      // Claimed meanwhile: it is a record's file now.
      if (row?.data['pending'] === true && (await tx.delete(filesCollection.name, file.id, row.version))) removed.push(file.id);
    }
  });
  const bytes = fileBytesFor(storage);
  for (const id of removed) await bytes?.remove(id);
  return removed.length;
}

export const filesModule: EngineModule = {
  name: 'files',
  collections: [filesCollection],
  start(services) {
    const storage: FileStorage = { store: services.store, dataDir: services.dataDir };
    const contextDeps = () => ({ runtime: services.runtime, clock: services.clock, policy: services.policy, authenticate: services.authenticate });
    const letGo = new WeakMap<RecordEvent, string[]>();
    // Both answer at once (no promise) for a created record, which lets go of no file: a bulk write runs them per record.
    const unsubscribeInTransaction = services.records.events.subscribeInTransaction((tx, event) => {
      if (event.type === 'created') return undefined;
      return (async () => {
        const ids = await filesLetGo(tx, event);
        if (ids.length === 0) return;
        for (const id of ids) await tx.delete(filesCollection.name, id);
        letGo.set(event, ids);
      })();
    });
    const unsubscribe = services.records.events.subscribe((event) => {
      const ids = letGo.get(event);
      if (!ids) return undefined;
      return (async () => {
        const bytes = fileBytesFor(storage);
        for (const id of ids) await bytes?.remove(id);
      })();
    });
    return {
      routes: [{ path: '/api/files', router: fileRoutes({ ...storage, records: services.records, maxFileBytes: services.settings.maxFileBytes, pendingTtlMs: pendingUploadTtlMs }, contextDeps) }],
      openapi: filesApi,
      afterListen() {
        // The scheduler belongs to the workflow module (started before this one).
        findWorkflowRuntime(services)?.scheduler.onBeforeRun(async () => {
          const swept = await sweepExpiredUploads(storage, services.clock.now());
          if (swept > 0) log.info(`[files] ${swept} expired upload(s) removed`);
        });
      },
      stop() {
        unsubscribeInTransaction();
        unsubscribe();
      },
    };
  },
};
