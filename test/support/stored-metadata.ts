// Metadata as an older version of the engine stored it: an item's document changed in the store
// itself, past today's schema (which the API would apply). A server reads it at its next start.

import { matchAll } from '../../engine/filter/filter-tree.ts';
import type { TestServer } from './test-server.ts';

/** Sets top-level properties of the stored entity documents named in `changes` (every layer's row). */
export async function overwriteStoredEntities(server: TestServer, changes: Record<string, Record<string, unknown>>): Promise<void> {
  const store = server.server.store;
  const rows = await store.find('_metaItems', { filter: matchAll, sort: [], limit: 100_000 });
  const mine = rows.filter((r) => r.data['kind'] === 'entity' && typeof r.data['name'] === 'string' && r.data['name'] in changes && r.data['toRevision'] === undefined);
  if (mine.length !== Object.keys(changes).length) throw new Error(`expected one stored row for each of ${Object.keys(changes).join(', ')}, found ${mine.length}`);
  for (const row of mine) {
    const content = { ...(row.data['content'] as Record<string, unknown>), ...changes[row.data['name'] as string] };
    const replaced = await store.transaction((tx) => tx.replace('_metaItems', { ...row, data: { ...row.data, content }, version: row.version + 1 }, row.version));
    if (!replaced) throw new Error(`the stored row of ${String(row.data['name'])} changed meanwhile`);
  }
}
