// How a metadata change rewrites the stored records it leaves stale — a renamed field's values moved
// (designer/rename-field.ts), a removed field's values taken out (remove-field-values.ts): inside the
// transaction that commits the revision, each record that changes is replaced with its version bumped
// (its ETag moves, so a client holding the old one reads again before it writes) and stamped with the
// revision. No audit entry per record: the revision says what changed, and the trail keeps every
// value it recorded.

import type { FilterNode } from '../filter/filter-tree.ts';
import type { StoreReader, StoredRecord, StoreTransaction } from '../store/store-port.ts';
import { eachStoredRecord } from './check-existing-records.ts';

/**
 * `rewrite` answers a record's new data, or nothing to leave it as it is. Without `write` it only
 * counts (a store that cannot rehearse in a rolled-back transaction). Returns the records rewritten.
 */
export async function rewriteStoredRecords(args: {
  store: Pick<StoreReader, 'find'> | StoreTransaction;
  write: boolean;
  entity: string;
  revision: number;
  filter?: FilterNode;
  rewrite(row: StoredRecord): Record<string, unknown> | undefined;
}): Promise<number> {
  const tx = args.store as StoreTransaction;
  let rewritten = 0;
  await eachStoredRecord(args.store, args.entity, async (row) => {
    const data = args.rewrite(row);
    if (!data) return;
    rewritten++;
    if (args.write) await tx.replace(args.entity, { ...row, version: row.version + 1, revision: args.revision, data }, row.version);
  }, args.filter);
  return rewritten;
}
