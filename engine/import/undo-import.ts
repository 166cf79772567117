// Undo of an import: records it created are deleted, records it updated get their previous values
// back — each through the records' write path (delete rules, rollups, audit). A record changed
// since the import (its version moved on) is listed and left alone. The dry run is the same walk
// without the writes.

import { andFilters, internalField, where } from '../filter/filter-tree.ts';
import { readText } from '../kernel/detail-text.ts';
import { isCrmError } from '../kernel/errors.ts';
import { deleteRecord } from '../records/delete-record.ts';
import type { RequestContext } from '../records/request-context.ts';
import { applyUpdate } from '../records/write-record.ts';
import type { Store } from '../store/store-port.ts';
import { importChangesCollection, type ImportChange } from './import-store.ts';
import type { RecordEvents } from '../records/record-events.ts';
import { errorText } from './map-row.ts';

export interface UndoReport {
  dryRun: boolean;
  deleted: number;
  restored: number;
  /** Records changed since the import: left as they are. */
  changedSince: { entity: string; id: string; version: number; importedVersion: number }[];
  /** Records already gone. */
  missing: number;
  /** Changes the store refused to undo (a record now referenced by another, say). */
  refused: { entity: string; id: string; reason: string }[];
}

export async function undoImport(args: { store: Store; ctx: RequestContext; events: RecordEvents; job: string; dryRun: boolean }): Promise<UndoReport> {
  const { store, ctx } = args;
  const report: UndoReport = { dryRun: args.dryRun, deleted: 0, restored: 0, changedSince: [], missing: 0, refused: [] };
  let before: string | undefined;
  // Newest first: children created after their parents go before them.
  for (;;) {
    const page = await store.find(importChangesCollection.name, {
      filter: andFilters(where({ job: args.job }), before ? { kind: 'compare', field: internalField('id'), op: '$lt', value: before } : undefined),
      sort: [{ field: internalField('id'), direction: -1 }],
      limit: 500,
    });
    if (page.length === 0) return report;
    before = page[page.length - 1]!.id;
    // A run of creates logged as one row is undone last created first, like rows of their own.
    const changes = page.flatMap((row) => {
      const change = row.data as unknown as ImportChange & { recordId?: string };
      return change.recordIds ? [...change.recordIds].reverse().map((recordId) => ({ ...change, recordId })) : [{ ...change, recordId: change.recordId! }];
    });
    for (const change of changes) {
      const entity = ctx.model.entities.get(change.entity);
      const current = entity ? await store.get(change.entity, change.recordId) : undefined;
      if (!entity || !current) {
        report.missing++;
        continue;
      }
      if (current.version !== change.version) {
        report.changedSince.push({ entity: change.entity, id: change.recordId, version: current.version, importedVersion: change.version });
        continue;
      }
      if (args.dryRun) {
        report[change.action === 'created' ? 'deleted' : 'restored']++;
        continue;
      }
      try {
        if (change.action === 'created') {
          await args.events.publish(await deleteRecord(store, ctx, change.entity, change.recordId, change.version, args.events));
          report.deleted++;
        } else {
          // Fields the import added are removed again (null in a merge patch).
          const patch: Record<string, unknown> = Object.fromEntries([...entity.valueFields].filter((f) => current.data[f] !== undefined).map((f) => [f, null]));
          Object.assign(patch, change.before ?? {});
          await store.transaction(async (tx) => {
            const fresh = await tx.get(change.entity, change.recordId);
            if (!fresh || fresh.version !== change.version) return;
            await applyUpdate({ tx, ctx, entity, current: fresh, accepted: patch, options: { audit: { action: 'importUndo', details: { importJob: args.job } } } });
          });
          report.restored++;
        }
      } catch (error) {
        if (!isCrmError(error)) throw error;
        report.refused.push({ entity: change.entity, id: change.recordId, reason: readText(errorText(error), ctx.locale) });
      }
    }
  }
}
