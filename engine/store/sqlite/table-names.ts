// store/sqlite/table-names: collection name ⇄ table name. SQLite compares identifiers without
// regard to case, so `deal` and `Deal` would share a table; encoding every capital as `_` plus its
// lower-case letter gives names that are all lower case and map back one-to-one (collection names
// have no `_` after the first character). System collections (`_audit`) get their own prefix.
//   deal → c_deal   dealItem → c_deal_item   Deal → c__deal   _metaItems → s_meta_items

import { assertCollectionName, collectionNamePattern } from '../store-names.ts';

const entityPrefix = 'c_';
const systemPrefix = 's_';

/** Names already checked and encoded: every statement asks, a few collections are named. */
const encoded = new Map<string, string>();

export function tableNameOf(collection: string): string {
  const known = encoded.get(collection);
  if (known !== undefined) return known;
  assertCollectionName(collection);
  const system = collection.startsWith('_');
  const body = (system ? collection.slice(1) : collection).replace(/[A-Z]/g, (capital) => `_${capital.toLowerCase()}`);
  const table = `${system ? systemPrefix : entityPrefix}${body}`;
  if (encoded.size >= 10_000) encoded.clear();
  encoded.set(collection, table);
  return table;
}

/** The collection a table holds, or undefined for tables that are not collections. */
export function collectionNameOf(table: string): string | undefined {
  const system = table.startsWith(systemPrefix);
  if (!system && !table.startsWith(entityPrefix)) return undefined;
  const body = table.slice(entityPrefix.length).replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const collection = `${system ? '_' : ''}${body}`;
  // Only names that encode back to the same table are ours.
  return collectionNamePattern.test(collection) && tableNameOf(collection) === table ? collection : undefined;
}
