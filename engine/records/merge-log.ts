// The merge log (`_merges`): what a merge of duplicates changed (engine/quality/merge-records.ts),
// kept so that it can be undone in one step — the merged records whole, the survivor's earlier
// values, what was re-pointed and moved. It lives here, below quality/, because erasure and
// retention (privacy/) must reach it too.
//
// The undo material is kept only while the merge can be undone. An undo needs the survivor as the
// merge left it, so once the survivor is changed, merged again, deleted, erased or reached by a
// retention rule the merge is closed for good: the merged records' snapshots and the survivor's
// earlier values are dropped, and the merged records' files the survivor did not keep are let go
// (as a deleted record's are). A merge into one of those merged records is closed with it —
// nothing can bring that record back any more. An undone merge keeps no material either.

import { where } from '../filter/filter-tree.ts';
import type { CollectionSpec, StoreReader, StoreTransaction, StoredRecord } from '../store/store-port.ts';
import type { RecordValues } from './record-shape.ts';
import { fileIdsOf } from '../fields/types/file-type.ts';
import { filesCollection, releaseFile, releaseFiles } from './release-files.ts';

export const mergesCollection: CollectionSpec = { name: '_merges', indexes: [{ name: 'survivor', keys: [{ path: ['entity'], direction: 1 }, { path: ['survivor'], direction: 1 }], unique: false }] };

/** Why a merge can no longer be undone. */
export type MergeClosedReason = 'changed' | 'deleted' | 'erasure' | 'retention';

export interface MergeLog {
  entity: string;
  survivor: string;
  /** The survivor's document before the merge, and its version right after it. */
  before: RecordValues;
  version: number;
  merged: StoredRecord[];
  /** Each referencing field changed, with its whole value before and after (a many-to-many list changes as a whole). */
  repointed: { entity: string; id: string; field: string; from: string; before?: unknown; after?: unknown }[];
  moved: { collection: string; id: string; from: string }[];
  /** Files of merged records the survivor kept (they belong to it until an undo). */
  adoptedFiles?: { id: string; from: string }[];
  at: string;
  by: string;
  undone?: { at: string; by: string };
  /** The merge can no longer be undone, and its undo material is gone. */
  closed?: { at: string; reason: MergeClosedReason };
}

/** The log without its undo material: the merged records' ids stay, their values go. */
export function withoutUndoMaterial(log: MergeLog): MergeLog {
  return { ...log, before: {}, merged: log.merged.map((m) => ({ id: m.id, version: m.version, revision: m.revision, data: {} })) };
}

const maxMerges = 10_000;
const maxLogsRead = 100_000;

/**
 * Closes every open merge into the record (and, in turn, into the records merged into it); returns
 * the values their material held — the merged records' and the survivor's earlier ones — and the
 * merged records' ids, so that an erasure can find their copies elsewhere. Never returned to a caller.
 */
export async function closeMergesInto(tx: StoreTransaction, args: { entity: string; recordId: string; at: string; reason: MergeClosedReason }): Promise<{ values: RecordValues[]; merged: string[] }> {
  const dropped: RecordValues[] = [];
  const mergedIds: string[] = [];
  const queue = [args.recordId];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const survivor = queue.shift()!;
    if (seen.has(survivor)) continue;
    seen.add(survivor);
    let closedAny = false;
    for (const row of await tx.find(mergesCollection.name, { filter: where({ entity: args.entity, survivor }), sort: [], limit: maxMerges })) {
      const log = row.data as unknown as MergeLog;
      if (log.closed || log.undone) continue;
      closedAny = true;
      dropped.push(log.before, ...log.merged.map((m) => m.data));
      for (const merged of log.merged) {
        await releaseFiles(tx, args.entity, merged.id, args.at);
        queue.push(merged.id);
        mergedIds.push(merged.id);
      }
      const closed: MergeLog = { ...withoutUndoMaterial(log), closed: { at: args.at, reason: args.reason } };
      await tx.replace(mergesCollection.name, { ...row, version: row.version + 1, data: closed as unknown as Record<string, unknown> }, row.version);
    }
    if (closedAny) await releaseUnheldFiles(tx, args.entity, survivor, args.at);
  }
  return { values: dropped, merged: mergedIds };
}

/**
 * The survivor's own files a merge replaced (kept for its undo, which would put them back): those of
 * its file fields that it no longer holds. A survivor gone lets go of all its files by itself.
 */
async function releaseUnheldFiles(tx: StoreTransaction, entity: string, recordId: string, at: string): Promise<void> {
  const record = await tx.get(entity, recordId);
  if (!record) return;
  for (const file of await tx.find(filesCollection, { filter: where({ entity, recordId }), sort: [], limit: 10_000 })) {
    const field = file.data['field'];
    if (typeof field !== 'string' || file.data['pending'] === true || fileIdsOf(record.data[field]).includes(file.id)) continue;
    await releaseFile(tx, file, at);
  }
}

/**
 * The records now holding the merged records of open merges whose snapshot `matches`: the survivor,
 * or — when it was merged away in turn — the record that one went into. An open merge's snapshot is
 * the only place some merged values are left (an import's create audit entry names its source, not
 * the values), and its undo would bring them back: a person identified there is the holder's.
 */
export async function holdersOfOpenMerges(reader: StoreReader, entity: string, matches: (data: RecordValues) => boolean): Promise<StoredRecord[]> {
  const logs = (await reader.find(mergesCollection.name, { filter: where({ entity }), sort: [], limit: maxLogsRead })).map((row) => row.data as unknown as MergeLog).filter((log) => !log.undone);
  const mergedInto = new Map(logs.flatMap((log) => log.merged.map((m) => [m.id, log.survivor] as const)));
  const holders = new Map<string, StoredRecord>();
  for (const log of logs) {
    if (log.closed || !log.merged.some((m) => matches(m.data))) continue;
    const visited = new Set<string>();
    for (let id: string | undefined = log.survivor; id !== undefined && !visited.has(id); id = mergedInto.get(id)) {
      visited.add(id);
      const record = await reader.get(entity, id);
      if (!record) continue;
      holders.set(record.id, record);
      break;
    }
  }
  return [...holders.values()];
}
