// store/sqlite/table-names: collection name ⇄ table name. SQLite compares identifiers without
// regard to case, so `deal` and `Deal` would share a table; encoding every capital as `_` plus its
// lower-case letter gives names that are all lower case and map back one-to-one (collection names
// have no `_` after the first character). System collections (`_audit`) get their own prefix.
//   deal → c_deal   dealItem → c_deal_item   Deal → c__deal   _metaItems → s_meta_items

import { assertCollectionName, collectionNamePattern } from '../store-names.ts';

const entityPrefix = 'c_';
const systemPrefix = 's_';

export function tableNameOf(collection: string): string {
  assertCollectionName(collection);
  const system = collection.startsWith('_');
  const body = (system ? collection.slice(1) : collection).replace(/[A-Z]/g, (capital) => `_${capital.toLowerCase()}`);
  return `${system ? systemPrefix : entityPrefix}${body}`;
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
