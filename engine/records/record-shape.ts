// How a stored record looks to API callers, and the small helpers for record documents.

import type { StoredRecord } from '../store/store-port.ts';

export type RecordValues = Record<string, unknown>;

/** The API form of a record: system columns and document side by side, only readable fields. */
export function presentRecord(stored: StoredRecord, readable: ReadonlySet<string>, projection?: ReadonlySet<string>): RecordValues {
  // Plain loops without closures: this runs for every row of every page.
  const out: RecordValues = {};
  if (readable.has('id')) out['id'] = stored.id;
  if (readable.has('version') && (!projection || projection.has('version'))) out['version'] = stored.version;
  if (readable.has('revision') && (!projection || projection.has('revision'))) out['revision'] = stored.revision;
  const data = stored.data;
  if (projection) {
    for (const key in data) if (readable.has(key) && projection.has(key)) out[key] = data[key];
  } else {
    for (const key in data) if (readable.has(key)) out[key] = data[key];
  }
  return out;
}

/** Stored documents never hold null: null and absent mean the same. */
export function withoutNulls(values: RecordValues): RecordValues {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined));
}

/** Fields whose values differ between two documents, with both values. */
export function changedFields(before: RecordValues, after: RecordValues, ignore: ReadonlySet<string>): Record<string, { before?: unknown; after?: unknown }> {
  const changes: Record<string, { before?: unknown; after?: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (ignore.has(key)) continue;
    const a = before[key];
    const b = after[key];
    // Equal primitives need no serialising; objects and arrays compare by their JSON.
    if (a === b && (a === null || typeof a !== 'object')) continue;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || JSON.stringify(a) !== JSON.stringify(b)) {
      changes[key] = { ...(before[key] !== undefined ? { before: before[key] } : {}), ...(after[key] !== undefined ? { after: after[key] } : {}) };
    }
  }
  return changes;
}
