// Every stored record of an entity, in id order and in batches: what a refactoring's preview counts
// and its apply rewrites (type change, rename) walk the same way.

import { internalField, matchAll, type KeysetPosition } from '../filter/filter-tree.ts';
import type { StoreReader, StoredRecord } from '../store/store-port.ts';

const batchSize = 500;

export async function eachRecord(reader: Pick<StoreReader, 'find'>, entity: string, visit: (row: StoredRecord) => Promise<void>): Promise<void> {
  let after: KeysetPosition | undefined;
  for (;;) {
    const rows = await reader.find(entity, { filter: matchAll, sort: [{ field: internalField('id'), direction: 1 }], limit: batchSize, ...(after ? { after } : {}) });
    for (const row of rows) await visit(row);
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = { values: [last.id], id: last.id };
  }
}
