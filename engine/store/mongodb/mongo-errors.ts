// store/mongodb/mongo-errors: MongoDB's duplicate-key error (E11000) as the engine's
// UNIQUE_VIOLATION, naming the document fields of the index that collided.

import { MongoServerError, type Collection, type Document } from 'mongodb';
import { uniqueViolation } from '../store-errors.ts';

export const duplicateKey = 11000;

export function isDuplicateKey(error: unknown): error is MongoServerError {
  return error instanceof MongoServerError && error.code === duplicateKey;
}

export function translateMongoError(error: unknown): unknown {
  if (!isDuplicateKey(error)) return error;
  const keyPattern: unknown = error.keyPattern;
  const fields = typeof keyPattern === 'object' && keyPattern !== null ? Object.keys(keyPattern) : [];
  return uniqueViolation(fields.map(pathOfMongoField));
}

/** `doc.address.city` → ['address', 'city'], `_id` → ['id']. */
function pathOfMongoField(field: string): string[] {
  if (field === '_id') return ['id'];
  return field.startsWith('doc.') ? field.slice(4).split('.') : [field];
}

/**
 * insertMany's error (a MongoBulkWriteError) carries no keyPattern: the driver keeps only the code,
 * message, errInfo and operation of each write error. Its message names the index
 * (`E11000 … index: crm_byCity_1a2b3c dup key: { … }`), whose key, read from the collection, gives
 * the fields, so the clash is reported like one of insert(). Without it the error stays unnamed.
 */
export async function withKeyPattern<T extends Document>(error: unknown, collection: Collection<T>): Promise<unknown> {
  if (!isDuplicateKey(error) || (typeof error.keyPattern === 'object' && error.keyPattern !== null)) return error;
  const name = /\bindex: (\S+) dup key\b/.exec(error.message)?.[1];
  if (name === undefined) return error;
  try {
    // Outside any session: a failed write has aborted the transaction, and indexes are not transactional.
    const keyPattern: unknown = name === '_id_' ? { _id: 1 } : (await collection.listIndexes().toArray()).find((index) => index.name === name)?.key;
    if (typeof keyPattern === 'object' && keyPattern !== null) error.keyPattern = keyPattern as Document;
  } catch {
    // The unnamed UNIQUE_VIOLATION stays.
  }
  return error;
}
