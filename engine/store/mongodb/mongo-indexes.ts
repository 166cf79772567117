// store/mongodb/mongo-indexes: the indexes metadata asks for, as MongoDB indexes. Managed indexes
// carry a `crm_` name prefix, so sync never drops an index someone else created. Unique indexes
// are partial on `$exists: true` for every key: MongoDB's unique index would otherwise let only one
// record lack the field, where SQLite (and the engine's "absent means null") allow many.

import type { Collection, Db, IndexDirection } from 'mongodb';
import type { IndexSpec } from '../store-port.ts';
import { assertIndexSpecs, managedIndexName } from '../store-names.ts';
import { mongoFieldName, type RecordDocument } from './compile-filter-mongo.ts';

const managedPrefix = 'crm_';
const namespaceExists = 48;
const indexNotFound = 27;
const namespaceNotFound = 26;

export async function ensureCollection(db: Db, name: string): Promise<void> {
  try {
    await db.createCollection(name);
  } catch (error) {
    if ((error as { code?: unknown }).code !== namespaceExists) throw error;
  }
}

/** Creates missing managed indexes and drops managed ones no longer asked for. */
export async function syncMongoIndexes(collection: Collection<RecordDocument>, indexes: readonly IndexSpec[]): Promise<void> {
  assertIndexSpecs(indexes);
  const wanted = new Map(indexes.map((spec) => [managedIndexName(managedPrefix, spec), spec]));
  const existing = (await collection.listIndexes().toArray()).map((index) => String(index.name));
  for (const name of existing) {
    if (!name.startsWith(managedPrefix) || wanted.has(name)) continue;
    try {
      await collection.dropIndex(name);
    } catch (error) {
      if ((error as { code?: unknown }).code !== indexNotFound) throw error;
    }
  }
  for (const [name, spec] of wanted) {
    if (existing.includes(name)) continue;
    // A bucketed key indexes its field (MongoDB has no expression indexes); a field once.
    const fields = spec.keys.map((key) => mongoFieldName(key.path));
    const keys: Record<string, IndexDirection> = {};
    spec.keys.forEach((key, i) => {
      if (!(fields[i]! in keys)) keys[fields[i]!] = key.direction;
    });
    // Non-unique indexes end with _id, the final sort key of every find, so sorted finds need no in-memory sort.
    if (!spec.unique && !('_id' in keys)) keys._id = 1;
    await collection.createIndex(keys, {
      name,
      unique: spec.unique,
      ...(spec.unique ? { partialFilterExpression: Object.fromEntries(fields.map((field) => [field, { $exists: true }])) } : {}),
    });
  }
}

/**
 * Spec names of the managed indexes, read back from their physical names (`crm_<name>_<hash>`);
 * characters outside [A-Za-z0-9_] in a spec name come back as `_`.
 */
export async function listManagedIndexNames(collection: Collection<RecordDocument>): Promise<string[]> {
  try {
    const indexes = await collection.listIndexes().toArray();
    return indexes
      .map((index) => String(index.name))
      .filter((name) => name.startsWith(managedPrefix))
      .map((name) => name.slice(managedPrefix.length, name.lastIndexOf('_')))
      .sort();
  } catch (error) {
    if ((error as { code?: unknown }).code === namespaceNotFound) return [];
    throw error;
  }
}
