// store/mongodb/mongo-errors: MongoDB's duplicate-key error (E11000) as the engine's
// UNIQUE_VIOLATION, naming the document fields of the index that collided.

import { MongoServerError } from 'mongodb';
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
