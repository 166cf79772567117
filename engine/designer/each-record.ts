// Every stored record of an entity, in id order and in batches: what a refactoring's preview counts
// and its apply rewrites (type change, rename) walk the same way.

import { internalField, matchAll, type FilterNode, type KeysetPosition } from '../filter/filter-tree.ts';
import type { StoreReader, StoredRecord } from '../store/store-port.ts';

const batchSize = 500;

/** `filter`: only the documents matching it (a visit may change a document so that it no longer matches). */
export async function eachRecord(reader: Pick<StoreReader, 'find'>, entity: string, visit: (row: StoredRecord) => Promise<void>, filter: FilterNode = matchAll): Promise<void> {
  let after: KeysetPosition | undefined;
  for (;;) {
    const rows = await reader.find(entity, { filter, sort: [{ field: internalField('id'), direction: 1 }], limit: batchSize, ...(after ? { after } : {}) });
    for (const row of rows) await visit(row);
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = { values: [last.id], id: last.id };
  }
}
