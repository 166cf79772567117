// sync/: what a client that copies records by polling needs besides `updatedAt` — which records went.
// This file: the tombstones (`_deletedRecords`), one per deleted record, written inside the delete's
// own transaction by the in-transaction listener (a plain delete, a merge's, an import undo's, an
// erasure's alike: a merge's deletions are maintenance events, which this listener hears too), kept 90 days.

import { internalField, type FilterNode } from '../filter/filter-tree.ts';
import type { Clock } from '../kernel/clock.ts';
import { newId } from '../kernel/ids.ts';
import type { RecordEvent } from '../records/record-events.ts';
import type { CollectionSpec, Store, StoreTransaction } from '../store/store-port.ts';

export const deletedRecordsCollection: CollectionSpec = {
  name: '_deletedRecords',
  indexes: [
    { name: 'entityAt', keys: [{ path: ['entity'], direction: 1 }, { path: ['deletedAt'], direction: 1 }], unique: false },
    { name: 'at', keys: [{ path: ['deletedAt'], direction: 1 }], unique: false },
  ],
};

/** How long a deletion can be followed: a client that polls less often should copy the entity again. */
export const tombstoneKeepDays = 90;

export interface Tombstone {
  entity: string;
  recordId: string;
  deletedAt: string;
  by: string;
  /** The version deleted, when the write path knew it. */
  version?: number;
  /** The record a merge took this one into. */
  mergedInto?: string;
}

/** Writes one tombstone (in the deletion's transaction). */
function writeTombstone(tx: StoreTransaction, tombstone: Tombstone): Promise<void> {
  return tx.insert(deletedRecordsCollection.name, { id: newId(), version: 1, revision: 0, data: tombstone as unknown as Record<string, unknown> });
}

/**
 * The in-transaction listener (maintenance events too): a tombstone for every deleted record — a
 * DELETE, an import's undo, an erasure, a merge (naming the survivor it went into).
 */
export function tombstoneListener(clock: Clock) {
  return (tx: StoreTransaction, event: RecordEvent): Promise<void> | undefined => {
    if (event.type !== 'deleted') return undefined;
    return writeTombstone(tx, {
      entity: event.entity, recordId: event.id, deletedAt: clock.now().toISOString(), by: event.ctx.principal.id,
      ...(event.version !== undefined ? { version: event.version } : {}), ...(event.mergedInto !== undefined ? { mergedInto: event.mergedInto } : {}),
    });
  };
}

/**
 * One page of an entity's tombstones, oldest first: from `since` on, or after the (deletedAt, id)
 * the page before ended on — its cursor, so deletions in the same millisecond are not lost.
 */
export async function listTombstones(store: Store, args: { entity: string; since: string; after?: { at: string; id: string }; limit: number }): Promise<{ id: string; tombstone: Tombstone }[]> {
  const at = internalField('deletedAt');
  const entity: FilterNode = { kind: 'compare', field: internalField('entity'), op: '$eq', value: args.entity };
  const from: FilterNode = args.after
    ? { kind: 'or', children: [{ kind: 'compare', field: at, op: '$gt', value: args.after.at }, { kind: 'and', children: [{ kind: 'compare', field: at, op: '$eq', value: args.after.at }, { kind: 'compare', field: internalField('id'), op: '$gt', value: args.after.id }] }] }
    : { kind: 'compare', field: at, op: '$gte', value: args.since };
  const rows = await store.find(deletedRecordsCollection.name, { filter: { kind: 'and', children: [entity, from] }, sort: [{ field: at, direction: 1 }, { field: internalField('id'), direction: 1 }], limit: args.limit });
  return rows.map((row) => ({ id: row.id, tombstone: row.data as unknown as Tombstone }));
}

/** Deletes tombstones past their keeping, a page at a time; returns how many went. */
export async function purgeTombstones(store: Store, now: Date, limit = 500): Promise<number> {
  const before = new Date(now.getTime() - tombstoneKeepDays * 86_400_000).toISOString();
  const rows = await store.find(deletedRecordsCollection.name, { filter: { kind: 'compare', field: internalField('deletedAt'), op: '$lt', value: before }, sort: [], limit });
  if (rows.length === 0) return 0;
  await store.transaction(async (tx) => {
    for (const row of rows) await tx.delete(deletedRecordsCollection.name, row.id, row.version);
  });
  return rows.length;
}
